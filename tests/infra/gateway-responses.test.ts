import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_RESPONSES, type GatewayResponseType } from "../../functions/http/gateway-responses";
import { synthesize } from "./synth";

// What API Gateway answers by itself (missing key, bad token, validator, throttling, 5xx) must have the
// same `{ error: { code, message, requestId } }` shape and status as the local gateway's answers, the
// request id being API Gateway's own (`$context.requestId`, the id in its logs and x-amzn-RequestId).
let service: Template;
beforeAll(() => {
  service = synthesize({ stage: "dev" }).serviceTemplate;
});

/** The deployed response template of one gateway response type. */
const templateOf = (type: string): string => {
  const found = Object.values(service.findResources("AWS::ApiGateway::GatewayResponse")).find(
    (r) => (r as { Properties: { ResponseType: string } }).Properties.ResponseType === type,
  ) as { Properties: { ResponseTemplates: Record<string, string> } } | undefined;
  if (!found) throw new Error(`no GatewayResponse ${type} in the template`);
  return found.Properties.ResponseTemplates["application/json"] as string;
};

describe("API Gateway's own responses", () => {
  for (const [type, response] of Object.entries(GATEWAY_RESPONSES)) {
    it(`${type} answers ${response.status} ${response.code} in the API's error shape`, () => {
      service.hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
        ResponseType: type,
        StatusCode: String(response.status),
        ResponseParameters: Match.objectLike({
          "gatewayresponse.header.Content-Type": "'application/json'",
        }),
      });
    });

    it(`${type} carries the request id, in a template that stays valid JSON`, () => {
      const template = templateOf(type as GatewayResponseType);
      // API Gateway substitutes the variable inside the JSON string; the id (a UUID) needs no escaping.
      expect(JSON.parse(template)).toEqual({
        error: { code: response.code, message: response.message, requestId: "$context.requestId" },
      });
      const substituted = template.replace("$context.requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
      expect(JSON.parse(substituted).error.requestId).toBe("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    });
  }
});
