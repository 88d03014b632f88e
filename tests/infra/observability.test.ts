import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Code, Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { DefinitionBody, Pass, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { beforeAll, describe, expect, it } from "vitest";
import { PRIORITIES, SEGMENTS } from "../../functions/domain/codes";
import { ALARM_SPECS, dashboardWidgets } from "../../functions/observability/widgets";
import { Observability } from "../../infra/constructs/observability";

const TEAMS = ["cards", "payments"];
let template: Template;
/** The dashboard body with CloudFormation references replaced by `<Ref:LogicalId>` placeholders. */
let dashboard: Template;
let topicRef: string;
let stateMachineRef: string;

/** Joins a `Fn::Join` of strings and references into one string. */
const flatten = (value: unknown): string => {
  if (typeof value === "string") return value;
  const v = value as Record<string, unknown>;
  if (v["Fn::Join"]) {
    const [sep, parts] = v["Fn::Join"] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  if (v.Ref) return `<Ref:${v.Ref}>`;
  if (v["Fn::GetAtt"]) return `<Att:${(v["Fn::GetAtt"] as string[]).join(".")}>`;
  return `<${Object.keys(v)[0]}>`;
};

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, "ObservabilityTest", {
    env: { account: "111111111111", region: "eu-west-1" },
  });
  const stateMachine = new StateMachine(stack, "Workflow", {
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, "Start handling")),
  });
  const functions = ["Intake", "CheckSla"].map(
    (id) =>
      new LambdaFunction(stack, id, {
        runtime: Runtime.NODEJS_22_X,
        handler: "index.handler",
        code: Code.fromInline("exports.handler = async () => {}"),
      }),
  );
  const topic = new Topic(stack, "Alerts");
  const deadLetters = new Queue(stack, "DeadLetters");
  new Observability(stack, "Observability", {
    stateMachine,
    functions,
    streamConsumers: functions,
    deadLetters,
    topic,
    teams: TEAMS,
  });
  template = Template.fromStack(stack);
  topicRef = stack.resolve(topic.topicArn).Ref;
  stateMachineRef = stack.resolve(stateMachine.stateMachineArn).Ref;
  const [body] = Object.values(template.findResources("AWS::CloudWatch::Dashboard")).map(
    (r) => JSON.parse(flatten(r.Properties.DashboardBody)) as unknown,
  );
  dashboard = Template.fromJSON({ Resources: { Body: { Type: "Dashboard::Body", Properties: body } } });
});

/** A widget of the dashboard by title, with properties matching `properties`. */
const expectWidget = (title: string, properties: Record<string, unknown>) =>
  dashboard.hasResourceProperties(
    "Dashboard::Body",
    Match.objectLike({
      widgets: Match.arrayWith([
        Match.objectLike({ properties: Match.objectLike({ title, ...properties }) }),
      ]),
    }),
  );

const app = (metric: string, dims: string[] = [], options: Record<string, unknown> = {}) =>
  Match.arrayWith(["ComplaintHandling", metric, ...dims, Match.objectLike(options)]);

