import { App, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { WORKFLOW_HANDLERS } from "../functions/handlers/catalog";
import { ComplaintWorkflow } from "./complaint-workflow";

export const LOCAL_ACCOUNT = "000000000000";
export const LOCAL_REGION = "us-east-1";

/** The ARN a handler has on the embedded target (and in the rendered definition). */
export const localFunctionArn = (handler: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:complaints-${handler}`;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const PSEUDO: Record<string, string> = {
  "AWS::Partition": "aws",
  "AWS::Region": LOCAL_REGION,
  "AWS::AccountId": LOCAL_ACCOUNT,
  "AWS::URLSuffix": "amazonaws.com",
};

/** Resolves the few CloudFormation intrinsics a synthesized definition string can still hold. */
const resolveIntrinsics = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(resolveIntrinsics);
  if (node && typeof node === "object") {
    if ("Ref" in node && typeof node.Ref === "string") {
      const value = PSEUDO[node.Ref];
      if (value === undefined) throw new Error(`cannot resolve Ref ${node.Ref} in the workflow definition`);
      return value;
    }
    if ("Fn::Join" in node) {
      const [sep, parts] = node["Fn::Join"] as [string, Json[]];
      return parts.map((p) => String(resolveIntrinsics(p))).join(sep);
    }
    const keys = Object.keys(node);
    if (keys.some((k) => k.startsWith("Fn::"))) throw new Error(`unsupported intrinsic ${keys.join(",")}`);
    return Object.fromEntries(keys.map((k) => [k, resolveIntrinsics(node[k] as Json)]));
  }
  return node;
};

/**
 * Renders the Amazon States Language definition of the very same construct the AWS stack deploys,
 * with the embedded target's function ARNs: the local engine never runs a hand-written copy.
 */
export const renderWorkflowDefinition = (): Record<string, unknown> => {
  const app = new App();
  const stack = new Stack(app, "RenderWorkflow", { env: { account: LOCAL_ACCOUNT, region: LOCAL_REGION } });
  const functions = Object.fromEntries(
    WORKFLOW_HANDLERS.map((h) => [h, lambda.Function.fromFunctionArn(stack, h, localFunctionArn(h))]),
  ) as unknown as ConstructorParameters<typeof ComplaintWorkflow>[2]["functions"];
  new ComplaintWorkflow(stack, "Workflow", { functions });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { DefinitionString: Json } }>;
  };
  const sm = Object.values(template.Resources).find((r) => r.Type === "AWS::StepFunctions::StateMachine");
  if (!sm) throw new Error("the workflow construct rendered no state machine");
  const resolved = resolveIntrinsics(sm.Properties.DefinitionString);
  return JSON.parse(String(resolved)) as Record<string, unknown>;
};
