import { RemovalPolicy } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";
import { JURISDICTIONS, type Jurisdiction } from "../../functions/domain/codes";

export const STAGES = ["dev", "prod"] as const;
export type Stage = (typeof STAGES)[number];

/** What one deployment is told through CDK context (`-c stage=prod -c alarmEmail=...`). */
export interface DeploymentSettings {
  stage: Stage;
  /** Subscribed to the managers' topic when given (the subscription must be confirmed by e-mail). */
  alarmEmail?: string;
  /** Jurisdiction assumed for complaints that name none; the functions fall back to the channel's. */
  defaultJurisdiction?: Jurisdiction;
  /**
   * Prod only, off by default: intake environments kept initialised (provisioned concurrency on a `live`
   * alias, which the API then invokes), so a channel's burst after a quiet night meets no cold start.
   * Billed per environment-hour whether used or not; see docs/operations.md "Cold starts and memory".
   */
  intakeProvisionedConcurrency?: number;
}

/** The defaults that differ between a throwaway dev deployment and production. */
export interface StageProfile {
  stage: Stage;
  isProd: boolean;
  logRetention: RetentionDays;
  /** For stateful resources and logs: kept in prod, removed with the stack in dev. */
  removalPolicy: RemovalPolicy;
  logLevel: "DEBUG" | "INFO";
}

/** The profile of a stage: retention, removal and log level follow from it and nowhere else. */
export const stageProfile = (stage: Stage): StageProfile => {
  const isProd = stage === "prod";
  return {
    stage,
    isProd,
    logRetention: isProd ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logLevel: isProd ? "INFO" : "DEBUG",
  };
};

const optionalString = (node: Node, key: string): string | undefined => {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new Error(`context '${key}' must be a string`);
  return value;
};

/** Reads and checks the deployment settings from context, failing synth on a bad value. */
export const settingsFromContext = (node: Node): DeploymentSettings => {
  const stage = optionalString(node, "stage") ?? "dev";
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw new Error(`context 'stage' must be one of ${STAGES.join(", ")}, got '${stage}'`);
  }
  const alarmEmail = optionalString(node, "alarmEmail");
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`context 'alarmEmail' is not an e-mail address: '${alarmEmail}'`);
  }
  const defaultJurisdiction = optionalString(node, "defaultJurisdiction");
  if (defaultJurisdiction && !(JURISDICTIONS as readonly string[]).includes(defaultJurisdiction)) {
    throw new Error(`context 'defaultJurisdiction' must be one of ${JURISDICTIONS.join(", ")}`);
  }
  const provisioned = optionalString(node, "intakeProvisionedConcurrency");
  let intakeProvisionedConcurrency: number | undefined;
  if (provisioned !== undefined) {
    if (!/^\d+$/.test(provisioned) || Number(provisioned) < 1 || Number(provisioned) > 100) {
      throw new Error(
        `context 'intakeProvisionedConcurrency' must be a whole number from 1 to 100, got '${provisioned}'`,
      );
    }
    if (stage !== "prod") {
      throw new Error(
        "context 'intakeProvisionedConcurrency' is for the prod stage only (dev stays on demand)",
      );
    }
    intakeProvisionedConcurrency = Number(provisioned);
  }
  return {
    stage: stage as Stage,
    alarmEmail,
    defaultJurisdiction: defaultJurisdiction as Jurisdiction | undefined,
    ...(intakeProvisionedConcurrency ? { intakeProvisionedConcurrency } : {}),
  };
};