describe("Observability construct: the CloudWatch dashboard from the widget spec", () => {
  it("has one widget per spec widget", () => {
    const count = Object.values(dashboard.findResources("Dashboard::Body"))[0]?.Properties.widgets.length;
    expect(count).toBe(dashboardWidgets(TEAMS).length);
  });

  it("shows the headline tiles over the whole time range, attainment by metric math", () => {
    expectWidget("Complaints at a glance", {
      setPeriodToTimeRange: true,
      metrics: Match.arrayWith([
        app("ComplaintsReceived", [], { stat: "Sum", label: "Received" }),
        [
          Match.objectLike({
            expression: "IF(FILL(resolved, 0) > 0, 100 * FILL(resolvedInTime, 0) / FILL(resolved, 0), 0)",
            label: "SLA attainment %",
          }),
        ],
        app("ResolvedWithinSla", [], { id: "resolvedInTime", visible: false }),
        app("StatutoryBreached", [], { stat: "Sum" }),
        app("NeedsAttention", [], { stat: "Sum" }),
        app("Satisfaction", [], { label: "Satisfaction (1-5)" }),
      ]),
    });
  });

  it("plots arrivals, closures and the backlog as a running net", () => {
    expectWidget("Arrivals, closures and backlog", {
      metrics: Match.arrayWith([
        app("ComplaintsReceived", [], { stat: "Sum", id: "arrived" }),
        app("ComplaintsClosed", [], { stat: "Sum", id: "closed" }),
        [Match.objectLike({ expression: "RUNNING_SUM(FILL(arrived, 0) - FILL(closed, 0))" })],
      ]),
    });
  });

  it("shows p50 and p90 resolution times for every priority and every segment", () => {
    expectWidget("Time to resolve by priority, p50 / p90 (business minutes)", {
      view: "bar",
      metrics: Match.arrayWith(
        PRIORITIES.flatMap((p) => [
          app("TimeToResolveBusiness", ["Priority", p], { stat: "p50" }),
          app("TimeToResolveBusiness", ["Priority", p], { stat: "p90" }),
        ]),
      ),
    });
    expectWidget("Time to resolve by segment, p50 / p90 (business minutes)", {
      metrics: Match.arrayWith(
        SEGMENTS.flatMap((s) => [
          app("TimeToResolveBusiness", ["Segment", s], { stat: "p50" }),
          app("TimeToResolveBusiness", ["Segment", s], { stat: "p90" }),
        ]),
      ),
    });
  });

  it("computes SLA attainment % and the reopen rate with metric math", () => {
    expectWidget("SLA attainment % (resolved within the internal target)", {
      metrics: Match.arrayWith([
        [
          Match.objectLike({
            expression: "IF(FILL(resolved, 0) > 0, 100 * FILL(inTime, 0) / FILL(resolved, 0), 0)",
          }),
        ],
        app("ResolvedWithinSla", [], { id: "inTime", visible: false }),
        app("Resolutions", [], { id: "resolved", visible: false }),
      ]),
    });
    expectWidget("Reopen rate % (reopened per resolution)", {
      metrics: Match.arrayWith([
        [
          Match.objectLike({
            expression: "IF(FILL(resolved, 0) > 0, 100 * FILL(reopened, 0) / FILL(resolved, 0), 0)",
          }),
        ],
      ]),
    });
  });

  it("breaks breaches and escalations down by every configured team", () => {
    expectWidget("SLA breaches and escalations by team", {
      metrics: Match.arrayWith(
        TEAMS.flatMap((team) => [
          app("SlaBreached", ["Team", team], { stat: "Sum" }),
          app("Escalations", ["Team", team], { stat: "Sum" }),
        ]),
      ),
    });
  });

  it("shows statutory breaches and satisfaction", () => {
    expectWidget("Statutory deadline breaches", { metrics: [app("StatutoryBreached", [], { stat: "Sum" })] });
    // Average is CloudWatch's default statistic, so the widget leaves it implicit.
    expectWidget("Customer satisfaction (1-5)", {
      metrics: [
        ["ComplaintHandling", "Satisfaction", Match.not(Match.objectLike({ stat: Match.anyValue() }))],
      ],
    });
  });

  it("watches the workflow: failed and timed-out executions, Lambda errors and throttles of each function", () => {
    expectWidget("Workflow health", {
      metrics: Match.arrayWith([
        app("NeedsAttention", [], { stat: "Sum" }),
        Match.arrayWith(["AWS/States", "ExecutionsFailed", "StateMachineArn", `<Ref:${stateMachineRef}>`]),
        Match.arrayWith(["AWS/States", "ExecutionsTimedOut", "StateMachineArn", `<Ref:${stateMachineRef}>`]),
        Match.arrayWith(["AWS/Lambda", "Errors", "FunctionName"]),
        Match.arrayWith(["AWS/Lambda", "Throttles", "FunctionName"]),
      ]),
    });
    const health = (
      (Object.values(dashboard.findResources("Dashboard::Body"))[0]?.Properties.widgets ?? []) as {
        properties: { title: string; metrics: unknown[][] };
      }[]
    ).find((w) => w.properties.title === "Workflow health");
    const lambdaLines = health?.properties.metrics.filter((m) => m[0] === "AWS/Lambda") ?? [];
    expect(lambdaLines).toHaveLength(2 * 2);
  });
});

