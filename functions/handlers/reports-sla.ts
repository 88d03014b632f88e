import { reportDependencies } from "../adapters/runtime";
import { slaReport, slaReportQuerySchema } from "../app/reports";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

/** GET /reports/sla — SLA performance of the complaints received in a range, grouped (managers only). */
export const handler = httpHandler({ body: false, deps: reportDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const query = parseOrThrow(slaReportQuerySchema, event.queryStringParameters ?? {}, "query");
  return { statusCode: 200, body: await slaReport({ staff, query }, deps) };
});
