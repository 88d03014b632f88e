import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, it } from "vitest";
import {
  GATEWAY_RESPONSES,
  type GatewayResponseType,
  gatewayErrorBody,
} from "../../functions/http/gateway-responses";
import { synthesize } from "./synth";

// What API Gateway answers by itself (missing key, bad token, validator, throttling, 5xx) must have the
// same `{ error: { code, message } }` shape and status as the local gateway's answers.
let service: Template;
beforeAll(() => {
  service = synthesize({ stage: "dev" }).serviceTemplate;
});

describe("API Gateway's own responses", () => {
  for (const [type, response] of Object.entries(GATEWAY_RESPONSES)) {
    it(`${type} answers ${response.status} ${response.code} in the API's error shape`, () => {
      service.hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
        ResponseType: type,
        StatusCode: String(response.status),
        ResponseTemplates: {
          "application/json": gatewayErrorBody(type as GatewayResponseType),
        },
        ResponseParameters: Match.objectLike({
          "gatewayresponse.header.Content-Type": "'application/json'",
        }),
      });
    });
  }
});