describe("Observability construct: alarms, each notifying the topic", () => {
  const action = { AlarmActions: [{ Ref: Match.anyValue() }] };

  it("creates exactly the alarms of the spec, all with the SNS action; missing data breaches only the horizon", () => {
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(ALARM_SPECS.length);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicRef }]);
      const horizon = JSON.stringify(alarm.Properties.Metrics).includes("CalendarHorizonDays");
      expect(alarm.Properties.TreatMissingData).toBe(horizon ? "breaching" : "notBreaching");
    }
  });

  it("fires per calendar under 60 days of confirmed holidays ahead, and when the daily figure is missing", () => {
    for (const calendar of ["CN", "GB-EAW", "GB-SCT", "GB-NIR", "US", "EU"]) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        ...action,
        Metrics: single(
          {
            Namespace: "ComplaintHandling",
            MetricName: "CalendarHorizonDays",
            Dimensions: [{ Name: "Calendar", Value: calendar }],
          },
          86_400,
          "Maximum",
        ),
        Threshold: 60,
        ComparisonOperator: "LessThanThreshold",
        TreatMissingData: "breaching",
      });
    }
  });

  it("fires on any provisional deadline", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Metrics: single({ Namespace: "ComplaintHandling", MetricName: "ProvisionalDeadlines" }, 300),
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
  });

  /** A one-metric alarm's query, as CDK renders a labelled metric. */
  const single = (metric: Record<string, unknown>, period: number, stat = "Sum") => [
    Match.objectLike({
      ReturnData: true,
      MetricStat: { Metric: Match.objectLike(metric), Period: period, Stat: stat },
    }),
  ];

  it("fires on any statutory breach", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Metrics: single({ Namespace: "ComplaintHandling", MetricName: "StatutoryBreached" }, 300),
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
    });
  });

  it("fires when internal breaches exceed 10% of a day's arrivals (metric math)", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Threshold: 10,
      ComparisonOperator: "GreaterThanThreshold",
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: "IF(FILL(received, 0) > 0, 100 * FILL(breached, 0) / FILL(received, 0), 0)",
          ReturnData: true,
        }),
        Match.objectLike({
          Id: "breached",
          ReturnData: false,
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: "ComplaintHandling", MetricName: "SlaBreached" }),
            Period: 86_400,
            Stat: "Sum",
          }),
        }),
        Match.objectLike({
          Id: "received",
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: "ComplaintsReceived" }),
            Period: 86_400,
          }),
        }),
      ]),
    });
  });

  it("fires when any complaint needs attention", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Metrics: single({ Namespace: "ComplaintHandling", MetricName: "NeedsAttention" }, 300),
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
  });

  it("fires when a batch of the change stream lands in the dead-letter queue", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Metrics: single(
        {
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: Match.anyValue() }],
        },
        300,
        "Maximum",
      ),
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
  });

  it("fires when any stream consumer falls five minutes behind the table (the maximum over consumers)", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Threshold: 300_000,
      ComparisonOperator: "GreaterThanThreshold",
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: "MAX([iteratorAge_0,iteratorAge_1])", ReturnData: true }),
        Match.objectLike({
          Id: "iteratorAge_0",
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: "AWS/Lambda", MetricName: "IteratorAge" }),
            Period: 60,
            Stat: "Maximum",
          }),
        }),
      ]),
    });
  });

  it("fires on any failed execution of the state machine", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Metrics: single(
        {
          Namespace: "AWS/States",
          MetricName: "ExecutionsFailed",
          Dimensions: [{ Name: "StateMachineArn", Value: { Ref: stateMachineRef } }],
        },
        300,
      ),
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
  });

  it("fires on stuck work: a tier's time box exceeded, or an execution timed out", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...action,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: "FILL(timeBox, 0) + FILL(timedOut, 0)", ReturnData: true }),
        Match.objectLike({
          Id: "timeBox",
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: "TimeBoxExceeded" }),
            Period: 900,
          }),
        }),
        Match.objectLike({
          Id: "timedOut",
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: "AWS/States", MetricName: "ExecutionsTimedOut" }),
          }),
        }),
      ]),
    });
  });
});
