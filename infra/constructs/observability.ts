import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  GraphWidgetView,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import {
  ALARM_SPECS,
  type AlarmSpec,
  APP_NAMESPACE,
  dashboardWidgets,
  type Series,
  type Stat,
  toMetricMath,
  type WidgetSpec,
} from "../../functions/observability/widgets";

export interface ObservabilityProps {
  stateMachine: IStateMachine;
  functions: IFunction[];
  /** The consumers of the table's change stream (their iterator age says how far behind delivery is). */
  streamConsumers: IFunction[];
  /** Where the stream consumers' failed batches go. */
  deadLetters: IQueue;
  /** Where every alarm notifies (the managers' topic). */
  topic: ITopic;
  /** The teams of the routing table: the per-team widgets list each of them. */
  teams: string[];
  dashboardName?: string;
}

const STATISTIC: Record<Stat, string> = {
  Sum: "Sum",
  Average: "Average",
  SampleCount: "SampleCount",
  Maximum: "Maximum",
  // A gauge: CloudWatch shows a single-value widget's most recent period; that period's maximum is it.
  Latest: "Maximum",
  p50: "p50",
  p90: "p90",
};

const COMPARISON = {
  GreaterThanThreshold: ComparisonOperator.GREATER_THAN_THRESHOLD,
  GreaterThanOrEqualToThreshold: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  LessThanThreshold: ComparisonOperator.LESS_THAN_THRESHOLD,
} as const;

/**
 * The CloudWatch dashboard and the alarms of the complaint service, rendered from the one widget spec
 * (`functions/observability/widgets.ts`) that the local `/dashboard` page is rendered from too.
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Record<string, Alarm>;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, "Dashboard", {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.days(7),
    });
    // CloudWatch lays widgets out left to right, wrapping at 24 columns: one row per spec row.
    let row: ReturnType<Observability["widget"]>[] = [];
    let used = 0;
    for (const spec of dashboardWidgets(props.teams)) {
      if (used + spec.width > 24) {
        this.dashboard.addWidgets(...row);
        row = [];
        used = 0;
      }
      row.push(this.widget(spec, props));
      used += spec.width;
    }
    if (row.length) this.dashboard.addWidgets(...row);

    const action = new SnsAction(props.topic);
    this.alarms = Object.fromEntries(
      ALARM_SPECS.map((spec) => {
        const alarm = this.alarm(spec, props);
        alarm.addAlarmAction(action);
        return [spec.id, alarm];
      }),
    );
  }

  /** The CloudWatch metrics of one spec series (a function-scoped AWS series gives one per function). */
  private metrics(series: Series, period: Duration, props: ObservabilityProps): IMetric[] {
    switch (series.kind) {
      case "app":
        return [
          new Metric({
            namespace: APP_NAMESPACE,
            metricName: series.metric,
            dimensionsMap: series.dimensions as Record<string, string>,
            statistic: STATISTIC[series.stat],
            label: series.label,
            period,
          }),
        ];
      case "aws":
        if (series.resource === "deadLetters") {
          return [
            props.deadLetters.metric(series.metric, {
              statistic: STATISTIC[series.stat],
              label: series.label,
              period,
            }),
          ];
        }
        if (series.resource === "streamConsumers") {
          return props.streamConsumers.map((fn) =>
            fn.metric(series.metric, {
              statistic: STATISTIC[series.stat],
              label: `${series.label} (${fn.node.scope?.node.id ?? fn.node.id})`,
              period,
            }),
          );
        }
        if (series.resource === "stateMachine") {
          return [
            props.stateMachine.metric(series.metric, {
              statistic: STATISTIC[series.stat],
              label: series.label,
              period,
            }),
          ];
        }
        return props.functions.map((fn) =>
          fn.metric(series.metric, {
            statistic: STATISTIC[series.stat],
            label: `${series.label} (${fn.node.scope?.node.id ?? fn.node.id})`,
            period,
          }),
        );
      case "formula":
        return [];
    }
  }

  /** Every series of a widget or alarm as CloudWatch metrics, formulas bound to their inputs by id. */
  private bind(series: Series[], period: Duration, props: ObservabilityProps) {
    const byId = new Map<string, IMetric>();
    const shown: IMetric[] = [];
    for (const s of series) {
      if (s.kind === "formula") {
        const inputs = Object.fromEntries(
          (s.formula.op === "sum"
            ? s.formula.of
            : s.formula.op === "ratio"
              ? [s.formula.numerator, s.formula.denominator]
              : [s.formula.plus, s.formula.minus]
          ).map((id) => [id, byId.get(id) as IMetric]),
        );
        const expression = new MathExpression({
          expression: toMetricMath(s.formula),
          usingMetrics: inputs,
          label: s.label,
          period,
        });
        byId.set(s.id, expression);
        if (!s.hidden) shown.push(expression);
        continue;
      }
      const metrics = this.metrics(s, period, props);
      if (metrics.length === 1) byId.set(s.id, metrics[0] as IMetric);
      else if (metrics.length > 1) {
        // One series over several resources (each stream consumer, each function): alarms and formulas see
        // their maximum or their sum, as the statistic asks.
        const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`${s.id}_${i}`, m]));
        const fn = s.stat === "Maximum" ? "MAX" : "SUM";
        byId.set(
          s.id,
          new MathExpression({
            expression: `${fn}([${Object.keys(usingMetrics).join(",")}])`,
            usingMetrics,
            label: s.label,
            period,
          }),
        );
      }
      if (!s.hidden) shown.push(...metrics);
    }
    return { byId, shown };
  }

  private widget(spec: WidgetSpec, props: ObservabilityProps) {
    const period = Duration.hours(1);
    const { shown } = this.bind(spec.series, period, props);
    if (spec.view === "tiles") {
      // A gauge shows its most recent day; every other tile, its statistic over the whole range.
      const gauge = spec.series.some((s) => s.kind === "app" && s.stat === "Latest");
      return new SingleValueWidget({
        title: spec.title,
        metrics: gauge ? this.bind(spec.series, Duration.days(1), props).shown : shown,
        width: spec.width,
        height: spec.height,
        ...(gauge ? {} : { setPeriodToTimeRange: true }),
      });
    }
    return new GraphWidget({
      title: spec.title,
      left: shown,
      width: spec.width,
      height: spec.height,
      ...(spec.unit ? { leftYAxis: { label: spec.unit, showUnits: false, min: 0 } } : {}),
      ...(spec.view === "bar" ? { view: GraphWidgetView.BAR, setPeriodToTimeRange: true } : {}),
    });
  }

  private alarm(spec: AlarmSpec, props: ObservabilityProps): Alarm {
    const { byId } = this.bind(spec.series, Duration.seconds(spec.periodSeconds), props);
    const metric = byId.get(spec.on);
    if (!metric) throw new Error(`alarm ${spec.id}: no series '${spec.on}'`);
    return new Alarm(this, spec.id, {
      alarmDescription: spec.description,
      metric,
      threshold: spec.threshold,
      comparisonOperator: COMPARISON[spec.comparison],
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      // No data means nothing happened (most metrics are emitted only when something does), except for a
      // figure that must keep coming (the calendar horizon).
      treatMissingData:
        spec.missingData === "breaching" ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
    });
  }
}
