import { reportDependencies } from "../adapters/runtime";
import { rebuildReports, rebuildRequestSchema } from "../app/report-rebuild";
import { invokedHandler } from "../http/step-handler";

/** Invoked (`{ "from": "2026-07-01", "to": "2026-08-01" }`): recompute the range's report aggregates. */
export const handler = invokedHandler((input) =>
  rebuildReports(rebuildRequestSchema.parse(input ?? {}), reportDependencies()),
);
