import { ArnFormat, type CfnResource, Duration, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { Table } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Alias, type CfnFunction, type IFunction } from "aws-cdk-lib/aws-lambda";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import { defaultRoutingTable } from "../../functions/domain/routing";
import {
  HANDLERS,
  type HandlerId,
  STREAM_CONSUMERS,
  type StreamConsumerId,
  WORKFLOW_HANDLERS,
} from "../../functions/handlers/catalog";
import { ROUTES } from "../../functions/http/routes";
import { ComplaintWorkflow } from "../../workflows/complaint-workflow";
import { Analytics } from "../constructs/analytics";
import { ComplaintApi } from "../constructs/complaint-api";
import { COMPLAINT_TABLE_INDEXES } from "../constructs/complaint-table";
import { ComplaintEventBus } from "../constructs/event-bus";
import { EVIDENCE_LOCK_MODE } from "../constructs/evidence-bucket";
import { type EvidenceAccess, EvidenceChecks, grantEvidence } from "../constructs/evidence-checks";
import { HandlerFunction, type TableAccess } from "../constructs/handler-function";
import { Observability } from "../constructs/observability";
import { StaffConsole } from "../constructs/staff-console";
import { StreamDelivery } from "../constructs/stream-delivery";
import type { DeploymentSettings, StageProfile } from "./settings";
import type { EvidenceReference, TableReference } from "./stateful-stack";

/**
 * What each handler may do to the table. Typed over every catalog id, so a new handler does not
 * compile until someone decides its access.
 */
export const TABLE_ACCESS: Record<HandlerId, TableAccess> = {
  intake: "readWrite",
  getComplaint: "read",
  customerReply: "readWrite",
  feedback: "readWrite",
  verifyAudit: "read",
  staffAction: "readWrite",
  staffGetComplaint: "read",
  queue: "read",
  startHandling: "readWrite",
  registerTask: "readWrite",
  checkSlaClock: "readWrite",
  closeComplaint: "readWrite",
  markNeedsAttention: "readWrite",
  // Starts the workflows of complaints left `received`: reads the month index.
  reconcile: "read",
  // Stream consumers: they hand messages on; the bus consumer records which customer notices went out.
  streamWorkflows: "none",
  streamBus: "readWrite",
  streamAlerts: "none",
  streamMetrics: "none",
  reportsSla: "read",
  reportsRegulatory: "read",
  listNotices: "read",
  customerHistory: "read",
  // Reads the bundled routing table only; the read wiring it shares names the table.
  teams: "read",
  reportsRootCauses: "read",
  reportsFcaReturn: "read",
  reportsAnnualDisclosure: "read",
  calendarsGet: "read",
  // Stores a loaded year, its load record and recompute job.
  calendarsPut: "readWrite",
  // Recomputes open complaints through the commit path; records the rules version.
  calendarJobs: "readWrite",
  calendarHorizon: "read",
  // Attachments: a request, a verdict and a download (audit-only) are commits; the list only reads.
  attachmentsUpload: "readWrite",
  attachmentsList: "read",
  attachmentsDownload: "readWrite",
  attachmentsCheck: "readWrite",
  attachmentsMalwareVerdict: "readWrite",
  // Locks and deletes objects from what the stream record carries: never reads the table.
  streamRetention: "none",
  // Reads and replaces each complaint's contribution and adds the difference to the report cells.
  streamReports: "readWrite",
  // Recomputes a range's contributions from the trail and writes the recounted cells.
  reportsRebuild: "readWrite",
  // Writes what the stream record carries to S3: never reads the table.
  streamAnalytics: "none",
};

/** What each handler may do to the evidence bucket (see EVIDENCE_ACCESS); the rest touch none of it. */
export const EVIDENCE_GRANTS: Partial<Record<HandlerId, EvidenceAccess>> = {
  attachmentsUpload: "upload",
  attachmentsDownload: "download",
  attachmentsCheck: "check",
  streamRetention: "retention",
};

/** Handlers that build the evidence store (they are told its bucket and how attachments behave). */
export const USES_EVIDENCE = [
  "attachmentsUpload",
  "attachmentsDownload",
  "attachmentsCheck",
  "attachmentsMalwareVerdict",
  "streamRetention",
] as const satisfies readonly HandlerId[];

/** The one handler that writes the analysts' projection to S3 (PutObject on its prefix only). */
export const WRITES_ANALYTICS = ["streamAnalytics"] as const satisfies readonly HandlerId[];

