import { ANALYTICS_PARTITION, ANALYTICS_TABLE, type AnalyticsRecord } from "../domain/analytics";

/** Where a change's row goes, relative to the projection's root (an S3 prefix or a folder). */
export const analyticsKeyOf = (r: AnalyticsRecord): string =>
  `${ANALYTICS_TABLE}/${ANALYTICS_PARTITION}=${String(r.received_at).slice(0, 7)}/${r.complaint_id}/${String(r.seq).padStart(8, "0")}.json`;
