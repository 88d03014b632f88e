import { Aws, Duration, Stack, Validations } from "aws-cdk-lib";
import { CfnMalwareProtectionPlan } from "aws-cdk-lib/aws-guardduty";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { EVIDENCE_PREFIX } from "../../functions/adapters/s3/keys";
import { RETENTION_RULES } from "../../functions/domain/attachments";
import type { StageProfile } from "../stacks/settings";

/**
 * The Object Lock mode of the retention set on each available file. GOVERNANCE: no function of ours and
 * no ordinary user can delete or shorten a locked version; only a principal granted
 * `s3:BypassGovernanceRetention` (none in this app) can, so a mistaken period can be corrected under
 * change control. COMPLIANCE would make that impossible for anyone, root included, until the date
 * passes. The reasoning is in docs/operations.md.
 */
export const EVIDENCE_LOCK_MODE = "GOVERNANCE" as const;

/**
 * The age (days from upload) at which the lifecycle rule expires a file's current version: the longest
 * retention period plus two years for the complaint to close. A version still under its lock then is not
 * deleted (S3 keeps a locked version whatever a lifecycle rule says); the noncurrent-version rule removes
 * it once the lock has run out. Files are served by version id, so a delete marker never hides one.
 */
export const EVIDENCE_SWEEP_DAYS = Math.ceil(
  (Math.max(...Object.values(RETENTION_RULES).map((r) => r.years)) + 2) * 366,
);

/** How long the bucket's access logs are kept. */
export const ACCESS_LOG_DAYS = 400;

/** GuardDuty's own tag on a scanned object (its value is the scan result). */
export const MALWARE_SCAN_TAG = "GuardDutyMalwareScanStatus";

/**
 * The bucket's physical name: fixed per stage, account and region (bucket names are global), so the
 * service stack imports it by name and its grants read `arn:...:s3:::<name>/complaints/*` plainly.
 */
export const evidenceBucketName = (stage: StageProfile["stage"]): string =>
  `complaints-evidence-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export interface EvidenceBucketProps {
  profile: StageProfile;
}

/**
 * Where complaint evidence lives: a private bucket, encrypted with its own rotating key, TLS only,
 * versioned with Object Lock (no default retention: a file is locked when it passes its checks, so a
 * rejected one can be deleted), server access logs to a bucket of their own, a lifecycle that removes
 * what is no longer kept, EventBridge notifications (the check function starts from `Object Created`),
 * and GuardDuty Malware Protection for S3 scanning every new object and tagging it with the result.
 * Kept with the stack in production (a locked file outlives any deployment, and so must its key); in dev
 * removed with it like every stateful resource — which S3 refuses while locked files remain: GOVERNANCE
 * mode lets an operator with `s3:BypassGovernanceRetention` empty a dev bucket (docs/operations.md).
 */
export class EvidenceBucket extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly accessLogs: Bucket;
  readonly scanRole: Role;
  readonly malwareProtection: CfnMalwareProtectionPlan;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    const { profile } = props;

    this.key = new Key(this, "Key", {
      description: "Encrypts complaint evidence: statements, photos and call recordings carry personal data",
      enableKeyRotation: true,
      removalPolicy: profile.removalPolicy,
    });

    // Server access logs go to a bucket with S3-managed keys: the log delivery service cannot use a KMS key.
    this.accessLogs = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        { id: "expire-access-logs", expiration: Duration.days(ACCESS_LOG_DAYS) },
        { id: "expire-replaced-logs", noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy: profile.removalPolicy,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This is the server access log bucket of the evidence bucket; logging it into itself would loop.",
    });

    this.bucket = new Bucket(this, "Bucket", {
      bucketName: evidenceBucketName(profile.stage),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `evidence-${profile.stage}/`,
      lifecycleRules: [
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: "remove-deleted-versions",
          // A rejected file's deleted version, or one whose lock has run out, goes a day later.
          noncurrentVersionExpiration: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
        {
          id: "expire-kept-evidence",
          prefix: EVIDENCE_PREFIX,
          expiration: Duration.days(EVIDENCE_SWEEP_DAYS),
        },
      ],
      removalPolicy: profile.removalPolicy,
    });
    // EventBridge notifications set on the bucket itself (no custom resource): `Object Created` starts the
    // check function, and GuardDuty's scan reads the same events.
    (this.bucket.node.defaultChild as CfnBucket).addPropertyOverride(
      "NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled",
      true,
    );

    this.scanRole = this.malwareScanRole();
    this.malwareProtection = new CfnMalwareProtectionPlan(this, "MalwareProtection", {
      role: this.scanRole.roleArn,
      protectedResource: {
        s3Bucket: { bucketName: this.bucket.bucketName, objectPrefixes: [EVIDENCE_PREFIX] },
      },
      // GuardDuty tags each scanned object (`GuardDutyMalwareScanStatus`) and publishes the result to the
      // default event bus, which the verdict function records.
      actions: { tagging: { status: "ENABLED" } },
    });
    this.malwareProtection.node.addDependency(this.scanRole);
  }

  /** The role GuardDuty Malware Protection assumes: AWS's documented permissions, scoped to this bucket. */
  private malwareScanRole(): Role {
    const stack = Stack.of(this);
    const role = new Role(this, "MalwareScanRole", {
      assumedBy: new ServicePrincipal("malware-protection-plan.guardduty.amazonaws.com"),
      description: "GuardDuty Malware Protection for S3: scan and tag the complaint evidence bucket",
    });
    const managedRules = stack.formatArn({
      service: "events",
      resource: "rule",
      resourceName: "DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*",
    });
    const objects = this.bucket.arnForObjects("*");
    for (const statement of [
      new PolicyStatement({
        sid: "ManagedRuleToSendS3EventsToGuardDuty",
        actions: ["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"],
        resources: [managedRules],
        conditions: { StringLike: { "events:ManagedBy": "malware-protection-plan.guardduty.amazonaws.com" } },
      }),
      new PolicyStatement({
        sid: "MonitorManagedRule",
        actions: ["events:DescribeRule", "events:ListTargetsByRule"],
        resources: [managedRules],
      }),
      new PolicyStatement({
        sid: "PostScanTag",
        actions: [
          "s3:PutObjectTagging",
          "s3:GetObjectTagging",
          "s3:PutObjectVersionTagging",
          "s3:GetObjectVersionTagging",
        ],
        resources: [objects],
      }),
      new PolicyStatement({
        sid: "EnableS3EventBridgeEvents",
        actions: ["s3:PutBucketNotification", "s3:GetBucketNotification", "s3:ListBucket"],
        resources: [this.bucket.bucketArn],
      }),
      new PolicyStatement({
        sid: "PutValidationObject",
        actions: ["s3:PutObject"],
        resources: [this.bucket.arnForObjects("malware-protection-resource-validation-object")],
      }),
      new PolicyStatement({
        sid: "MalwareScan",
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [objects],
      }),
      new PolicyStatement({
        sid: "DecryptForMalwareScan",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [this.key.keyArn],
        conditions: { StringLike: { "kms:ViaService": `s3.${stack.region}.amazonaws.com` } },
      }),
    ])
      role.addToPolicy(statement);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.resolve((this.bucket.node.defaultChild as CfnBucket).logicalId)}.Arn>/*]`,
        reason:
          "GuardDuty scans and tags every object of the evidence bucket (the plan's prefix narrows what it scans); the wildcard is this one bucket's objects.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]",
        reason:
          "The EventBridge rules GuardDuty creates and manages for the plan carry this documented name prefix; the condition limits them to rules it manages.",
      },
    );
    return role;
  }
}