/** The one handler that publishes manager notices: the stream consumer for the alerts topic. */
export const PUBLISHES_NOTICES = ["streamAlerts"] as const satisfies readonly HandlerId[];

/** The one handler that puts integration events and customer notices on the bus: its stream consumer. */
export const PUBLISHES_EVENTS = ["streamBus"] as const satisfies readonly HandlerId[];

/** Handlers that start executions: the stream consumer, and the reconciler for a start the stream lost. */
export const STARTS_EXECUTIONS = ["streamWorkflows", "reconcile"] as const satisfies readonly HandlerId[];
/** Handlers that answer a waiting task: a staff decision, a customer's reply or feedback resumes the workflow. */
export const SENDS_TASK_RESPONSES = [
  "staffAction",
  "customerReply",
  "feedback",
  // Re-arms the timer of a waiting stage whose deadlines a calendar load or a rules change moved.
  "calendarJobs",
] as const satisfies readonly HandlerId[];

export interface ServiceStackProps extends StackProps {
  settings: DeploymentSettings;
  profile: StageProfile;
  table: TableReference;
  evidence: EvidenceReference;
}

/** The code side: functions, the workflow, the API, the schedule, alerts. Composes constructs only. */
export class ServiceStack extends Stack {
  readonly functions: Record<HandlerId, NodejsFunction>;
  readonly workflow: ComplaintWorkflow;
  readonly api: ComplaintApi;
  readonly managerAlerts: Topic;
  readonly observability: Observability;
  readonly eventBus: ComplaintEventBus;
  readonly streamDelivery: StreamDelivery;
  readonly analytics: Analytics;
  readonly evidenceChecks: EvidenceChecks;
  readonly staffConsole: StaffConsole;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { profile, settings } = props;
    // Imported by name with its indexes, so grants name `table/<name>` and `table/<name>/index/*` plainly.
    const table = Table.fromTableAttributes(this, "ComplaintTable", {
      tableName: props.table.tableName,
      encryptionKey: props.table.encryptionKey,
      globalIndexes: COMPLAINT_TABLE_INDEXES,
      tableStreamArn: props.table.tableStreamArn,
    });
    const workflowHandlers: readonly HandlerId[] = WORKFLOW_HANDLERS;

    const ids = Object.keys(HANDLERS) as HandlerId[];
    this.functions = Object.fromEntries(
      ids.map((handler) => [
        handler,
        new HandlerFunction(this, `Fn-${handler}`, {
          handler,
          profile,
          table,
          tableAccess: TABLE_ACCESS[handler],
          // Workflow steps get more room: a retry inside the SDK must not turn into a task failure. The
          // reconciler and the stream consumers are background work over batches (up to 100 records).
          timeout: Duration.seconds(
            handler === "calendarJobs" || handler === "reportsRebuild"
              ? 300
              : handler === "reconcile" || handler in STREAM_CONSUMERS
                ? 60
                : workflowHandlers.includes(handler)
                  ? 30
                  : 10,
          ),
          environment: settings.defaultJurisdiction
            ? { DEFAULT_JURISDICTION: settings.defaultJurisdiction }
            : {},
        }).function,
      ]),
    ) as Record<HandlerId, NodejsFunction>;
    const fn = this.functions;

