import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { intakeRequestSchema, staffActionSchema } from "../../functions/domain/schemas";
import { ROUTES } from "../../functions/http/routes";
import { apiGatewayModelSchema } from "../../infra/constructs/request-models";
import { resourcesOf, type Synthesized, synthesize } from "./synth";

describe("the draft 4 model of a zod schema", () => {
  it("keeps types, limits, enums, patterns and closed objects, in CDK's spelling", () => {
    const schema = z
      .object({
        format: z.enum(["csv", "json"]).default("json"),
        email: z.email().max(254),
        n: z.number().int().min(1),
        kind: z.literal("claim"),
      })
      .strict();
    const model = apiGatewayModelSchema(schema) as Record<string, any>;
    expect(model.schema).toBe("http://json-schema.org/draft-04/schema#");
    expect(model).not.toHaveProperty("$schema");
    expect(model.additionalProperties).toBe(false);
    expect(model.required).toEqual(["email", "n", "kind"]);
    // A property may be called `format`: only the keyword is dropped, never a field.
    expect(model.properties.format).toEqual({ type: "string", enum: ["csv", "json"] });
    expect(model.properties.email).toMatchObject({
      type: "string",
      maxLength: 254,
      pattern: expect.any(String),
    });
    expect(model.properties.email).not.toHaveProperty("format");
    expect(model.properties.n).toMatchObject({ type: "integer", minimum: 1 });
    expect(model.properties.kind).toEqual({ type: "string", enum: ["claim"] });
  });

  it("never rejects a body the handler accepts (the examples of every route pass both)", () => {
    // Draft 4 semantics checked structurally: the one-of staff actions each close their object.
    const actions = apiGatewayModelSchema(staffActionSchema) as {
      oneOf: { additionalProperties: boolean }[];
    };
    expect(actions.oneOf.length).toBe(staffActionSchema.def.options.length);
    for (const option of actions.oneOf) expect(option.additionalProperties).toBe(false);
    const intake = apiGatewayModelSchema(intakeRequestSchema) as { required: string[] };
    expect(intake.required).toEqual(["customer", "businessType", "cause", "description"]);
  });
});

describe("API Gateway request models", () => {
  let dev: Synthesized;
  beforeAll(() => {
    dev = synthesize({ stage: "dev" });
  });

  it("exist for every route with a body schema, from that schema, and are attached to its method", () => {
    const models = resourcesOf(dev.serviceTemplate, "AWS::ApiGateway::Model");
    const withBody = ROUTES.filter((r) => r.request?.body);
    expect(withBody.length).toBeGreaterThanOrEqual(4);
    for (const route of withBody) {
      const name = `${route.handler.charAt(0).toUpperCase()}${route.handler.slice(1)}Request`;
      const [modelId, model] = models.find(([, m]) => m.Name === name) ?? [];
      expect(model, name).toBeDefined();
      expect(model!.ContentType).toBe("application/json");
      const { schema: version, ...rest } = JSON.parse(
        JSON.stringify(apiGatewayModelSchema(route.request!.body!)),
      );
      expect(model!.Schema).toEqual({ $schema: version, ...rest });
      dev.serviceTemplate.hasResourceProperties("AWS::ApiGateway::Method", {
        HttpMethod: route.method,
        RequestModels: { "application/json": { Ref: modelId } },
      });
    }
    // One model per handler: the attachments upload handler sits behind a channel and a staff route.
    expect(models).toHaveLength(new Set(withBody.map((r) => r.handler)).size);
  });

  it("are validated by the body-and-parameters validator", () => {
    for (const [, method] of resourcesOf(dev.serviceTemplate, "AWS::ApiGateway::Method")) {
      if (method.RequestModels)
        expect(method.RequestValidatorId).toEqual({ Ref: expect.stringMatching(/BodyAndParams/) });
    }
  });
});
