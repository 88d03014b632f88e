import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ANALYTICS_COLUMNS, ANALYTICS_QUERIES, analyticsSql } from "../../functions/domain/analytics";
import { HANDLERS, type HandlerId } from "../../functions/handlers/catalog";
import { ANALYTICS_RETENTION_DAYS, ATHENA_RESULTS_DAYS } from "../../infra/constructs/analytics";
import { expectToMatch, logicalIdOf, resourcesOf, type Synthesized, synthesize } from "./synth";

let synth: Synthesized;
let service: Template;

beforeAll(() => {
  synth = synthesize({ stage: "prod" });
  service = synth.serviceTemplate;
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const statementsOf = (handler: HandlerId): Statement[] => {
  const fn = service.toJSON().Resources[logicalIdOf(synth, synth.service.functions[handler])];
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  return resourcesOf(service, "AWS::IAM::Policy")
    .filter(([, p]) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, p]) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
};
const bucketRef = () => ({
  "Fn::GetAtt": [logicalIdOf(synth, synth.service.analytics.bucket), "Arn"],
});

describe("SQL for analysts (service stack)", () => {
  it("keeps the projection in a private, encrypted, SSL-only bucket whose objects expire", () => {
    service.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: "complaint_changes/", ExpirationInDays: ANALYTICS_RETENTION_DAYS }),
          Match.objectLike({ Prefix: "athena-results/", ExpirationInDays: ATHENA_RESULTS_DAYS }),
        ]),
      },
    });
  });

  it("lets only the projection consumer write, and only under the table's prefix", () => {
    const writes = (h: HandlerId) =>
      statementsOf(h).filter((s) =>
        (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith("s3:PutObject")),
      );
    expectToMatch(
      writes("streamAnalytics"),
      Match.arrayWith([
        Match.objectLike({
          Effect: "Allow",
          Resource: { "Fn::Join": ["", [bucketRef(), "/complaint_changes/*"]] },
        }),
      ]),
    );
    const others = (Object.keys(HANDLERS) as HandlerId[]).filter((h) => h !== "streamAnalytics");
    for (const h of others)
      expect(JSON.stringify(writes(h)), h).not.toContain(logicalIdOf(synth, synth.service.analytics.bucket));
  });

  it("declares the Glue table from the one column list, partitioned by month of receipt with projection", () => {
    service.hasResourceProperties("AWS::Glue::Table", {
      DatabaseName: "complaints_prod",
      TableInput: {
        Name: "complaint_changes",
        PartitionKeys: [{ Name: "received_month", Type: "string" }],
        Parameters: Match.objectLike({
          "projection.enabled": "true",
          "projection.received_month.type": "date",
          "projection.received_month.format": "yyyy-MM",
        }),
        StorageDescriptor: Match.objectLike({
          Columns: ANALYTICS_COLUMNS.map((c) => ({ Name: c.name, Type: c.glue })),
          SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
        }),
      },
    });
    // No personal data in the columns.
    const names = ANALYTICS_COLUMNS.map((c) => c.name).join(",");
    expect(names).not.toMatch(/name|phone|email|description|customer_id|amount/);
  });

  it("saves the three queries in an enforced, encrypted, capped Athena workgroup", () => {
    service.hasResourceProperties("AWS::Athena::WorkGroup", {
      Name: "complaints-prod-analysts",
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: "SSE_S3" } }),
      }),
    });
    for (const name of Object.keys(ANALYTICS_QUERIES) as (keyof typeof ANALYTICS_QUERIES)[]) {
      service.hasResourceProperties("AWS::Athena::NamedQuery", {
        Name: name,
        Database: "complaints_prod",
        WorkGroup: "complaints-prod-analysts",
        QueryString: analyticsSql(name),
      });
    }
    expect(Object.keys(ANALYTICS_QUERIES).sort()).toEqual([
      "repeat_complainants",
      "time_to_resolve_by_segment",
      "volume_by_cause",
    ]);
  });
});
