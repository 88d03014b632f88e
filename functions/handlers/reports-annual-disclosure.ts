import { annualDisclosure, annualDisclosureQuerySchema } from "../app/returns";
import { csvReportHandler } from "../http/csv-report";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";

/** GET /reports/annual-disclosure — the CN annual public disclosure of a year (managers), JSON or CSV. */
export const handler = csvReportHandler(async (event, deps) => {
  const query = parseOrThrow(annualDisclosureQuerySchema, event.queryStringParameters ?? {}, "query");
  const report = await annualDisclosure({ staff: staffOf(event), query }, deps);
  return { ...report, filename: `annual-disclosure-${query.year}.csv` };
});
