import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Validations } from "aws-cdk-lib";
import type { Matcher } from "aws-cdk-lib/assertions";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { expect } from "vitest";
import { addComplaintStacks, type ComplaintStacks } from "../../infra/stacks/complaint-app";
import type { DeploymentSettings } from "../../infra/stacks/settings";

/** The feature flags of cdk.json: tests synthesize with the same context as `cdk synth`. */
const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")).context;

export interface SynthOptions {
  /** Bundle every function with esbuild, as `cdk synth` does (seconds); off, assets are not built. */
  bundle?: boolean;
  /** Run cdk-nag's AWS Solutions checks and CDK's built-in template validation, as `cdk synth` does. */
  checks?: boolean;
}

export interface Synthesized extends ComplaintStacks {
  app: App;
  assembly: CloudAssembly;
  statefulTemplate: Template;
  serviceTemplate: Template;
}

/** Synthesizes one deployment once; share the result across a test file (`beforeAll`). */
export const synthesize = (settings: DeploymentSettings, options: SynthOptions = {}): Synthesized => {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), "cdk-test-")),
    context: { ...cdkContext(), ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }) },
    // CDK's own CloudFormation validation costs ~4 s a synth; the checks suite runs it.
    builtinCloudFormationValidation: options.checks ?? false,
  });
  const stacks = addComplaintStacks(app, settings);
  if (options.checks) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  // Template.fromJSON also fails on a dependency cycle (e.g. API key -> function env -> method -> key).
  const template = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);
  return {
    app,
    assembly,
    ...stacks,
    statefulTemplate: template(stacks.stateful.stackName),
    serviceTemplate: template(stacks.service.stackName),
  };
};

/** Asserts a value against an assertions matcher (for values that are not a whole resource). */
export const expectToMatch = (actual: unknown, matcher: Matcher): void => {
  const result = matcher.test(actual);
  expect(result.hasFailed() ? result.toHumanStrings() : []).toEqual([]);
};

type Intrinsic = { Ref?: string; "Fn::GetAtt"?: [string, string]; "Fn::Join"?: [string, unknown[]] };

/** Renders a CloudFormation string expression as text, with `<Ref>` and `<Id.Attr>` placeholders. */
export const renderIntrinsic = (value: unknown): string => {
  if (typeof value === "string") return value;
  const v = value as Intrinsic;
  if (v.Ref) return `<${v.Ref}>`;
  if (v["Fn::GetAtt"]) return `<${v["Fn::GetAtt"].join(".")}>`;
  if (v["Fn::Join"]) return v["Fn::Join"][1].map(renderIntrinsic).join(v["Fn::Join"][0]);
  return JSON.stringify(value);
};

/** Every resource of a type as [logicalId, properties]. */
export const resourcesOf = (template: Template, type: string): [string, Record<string, unknown>][] =>
  Object.entries(template.findResources(type)).map(([id, r]) => [
    id,
    (r.Properties ?? {}) as Record<string, unknown>,
  ]);

/** The logical id of a construct's CloudFormation resource, as the template names it. */
export const logicalIdOf = (stacks: ComplaintStacks, node: { node: { defaultChild?: unknown } }): string =>
  stacks.service.resolve((node.node.defaultChild as { logicalId: string }).logicalId) as string;
