import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { AnalyticsProjection } from "../../app/ports";
import type { AnalyticsRecord } from "../../domain/analytics";
import { analyticsKeyOf } from "../analytics-keys";

/** The projection in S3: one JSON object per change, under the Glue table's partitioned prefix. */
export class S3AnalyticsProjection implements AnalyticsProjection {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(record: AnalyticsRecord): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: analyticsKeyOf(record),
        Body: `${JSON.stringify(record)}\n`,
        ContentType: "application/json",
      }),
    );
  }
}
