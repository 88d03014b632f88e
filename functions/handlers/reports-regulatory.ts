import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { reportDependencies } from "../adapters/runtime";
import * as reports from "../app/reports";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

const json = httpHandler({ body: false, deps: reportDependencies }, async (event, deps) => {
  const query = parseOrThrow(reports.regulatoryReportQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await reports.regulatoryReport({ staff: staffOf(event), query }, deps);
  if (report.csv === undefined) return { statusCode: 200, body: report.json };
  return { statusCode: 200, body: report.csv, headers: reports.csvDownloadHeaders(query.period) };
});

/** GET /reports/regulatory — a period's statistics by JR/T 0169 axes (managers); CSV unwrapped from JSON. */
export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const result = await json(event, context);
  if (result.headers?.["Content-Type"] !== reports.CSV_CONTENT_TYPE) return result;
  return { ...result, body: JSON.parse(result.body) as string };
};
