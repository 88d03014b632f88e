import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { EVIDENCE_PREFIX } from "../../functions/adapters/s3/keys";

/** What each function may do to the evidence bucket: no more than its job (all on `complaints/*`). */
export const EVIDENCE_ACCESS = {
  /** Signs the upload URL: the upload runs with this role's right to put objects (SSE-KMS: a data key). */
  upload: { s3: ["s3:PutObject"], kms: ["kms:GenerateDataKey"] },
  /** Signs the download URL of one version. */
  download: { s3: ["s3:GetObject", "s3:GetObjectVersion"], kms: ["kms:Decrypt"] },
  /** Reads what was stored: its length and checksum (HeadObject), its first bytes. */
  check: { s3: ["s3:GetObject", "s3:GetObjectVersion"], kms: ["kms:Decrypt"] },
  /** Locks a file, extends its lock, deletes a rejected one (retention and deletion need no key). */
  retention: {
    s3: ["s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObject", "s3:DeleteObjectVersion"],
    kms: [],
  },
} as const;
export type EvidenceAccess = keyof typeof EVIDENCE_ACCESS;

export interface EvidenceChecksProps {
  bucket: IBucket;
  encryptionKey: IKey;
  /** Starts from S3 `Object Created`: the content check. */
  check: IFunction;
  /** Starts from GuardDuty's scan result: the malware verdict. */
  malwareVerdict: IFunction;
  removalPolicy: RemovalPolicy;
}

/**
 * The checks that run after an upload, wired on the default event bus (where S3 and GuardDuty publish):
 * `Object Created` under `complaints/` in the evidence bucket to the check function, GuardDuty's
 * `Object Scan Result` for the same objects to the verdict function. EventBridge retries a failed
 * invocation, then parks the event in a dead-letter queue (ids and keys only, no content).
 */
export class EvidenceChecks extends Construct {
  readonly deadLetters: Queue;
  readonly uploaded: Rule;
  readonly scanned: Rule;

  constructor(scope: Construct, id: string, props: EvidenceChecksProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, "DeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter queue of the evidence check rules' Lambda targets.",
    });
    const target = (fn: IFunction) =>
      new LambdaFunction(fn, {
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.deadLetters,
      });
    const prefix = [{ prefix: EVIDENCE_PREFIX }];
    this.uploaded = new Rule(this, "Uploaded", {
      description: "An evidence file arrived: check its type, length and SHA-256",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: prefix } },
      },
      targets: [target(props.check)],
    });
    this.scanned = new Rule(this, "Scanned", {
      description: "GuardDuty scanned an evidence file: record the malware verdict",
      eventPattern: {
        source: ["aws.guardduty"],
        detailType: ["GuardDuty Malware Protection Object Scan Result"],
        detail: { s3ObjectDetails: { bucketName: [props.bucket.bucketName], objectKey: prefix } },
      },
      targets: [target(props.malwareVerdict)],
    });
  }
}

/** Grants one function its evidence access, on the evidence objects only (and the key where it needs it). */
export const grantEvidence = (
  fn: IGrantable & { node: Construct["node"] },
  access: EvidenceAccess,
  bucket: IBucket,
  key: IKey,
): void => {
  const spec = EVIDENCE_ACCESS[access];
  fn.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...spec.s3], resources: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)] }),
  );
  if (spec.kms.length)
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...spec.kms], resources: [key.keyArn] }),
    );
};
