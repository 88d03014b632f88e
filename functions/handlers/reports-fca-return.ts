import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { readDependencies } from "../adapters/runtime";
import { CSV_CONTENT_TYPE } from "../app/reports";
import { fcaReturn, fcaReturnQuerySchema } from "../app/returns";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

const json = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const query = parseOrThrow(fcaReturnQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await fcaReturn({ staff: staffOf(event), query }, deps);
  if (report.csv === undefined) return { statusCode: 200, body: report.json };
  return {
    statusCode: 200,
    body: report.csv,
    headers: {
      "Content-Type": CSV_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="fca-return-${query.period}.csv"`,
    },
  };
});

/** GET /reports/fca-return — the FCA complaints return of a half-year (managers); CSV unwrapped from JSON. */
export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const result = await json(event, context);
  if (result.headers?.["Content-Type"] !== CSV_CONTENT_TYPE) return result;
  return { ...result, body: JSON.parse(result.body) as string };
};
