import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLERS, type HandlerId } from "../../functions/handlers/catalog";
import { EVIDENCE_LOCK_MODE, EVIDENCE_SWEEP_DAYS } from "../../infra/constructs/evidence-bucket";
import { EVIDENCE_GRANTS, USES_EVIDENCE } from "../../infra/stacks/service-stack";
import {
  expectToMatch,
  logicalIdOf,
  renderIntrinsic,
  resourcesOf,
  type Synthesized,
  synthesize,
} from "./synth";

let synth: Synthesized;
let stateful: Template;
let service: Template;

beforeAll(() => {
  synth = synthesize({ stage: "prod" });
  stateful = synth.statefulTemplate;
  service = synth.serviceTemplate;
});

const statefulId = (node: { node: { defaultChild?: unknown } }) =>
  synth.stateful.resolve((node.node.defaultChild as { logicalId: string }).logicalId) as string;
const bucketId = () => statefulId(synth.stateful.evidence.bucket);
const EVIDENCE_ARN = "arn:<AWS::Partition>:s3:::complaints-evidence-prod-<AWS::AccountId>-<AWS::Region>";

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (handler: HandlerId): Statement[] => {
  const fn = service.toJSON().Resources[logicalIdOf(synth, synth.service.functions[handler])];
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  return resourcesOf(service, "AWS::IAM::Policy")
    .filter(([, p]) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, p]) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe("the evidence bucket (stateful stack)", () => {
  it("is private, KMS-encrypted with its own rotating key, versioned, Object Lock enabled without a default retention", () => {
    const [, bucket] = resourcesOf(stateful, "AWS::S3::Bucket").find(([id]) => id === bucketId())!;
    const keyId = statefulId(synth.stateful.evidence.key);
    expectToMatch(
      bucket,
      Match.objectLike({
        ObjectLockEnabled: true,
        VersioningConfiguration: { Status: "Enabled" },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: "aws:kms",
                KMSMasterKeyID: { "Fn::GetAtt": [keyId, "Arn"] },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      }),
    );
    // Files are locked one by one when they pass their checks: a default retention would lock rejected ones.
    expect((bucket.ObjectLockConfiguration as { Rule?: unknown } | undefined)?.Rule).toBeUndefined();
    stateful.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
      Description: Match.stringLikeRegexp("evidence"),
    });
  });

  it("is TLS-only and access-logged to a bucket of its own", () => {
    stateful.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
    const logsId = statefulId(synth.stateful.evidence.accessLogs);
    stateful.hasResourceProperties("AWS::S3::Bucket", {
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: "evidence-prod/" },
    });
    stateful.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" }),
        ]),
      },
    });
  });

  it("removes what is no longer kept: deleted versions a day on, kept evidence after the longest period plus two years", () => {
    expect(EVIDENCE_SWEEP_DAYS).toBe(Math.ceil(7 * 366));
    stateful.hasResourceProperties("AWS::S3::Bucket", {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: "Enabled" }),
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            ExpiredObjectDeleteMarker: true,
            Status: "Enabled",
          }),
          Match.objectLike({
            Prefix: "complaints/",
            ExpirationInDays: EVIDENCE_SWEEP_DAYS,
            Status: "Enabled",
          }),
        ]),
      },
    });
  });

  it("is kept with the stack in production, with its key", () => {
    const resources = stateful.toJSON().Resources as Record<string, { DeletionPolicy?: string }>;
    expect(resources[bucketId()]?.DeletionPolicy).toBe("Retain");
    expect(resources[statefulId(synth.stateful.evidence.key)]?.DeletionPolicy).toBe("Retain");
  });

  it("is protected by a GuardDuty Malware Protection plan that scans complaints/ and tags each object", () => {
    const roleId = statefulId(synth.stateful.evidence.scanRole);
    stateful.hasResourceProperties("AWS::GuardDuty::MalwareProtectionPlan", {
      Role: { "Fn::GetAtt": [roleId, "Arn"] },
      ProtectedResource: { S3Bucket: { BucketName: { Ref: bucketId() }, ObjectPrefixes: ["complaints/"] } },
      Actions: { Tagging: { Status: "ENABLED" } },
    });
    stateful.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: "malware-protection-plan.guardduty.amazonaws.com" } }),
        ],
      },
    });
    const [, policy] = resourcesOf(stateful, "AWS::IAM::Policy").find(
      ([, p]) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]),
    )!;
    const statements = (policy.PolicyDocument as { Statement: Statement[] }).Statement;
    const scan = statements.find((s) => actions(s).includes("s3:GetObject"))!;
    expect(renderIntrinsic(scan.Resource)).toBe(`<${bucketId()}.Arn>/*`);
    const decrypt = statements.find((s) => actions(s).includes("kms:Decrypt"))!;
    expect(decrypt.Resource).toEqual({ "Fn::GetAtt": [statefulId(synth.stateful.evidence.key), "Arn"] });
    expect(decrypt.Condition).toEqual({
      StringLike: {
        "kms:ViaService": { "Fn::Join": ["", ["s3.", { Ref: "AWS::Region" }, ".amazonaws.com"]] },
      },
    });
  });
});

