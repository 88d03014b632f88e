import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import {
  CSV_CONTENT_TYPE,
  csvDownloadHeaders,
  regulatoryReport,
  regulatoryReportQuerySchema,
} from "../app/reports";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

const json = httpHandler({ body: false }, async (event, deps) => {
  const query = parseOrThrow(regulatoryReportQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await regulatoryReport({ staff: staffOf(event), query }, deps);
  if (report.csv === undefined) return { statusCode: 200, body: report.json };
  return { statusCode: 200, body: report.csv, headers: csvDownloadHeaders(query.period) };
});

/** GET /reports/regulatory — a period's statistics by JR/T 0169 axes (managers); CSV unwrapped from JSON. */
export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const result = await json(event, context);
  const csv = result.headers?.["Content-Type"] === CSV_CONTENT_TYPE;
  return csv ? { ...result, body: JSON.parse(result.body) as string } : result;
};
