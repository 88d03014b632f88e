import { fcaReturn, fcaReturnQuerySchema } from "../app/returns";
import { csvReportHandler } from "../http/csv-report";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";

/** GET /reports/fca-return — the FCA complaints return of a half-year (managers), JSON or CSV. */
export const handler = csvReportHandler(async (event, deps) => {
  const query = parseOrThrow(fcaReturnQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await fcaReturn({ staff: staffOf(event), query }, deps);
  return { ...report, filename: `fca-return-${query.period}.csv` };
});