describe("the checks after an upload (service stack)", () => {
  const fnRef = (h: HandlerId) => ({ "Fn::GetAtt": [logicalIdOf(synth, synth.service.functions[h]), "Arn"] });
  const dlqArn = () => ({
    "Fn::GetAtt": [logicalIdOf(synth, synth.service.evidenceChecks.deadLetters), "Arn"],
  });

  it("sends S3 Object Created under complaints/ of the evidence bucket to the check function, with retries and a DLQ", () => {
    service.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: {
          bucket: { name: [Match.anyValue()] },
          object: { key: [{ prefix: "complaints/" }] },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: fnRef("attachmentsCheck"),
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: { Arn: dlqArn() },
        }),
      ],
    });
  });

  it("sends GuardDuty's scan results for the same objects to the verdict function", () => {
    service.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Malware Protection Object Scan Result"],
        detail: {
          s3ObjectDetails: { bucketName: [Match.anyValue()], objectKey: [{ prefix: "complaints/" }] },
        },
      },
      Targets: [Match.objectLike({ Arn: fnRef("attachmentsMalwareVerdict") })],
    });
    // Both rules name the evidence bucket by its fixed name.
    for (const [, rule] of resourcesOf(service, "AWS::Events::Rule").filter(([id]) =>
      id.startsWith("EvidenceChecks"),
    )) {
      expect(JSON.stringify(rule.EventPattern)).toContain("complaints-evidence-prod-");
    }
  });

  it("grants each function exactly its evidence access on complaints/*, and no other function any", () => {
    const expected: Record<string, string[]> = {
      attachmentsUpload: ["s3:PutObject"],
      attachmentsDownload: ["s3:GetObject", "s3:GetObjectVersion"],
      attachmentsCheck: ["s3:GetObject", "s3:GetObjectVersion"],
      streamRetention: [
        "s3:PutObjectRetention",
        "s3:GetObjectRetention",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
      ],
    };
    expect(Object.keys(EVIDENCE_GRANTS).sort()).toEqual(Object.keys(expected).sort());
    for (const handler of Object.keys(HANDLERS) as HandlerId[]) {
      // The analysts' projection bucket has its own grant (tests/infra/analytics.test.ts).
      const s3 = statementsOf(handler).filter(
        (s) =>
          actions(s).some((a) => a.startsWith("s3:")) &&
          !JSON.stringify(s.Resource).includes(logicalIdOf(synth, synth.service.analytics.bucket)),
      );
      if (!(handler in expected)) {
        expect(s3, handler).toEqual([]);
        continue;
      }
      expect(s3.flatMap(actions).sort(), handler).toEqual([...(expected[handler] ?? [])].sort());
      for (const s of s3) expect(renderIntrinsic(s.Resource), handler).toBe(`${EVIDENCE_ARN}/complaints/*`);
    }
    // Nobody may bypass a governance-mode lock.
    for (const [, p] of resourcesOf(service, "AWS::IAM::Policy"))
      expect(JSON.stringify(p.PolicyDocument)).not.toContain("BypassGovernanceRetention");
  });

  it("gives the key to the functions that need it and only for what they do", () => {
    const kms = (h: HandlerId) =>
      statementsOf(h).filter(
        (s) =>
          actions(s).some((a) => a.startsWith("kms:")) && JSON.stringify(s.Resource).includes("Evidence"),
      );
    expect(kms("attachmentsUpload").flatMap(actions)).toEqual(["kms:GenerateDataKey"]);
    expect(kms("attachmentsDownload").flatMap(actions)).toEqual(["kms:Decrypt"]);
    expect(kms("attachmentsCheck").flatMap(actions)).toEqual(["kms:Decrypt"]);
    expect(kms("streamRetention")).toEqual([]);
  });

  it("tells the functions that use the evidence store its bucket, lock mode and scanner, and no others", () => {
    for (const handler of Object.keys(HANDLERS) as HandlerId[]) {
      const vars =
        service.toJSON().Resources[logicalIdOf(synth, synth.service.functions[handler])].Properties
          .Environment.Variables;
      if ((USES_EVIDENCE as readonly string[]).includes(handler)) {
        expect(renderIntrinsic(vars.EVIDENCE_BUCKET), handler).toBe(
          "complaints-evidence-prod-<AWS::AccountId>-<AWS::Region>",
        );
        expect(vars.EVIDENCE_LOCK_MODE).toBe(EVIDENCE_LOCK_MODE);
        expect(vars.EVIDENCE_MALWARE_SCAN).toBe("guardduty");
      } else expect(vars.EVIDENCE_BUCKET, handler).toBeUndefined();
    }
  });
});
