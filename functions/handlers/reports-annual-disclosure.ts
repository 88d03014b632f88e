import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { readDependencies } from "../adapters/runtime";
import { CSV_CONTENT_TYPE } from "../app/reports";
import { annualDisclosure, annualDisclosureQuerySchema } from "../app/returns";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

const json = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const query = parseOrThrow(annualDisclosureQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await annualDisclosure({ staff: staffOf(event), query }, deps);
  if (report.csv === undefined) return { statusCode: 200, body: report.json };
  return {
    statusCode: 200,
    body: report.csv,
    headers: {
      "Content-Type": CSV_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="annual-disclosure-${query.year}.csv"`,
    },
  };
});

/** GET /reports/annual-disclosure — the CN annual public disclosure of a year (managers); CSV unwrapped from JSON. */
export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const result = await json(event, context);
  if (result.headers?.["Content-Type"] !== CSV_CONTENT_TYPE) return result;
  return { ...result, body: JSON.parse(result.body) as string };
};
