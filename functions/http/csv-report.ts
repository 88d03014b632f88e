import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { reportDependencies } from "../adapters/runtime";
import type { ReportDependencies } from "../app/dependencies";
import { CSV_CONTENT_TYPE } from "../app/reports";
import { httpHandler } from "./middleware";

/**
 * A report handler that answers JSON, or a CSV download: `run` answers `{ json, csv? }` and the file name
 * of the download; the CSV body goes out as text (the JSON serializer would quote it).
 */
export const csvReportHandler = (
  run: (
    event: APIGatewayProxyEvent,
    deps: ReportDependencies,
  ) => Promise<{ json: unknown; csv?: string; filename: string }>,
) => {
  const json = httpHandler({ body: false, deps: reportDependencies }, async (event, deps) => {
    const report = await run(event, deps);
    if (report.csv === undefined) return { statusCode: 200, body: report.json };
    return {
      statusCode: 200,
      body: report.csv,
      headers: {
        "Content-Type": CSV_CONTENT_TYPE,
        "Content-Disposition": `attachment; filename="${report.filename}"`,
      },
    };
  });
  return async (event: APIGatewayProxyEvent, context: Context) => {
    const result = await json(event, context);
    if (result.headers?.["Content-Type"] !== CSV_CONTENT_TYPE) return result;
    return { ...result, body: JSON.parse(result.body) as string };
  };
};
