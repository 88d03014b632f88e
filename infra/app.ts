import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { addComplaintStacks } from "./stacks/complaint-app";
import { settingsFromContext } from "./stacks/settings";

/**
 * CDK entry (cdk.json). Context: `stage` (dev | prod, default dev), `alarmEmail`, `defaultJurisdiction`.
 * cdk-nag's AWS Solutions checks run on every synth; an unacknowledged finding fails it.
 */
const app = new App();
addComplaintStacks(app, settingsFromContext(app.node));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
