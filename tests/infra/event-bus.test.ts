import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLERS, type HandlerId } from "../../functions/handlers/catalog";
import { PUBLISHES_EVENTS } from "../../infra/stacks/service-stack";
import { expectToMatch, logicalIdOf, resourcesOf, type Synthesized, synthesize } from "./synth";

let synth: Synthesized;
let template: Template;
beforeAll(() => {
  synth = synthesize({ stage: "dev" });
  template = synth.serviceTemplate;
});

const busId = () => logicalIdOf(synth, synth.service.eventBus.bus);
const keyId = () => logicalIdOf(synth, synth.service.eventBus.key);

/** Policy statements attached to a function's role. */
const statementsOf = (handler: HandlerId) => {
  const fn = template.toJSON().Resources[logicalIdOf(synth, synth.service.functions[handler])];
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  return resourcesOf(template, "AWS::IAM::Policy")
    .filter(([, p]) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(
      ([, p]) => (p.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
    );
};

describe("the complaint event bus", () => {
  it("is a custom bus named for the stage, encrypted with its own rotating key", () => {
    template.hasResourceProperties("AWS::Events::EventBus", {
      Name: "complaints-dev",
      KmsKeyIdentifier: Match.anyValue(),
    });
    const [, bus] = resourcesOf(template, "AWS::Events::EventBus").find(([id]) => id === busId())!;
    expect(JSON.stringify(bus.KmsKeyIdentifier)).toContain(keyId());
    template.hasResource("AWS::KMS::Key", {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it("lets exactly the handlers that store changes put events on it, and tells them its name", () => {
    for (const handler of Object.keys(HANDLERS) as HandlerId[]) {
      const puts = statementsOf(handler).filter((s) => JSON.stringify(s.Action).includes("events:PutEvents"));
      const fn = template.toJSON().Resources[logicalIdOf(synth, synth.service.functions[handler])];
      const env = fn.Properties.Environment?.Variables ?? {};
      if ((PUBLISHES_EVENTS as readonly string[]).includes(handler)) {
        expectToMatch(
          puts,
          Match.arrayWith([
            Match.objectLike({ Action: "events:PutEvents", Resource: { "Fn::GetAtt": [busId(), "Arn"] } }),
          ]),
        );
        expect(env.EVENT_BUS_NAME, handler).toEqual({ Ref: busId() });
      } else {
        expect(puts, handler).toEqual([]);
        expect(env.EVENT_BUS_NAME, handler).toBeUndefined();
      }
    }
  });
});
