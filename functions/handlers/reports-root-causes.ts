import { reportDependencies } from "../adapters/runtime";
import { rootCauseReport, rootCauseReportQuerySchema } from "../app/root-causes";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

/** GET /reports/root-causes — root causes ranked with their trend, and past-due remediation (managers). */
export const handler = httpHandler({ body: false, deps: reportDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const query = parseOrThrow(rootCauseReportQuerySchema, event.queryStringParameters ?? {}, "query");
  return { statusCode: 200, body: await rootCauseReport({ staff, query }, deps) };
});
