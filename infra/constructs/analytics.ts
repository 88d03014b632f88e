import { Aws, type CfnResource, Duration, Stack, Validations } from "aws-cdk-lib";
import { CfnNamedQuery, CfnWorkGroup } from "aws-cdk-lib/aws-athena";
import { CfnDatabase, CfnTable } from "aws-cdk-lib/aws-glue";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import {
  ANALYTICS_COLUMNS,
  ANALYTICS_PARTITION,
  ANALYTICS_QUERIES,
  ANALYTICS_TABLE,
  type AnalyticsQueryName,
  analyticsSql,
} from "../../functions/domain/analytics";
import type { StageProfile } from "../stacks/settings";

export interface AnalyticsProps {
  profile: StageProfile;
  /** The stream consumer that writes the projection (granted PutObject on its prefix only). */
  writer: IFunction;
}

/** How long the projection's objects and Athena's results are kept: the projection is rebuilt from the trail. */
export const ANALYTICS_RETENTION_DAYS = 400;
export const ATHENA_RESULTS_DAYS = 30;
const RESULTS_PREFIX = "athena-results/";

/**
 * SQL for analysts: the projection (one JSON object per complaint change, no personal data) in its own
 * bucket, a Glue table over it with partition projection on the month of receipt (no crawler, no
 * MSCK REPAIR), an Athena workgroup that keeps its results encrypted in the same bucket, and the saved
 * queries (the same SQL the embedded target runs with DuckDB). The projection is derived — rebuildable
 * from the audit trail — so it lives with the service, and expires.
 */
export class Analytics extends Construct {
  readonly bucket: Bucket;
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly queries: Record<AnalyticsQueryName, CfnNamedQuery>;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const { profile } = props;
    this.bucket = new Bucket(this, "Bucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: "expire-projection",
          prefix: `${ANALYTICS_TABLE}/`,
          expiration: Duration.days(ANALYTICS_RETENTION_DAYS),
        },
        {
          id: "expire-athena-results",
          prefix: RESULTS_PREFIX,
          expiration: Duration.days(ATHENA_RESULTS_DAYS),
        },
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: profile.removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "The projection holds ids, codes and timings only and is rewritten from the stream; reads are audited by CloudTrail data events, not server access logs.",
    });
    // PutObject on the table's prefix, nothing else (grantPut would add s3:Abort*).
    props.writer.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:PutObject"],
        resources: [this.bucket.arnForObjects(`${ANALYTICS_TABLE}/*`)],
      }),
    );
    Validations.of(props.writer.node.scope as Construct).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((this.bucket.node.defaultChild as CfnResource).logicalId)}.Arn>/${ANALYTICS_TABLE}/*]`,
      reason:
        "The projection consumer writes one object per change under the table's prefix of the analytics bucket, and nowhere else.",
    });

    const databaseName = `complaints_${profile.stage}`;
    this.database = new CfnDatabase(this, "Database", {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: databaseName,
        description: "Complaints without personal data (ids, codes, timings, outcomes)",
      },
    });
    const location = `s3://${this.bucket.bucketName}/${ANALYTICS_TABLE}/`;
    this.table = new CfnTable(this, "Table", {
      catalogId: Aws.ACCOUNT_ID,
      databaseName,
      tableInput: {
        name: ANALYTICS_TABLE,
        description: "One row per complaint change; saved queries take the latest per complaint",
        tableType: "EXTERNAL_TABLE",
        partitionKeys: [{ name: ANALYTICS_PARTITION, type: "string" }],
        parameters: {
          classification: "json",
          "projection.enabled": "true",
          [`projection.${ANALYTICS_PARTITION}.type`]: "date",
          [`projection.${ANALYTICS_PARTITION}.format`]: "yyyy-MM",
          [`projection.${ANALYTICS_PARTITION}.range`]: "2026-01,NOW",
          [`projection.${ANALYTICS_PARTITION}.interval`]: "1",
          [`projection.${ANALYTICS_PARTITION}.interval.unit`]: "MONTHS",
          "storage.location.template": `${location}${ANALYTICS_PARTITION}=\${${ANALYTICS_PARTITION}}/`,
        },
        storageDescriptor: {
          location,
          columns: ANALYTICS_COLUMNS.map((c) => ({ name: c.name, type: c.glue })),
          inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          serdeInfo: { serializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
        },
      },
    });
    this.table.addDependency(this.database);

    this.workGroup = new CfnWorkGroup(this, "WorkGroup", {
      name: `complaints-${profile.stage}-analysts`,
      description: "Analysts' queries over the complaint projection",
      state: "ENABLED",
      recursiveDeleteOption: !profile.isProd,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // A runaway query stops at 10 GB scanned.
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
    });

    this.queries = Object.fromEntries(
      (Object.keys(ANALYTICS_QUERIES) as AnalyticsQueryName[]).map((name) => {
        const q = new CfnNamedQuery(this, `Query-${name}`, {
          name,
          description: ANALYTICS_QUERIES[name].description,
          database: databaseName,
          workGroup: this.workGroup.name,
          queryString: analyticsSql(name),
        });
        q.addDependency(this.workGroup);
        return [name, q];
      }),
    ) as Record<AnalyticsQueryName, CfnNamedQuery>;
  }
}
