import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { TABLE } from "../../functions/adapters/dynamodb/table-schema";
import type { StageProfile } from "../stacks/settings";

export interface ComplaintTableProps {
  profile: StageProfile;
}

/** The table's physical name: fixed, so the service stack imports it by name and it is never replaced silently. */
export const complaintTableName = (stage: StageProfile["stage"]): string => `complaints-${stage}`;

/** The GSI names the service stack's grants must cover (`<table>/index/*`). */
export const COMPLAINT_TABLE_INDEXES: string[] = Object.values(TABLE.indexes).map((index) => index.name);

/**
 * The single complaints table, declared from `TABLE` (the embedded target's CreateTable reads the same
 * object): on-demand, point-in-time recovery, encrypted with our own rotating key, TTL for idempotency
 * records, a change stream of new images (the outbox), and protected from deletion in production.
 */
export class ComplaintTable extends Construct {
  readonly table: Table;
  readonly key: Key;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: ComplaintTableProps) {
    super(scope, id);
    const { profile } = props;

    this.key = new Key(this, "Key", {
      description: "Encrypts the complaints table: complaints carry customers' personal data",
      enableKeyRotation: true,
      removalPolicy: profile.removalPolicy,
    });

    this.tableName = complaintTableName(profile.stage);
    const attribute = (name: string) => ({ name, type: AttributeType.STRING });
    // Table rather than TableV2: TableV2 cannot render a customer-managed key in a region-agnostic stack,
    // and synth must work without an account or region.
    this.table = new Table(this, "Table", {
      tableName: this.tableName,
      partitionKey: attribute(TABLE.partitionKey),
      sortKey: attribute(TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: TABLE.ttlAttribute,
      // The transactional outbox: every committed change's audit events and notices are delivered from here.
      stream: StreamViewType[TABLE.streamView],
      deletionProtection: profile.isProd,
      removalPolicy: profile.removalPolicy,
    });
    for (const index of Object.values(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
