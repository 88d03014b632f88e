import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { regulatoryReport, regulatoryReportQuerySchema } from "../app/reports";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

const CSV_TYPE = "text/csv; charset=utf-8";

const json = httpHandler({ body: false }, async (event, deps) => {
  const staff = staffOf(event);
  const query = parseOrThrow(regulatoryReportQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await regulatoryReport({ staff, query }, deps);
  if (report.csv === undefined) return { statusCode: 200, body: report.json };
  return {
    statusCode: 200,
    body: report.csv,
    headers: {
      "Content-Type": CSV_TYPE,
      "Content-Disposition": `attachment; filename="complaints-${query.period}.csv"`,
    },
  };
});

/**
 * GET /reports/regulatory — the period's statistics by JR/T 0169 axes, segment and branch (managers
 * only). `httpHandler` serialises every body as JSON; a CSV answer is unwrapped back to its text.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  const result = await json(event, context);
  const type = result.headers?.["Content-Type"];
  return type === CSV_TYPE ? { ...result, body: JSON.parse(result.body) as string } : result;
};
