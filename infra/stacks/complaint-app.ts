import type { App } from "aws-cdk-lib";
import { ServiceStack } from "./service-stack";
import { type DeploymentSettings, stageProfile } from "./settings";
import { StatefulStack } from "./stateful-stack";

export interface ComplaintStacks {
  stateful: StatefulStack;
  service: ServiceStack;
}

/** Adds the two stacks of one deployment to an app (the CLI entry and the CDK tests both use this). */
export const addComplaintStacks = (app: App, settings: DeploymentSettings): ComplaintStacks => {
  const profile = stageProfile(settings.stage);
  const name = `Complaints-${settings.stage}`;
  // Environment-agnostic unless the CLI knows the account: synth needs no credentials.
  const env =
    process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined;
  const stateful = new StatefulStack(app, `${name}-Stateful`, {
    env,
    profile,
    description: `Complaint handling (${settings.stage}): the table and its key`,
  });
  const service = new ServiceStack(app, `${name}-Service`, {
    env,
    settings,
    profile,
    table: stateful.tableReference,
    evidence: stateful.evidenceReference,
    description: `Complaint handling (${settings.stage}): API, functions, workflow, alerts`,
  });
  service.addStackDependency(stateful);
  return { stateful, service };
};
