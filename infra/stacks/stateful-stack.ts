import { Stack, type StackProps } from "aws-cdk-lib";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Construct } from "constructs";
import { ComplaintTable } from "../constructs/complaint-table";
import { EvidenceBucket, evidenceBucketName } from "../constructs/evidence-bucket";
import type { StageProfile } from "./settings";

export interface StatefulStackProps extends StackProps {
  profile: StageProfile;
}

/** How the service stack finds the table: its fixed name and the key it is encrypted with. */
export interface TableReference {
  tableName: string;
  encryptionKey: IKey;
  /** The table's change stream (the outbox the stream consumers read). */
  tableStreamArn: string;
}

/** How the service stack finds the evidence bucket: its name, and the key it is encrypted with. */
export interface EvidenceReference {
  bucketName: string;
  encryptionKey: IKey;
}

/**
 * What must outlive any deployment of the code: the table and its key. Kept apart from the service so
 * the service stack can be torn down and redeployed freely; termination-protected in production.
 */
export class StatefulStack extends Stack {
  readonly complaints: ComplaintTable;
  readonly tableReference: TableReference;
  readonly evidence: EvidenceBucket;
  readonly evidenceReference: EvidenceReference;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: props.profile.isProd });
    this.complaints = new ComplaintTable(this, "Complaints", { profile: props.profile });
    this.tableReference = {
      // The literal name, not a token: the service stack imports the table by name (no stack output for it).
      tableName: this.complaints.tableName,
      encryptionKey: this.complaints.key,
      tableStreamArn: this.complaints.table.tableStreamArn as string,
    };
    // Complaint evidence is stateful too: it is kept for years under Object Lock, whatever the code does.
    this.evidence = new EvidenceBucket(this, "Evidence", { profile: props.profile });
    this.evidenceReference = {
      // The name, not the bucket's token: the service stack imports it by name (no stack output for it).
      bucketName: evidenceBucketName(props.profile.stage),
      encryptionKey: this.evidence.key,
    };
  }
}
