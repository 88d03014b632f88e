import { fileURLToPath } from "node:url";
import { Duration, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { HANDLERS, type HandlerId } from "../../functions/handlers/catalog";
import type { StageProfile } from "../stacks/settings";

/** The repository root: catalog entries and the lock file are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** What a handler may do to the table: stream consumers that only hand messages on touch none of it. */
export type TableAccess = "none" | "read" | "readWrite";

export interface HandlerFunctionProps {
  handler: HandlerId;
  profile: StageProfile;
  table: ITable;
  /** Read-only handlers get `grantReadData`; only writers get `grantReadWriteData`. */
  tableAccess: TableAccess;
  /** API handlers answer in seconds; workflow steps may wait on a throttled store a little longer. */
  timeout?: Duration;
  environment?: Record<string, string>;
}

/**
 * One Lambda handler from the catalog with the defaults every function shares: Node 22 on arm64,
 * active tracing, its own log group with retention, ESM bundle with source maps and kept names, and a
 * role that can write its own log group and touch the table as `tableAccess` says — nothing else.
 */
export class HandlerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const spec = HANDLERS[props.handler];

    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.profile.logRetention,
      removalPolicy: props.profile.removalPolicy,
    });

    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      // IAM accepts printable ASCII (and Latin-1) only in role descriptions.
      description: `${props.handler}: ${spec.description}`.replace(/[^\x20-\x7E]/g, "-").slice(0, 1000),
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, "Function", {
      entry: `${PROJECT_ROOT}${spec.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: "handler",
      description: spec.description.slice(0, 256),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      environment: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: "complaints",
        POWERTOOLS_METRICS_NAMESPACE: "ComplaintHandling",
        LOG_LEVEL: props.profile.logLevel,
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: "node22",
        mainFields: ["module", "main"],
        // Some CommonJS dependencies call `require` at run time; an ESM bundle has none of its own.
        banner:
          "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Error names are the contract with the state machine (`ErrorEquals`): minification must keep them.
        keepNames: true,
        // The AWS SDK is bundled, not taken from the runtime: we pin one release (see package.json) and
        // test against it, the runtime's copy changes under us without notice, and a tree-shaken bundle
        // of the two clients we use loads faster than the runtime's full SDK.
        externalModules: [],
      },
    });

    if (props.tableAccess === "readWrite") props.table.grantReadWriteData(this.function);
    else if (props.tableAccess === "read") props.table.grantReadData(this.function);

    Validations.of(this).acknowledge(
      {
        id: "AwsSolutions-L1",
        reason:
          "Node.js 22 is the runtime we build (esbuild target node22) and test against; Node 24 follows when the " +
          "toolchain and the embedded target move to it. 22 is supported, 20 is the deprecated one.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level " +
          "permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_id-based-policy-examples.html).",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${props.table.tableName}/index/*]`,
        reason:
          "Queries on the complaints table's own GSIs (team queue, customer, month); the wildcard covers only " +
          "this table's indexes.",
      },
    );
    if (props.tableAccess === "readWrite") {
      const reason =
        "The table's customer-managed key, as DynamoDB needs it for writes (GenerateDataKey and ReEncrypt " +
        "variants); the statement names that one key ARN.";
      Validations.of(this).acknowledge(
        { id: "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]", reason },
        { id: "AwsSolutions-IAM5[Action::kms:ReEncrypt*]", reason },
      );
    }
  }
}