    this.workflow = new ComplaintWorkflow(this, "Workflow", {
      functions: {
        startHandling: fn.startHandling,
        registerTask: fn.registerTask,
        checkSlaClock: fn.checkSlaClock,
        closeComplaint: fn.closeComplaint,
        markNeedsAttention: fn.markNeedsAttention,
      },
      logging: { retention: profile.logRetention, removalPolicy: profile.removalPolicy },
      tracingEnabled: true,
      removalPolicy: profile.removalPolicy,
    });
    const { stateMachine } = this.workflow;
    this.acknowledgeWorkflowRole(workflowHandlers.map((handler) => fn[handler]));
    for (const handler of [...STARTS_EXECUTIONS, ...SENDS_TASK_RESPONSES]) {
      fn[handler].addEnvironment("STATE_MACHINE_ARN", stateMachine.stateMachineArn);
    }
    for (const handler of STARTS_EXECUTIONS) stateMachine.grantStartExecution(fn[handler]);
    for (const handler of SENDS_TASK_RESPONSES) stateMachine.grantTaskResponse(fn[handler]);
    // The reconciler lists failed executions and redrives those whose complaint was never flagged: the
    // two actions it needs, not grantRead's whole set.
    fn.reconcile.addToRolePolicy(
      new PolicyStatement({ actions: ["states:ListExecutions"], resources: [stateMachine.stateMachineArn] }),
    );
    const executions = Stack.of(this).formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.reconcile.addToRolePolicy(
      new PolicyStatement({ actions: ["states:RedriveExecution"], resources: [executions] }),
    );
    Validations.of(fn.reconcile.node.scope as Construct).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${this.resolve((stateMachine.node.defaultChild as CfnResource).logicalId)}.Name>:*]`,
      reason:
        "The executions of the one complaint workflow: the reconciler redrives whichever failed execution it listed, never one of another state machine.",
    });

    // The staff console (CloudFront + private bucket) first: its origin is the one the API's CORS allows.
    this.staffConsole = new StaffConsole(this, "Console", { profile });
    const consoleOrigin = this.staffConsole.origin;
    // Off by default: with `-c intakeProvisionedConcurrency=N` (prod only), the API invokes intake through
    // a `live` alias that keeps N environments initialised.
    const apiFunctions: Record<HandlerId, IFunction> = { ...fn };
    if (props.settings.intakeProvisionedConcurrency) {
      apiFunctions.intake = new Alias(this, "IntakeLive", {
        aliasName: "live",
        version: fn.intake.currentVersion,
        provisionedConcurrentExecutions: props.settings.intakeProvisionedConcurrency,
      });
    }
    this.api = new ComplaintApi(this, "Api", { profile, functions: apiFunctions, consoleOrigin });
    const channelHandlers = new Set(ROUTES.filter((r) => r.auth === "channel").map((r) => r.handler));
    for (const handler of channelHandlers) {
      fn[handler].addEnvironment("CHANNEL_API_KEYS", this.api.channelApiKeysJson());
    }
    for (const handler of new Set(ROUTES.filter((r) => r.auth === "staff").map((r) => r.handler))) {
      fn[handler].addEnvironment("CORS_ALLOW_ORIGIN", consoleOrigin);
    }
    if (this.api.consoleClient && this.api.loginDomain) {
      this.staffConsole.deploy({
        apiUrl: this.api.api.url,
        apiOrigin: `https://${this.api.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}`,
        cognitoDomain: `${this.api.loginDomain.domainName}.auth.${this.region}.amazoncognito.com`,
        clientId: this.api.consoleClient.userPoolClientId,
      });
    }

    this.streamDelivery = new StreamDelivery(this, "Outbox", {
      table,
      consumers: {
        streamWorkflows: fn.streamWorkflows,
        streamBus: fn.streamBus,
        streamAlerts: fn.streamAlerts,
        streamMetrics: fn.streamMetrics,
        streamRetention: fn.streamRetention,
        streamReports: fn.streamReports,
        streamAnalytics: fn.streamAnalytics,
      },
      removalPolicy: profile.removalPolicy,
    });

    // SQL for analysts: the projection the stream writes, its Glue table, the Athena workgroup and queries.
    const [writer] = WRITES_ANALYTICS;
    this.analytics = new Analytics(this, "Analytics", { profile, writer: fn[writer] });
    fn[writer].addEnvironment("ANALYTICS_BUCKET", this.analytics.bucket.bucketName);

    // The recompute jobs (a calendar load, new statutory rules after a deploy): a run a minute, each
    // carrying on where the last stopped; and the calendar horizon, once a day.
    new Rule(this, "CalendarJobsSchedule", {
      description: "Adopts new statutory rules and recomputes open complaints after a calendar load",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fn.calendarJobs, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    new Rule(this, "CalendarHorizonSchedule", {
      description: "CalendarHorizonDays per calendar (alarmed below 60 days, and when missing)",
      schedule: Schedule.cron({ minute: "5", hour: "0" }),
      targets: [new LambdaFunction(fn.calendarHorizon, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });

    // Evidence: the bucket (stateful stack), each function's grant on its objects, the checks after upload.
    const evidenceBucket = Bucket.fromBucketAttributes(this, "EvidenceBucket", {
      bucketName: props.evidence.bucketName,
      encryptionKey: props.evidence.encryptionKey,
    });
    for (const handler of USES_EVIDENCE) {
      fn[handler].addEnvironment("EVIDENCE_BUCKET", props.evidence.bucketName);
      fn[handler].addEnvironment("EVIDENCE_LOCK_MODE", EVIDENCE_LOCK_MODE);
      fn[handler].addEnvironment("EVIDENCE_MALWARE_SCAN", "guardduty");
    }
    for (const [handler, access] of Object.entries(EVIDENCE_GRANTS) as [HandlerId, EvidenceAccess][]) {
      grantEvidence(fn[handler], access, evidenceBucket, props.evidence.encryptionKey);
      Validations.of(fn[handler].node.scope as Construct).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${this.resolveName(props.evidence.bucketName)}/complaints/*]`,
        reason:
          "The evidence objects, keyed complaints/<complaint id>/<attachment id>: the function acts on whichever file a request or event names, never outside that prefix of the one bucket.",
      });
    }
    this.evidenceChecks = new EvidenceChecks(this, "EvidenceChecks", {
      bucket: evidenceBucket,
      encryptionKey: props.evidence.encryptionKey,
      check: fn.attachmentsCheck,
      malwareVerdict: fn.attachmentsMalwareVerdict,
      removalPolicy: profile.removalPolicy,
    });

    new Rule(this, "ReconcileSchedule", {
      description:
        "Starts the workflow of complaints still received a minute after intake (the stream's safety net)",
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(fn.reconcile, { retryAttempts: 2, maxEventAge: Duration.minutes(4) })],
    });

    // Alarms publish through this key, so CloudWatch may use it; AWS managed SNS keys cannot be shared.
    const alertsKey = new Key(this, "ManagerAlertsKey", {
      description: "Encrypts the managers' alert topic",
      enableKeyRotation: true,
      removalPolicy: profile.removalPolicy,
    });
    alertsKey.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey");
    this.managerAlerts = new Topic(this, "ManagerAlerts", {
      displayName: `Complaint handling alerts (${profile.stage})`,
      masterKey: alertsKey,
      enforceSSL: true,
    });
    if (settings.alarmEmail) this.managerAlerts.addSubscription(new EmailSubscription(settings.alarmEmail));
    for (const handler of PUBLISHES_NOTICES) {
      fn[handler].addEnvironment("NOTIFICATION_TOPIC_ARN", this.managerAlerts.topicArn);
      this.managerAlerts.grantPublish(fn[handler]);
      if (TABLE_ACCESS[handler] !== "readWrite") {
        // On the handler's construct: its role is a sibling of the function.
        Validations.of(fn[handler].node.scope as Construct).acknowledge({
          id: "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
          reason:
            "Publishing to the managers' topic, encrypted with its own customer-managed key: SNS needs GenerateDataKey on that one key ARN.",
        });
      }
    }

    this.eventBus = new ComplaintEventBus(this, "Events", {
      eventBusName: `complaints-${profile.stage}`,
      removalPolicy: profile.removalPolicy,
    });
    for (const handler of PUBLISHES_EVENTS) this.eventBus.grantPublish(fn[handler]);

    // Dashboard and alarms come from the one widget spec the local /dashboard renders too.
    this.observability = new Observability(this, "Observability", {
      stateMachine,
      functions: Object.values(fn),
      streamConsumers: (Object.keys(STREAM_CONSUMERS) as StreamConsumerId[]).map((id) => fn[id]),
      deadLetters: this.streamDelivery.deadLetters,
      topic: this.managerAlerts,
      teams: [...new Set(defaultRoutingTable.map((r) => r.team))],
      dashboardName: `complaints-${profile.stage}`,
    });
  }

  /** A name with pseudo-parameters as cdk-nag renders it (`complaints-evidence-dev-<AWS::AccountId>-...`). */
  private resolveName(name: string): string {
    const resolved = this.resolve(name) as string | { "Fn::Join": [string, (string | { Ref: string })[]] };
    if (typeof resolved === "string") return resolved;
    return resolved["Fn::Join"][1]
      .map((p) => (typeof p === "string" ? p : `<${p.Ref}>`))
      .join(resolved["Fn::Join"][0]);
  }

  /** The wildcards CDK's Step Functions integration writes into the state machine's role, each with its reason. */
  private acknowledgeWorkflowRole(stepFunctions: NodejsFunction[]): void {
    const versions =
      "LambdaInvoke grants the step function and its versions/aliases (`<arn>:*`); the wildcard is one " +
      "function's qualifiers, not other functions.";
    Validations.of(this.workflow.stateMachine).acknowledge(
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Execution logging to CloudWatch Logs (logs:*LogDelivery, DescribeLogGroups, resource policies) and " +
          "X-Ray tracing: these actions support no resource-level permissions.",
      },
      ...stepFunctions.map((f) => {
        const logicalId = this.resolve((f.node.defaultChild as CfnFunction).logicalId) as string;
        return { id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`, reason: versions };
      }),
    );
  }
}
