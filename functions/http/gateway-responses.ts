/**
 * What the gateway itself answers before any Lambda runs (bad key, bad token, unknown route, too large,
 * throttled). API Gateway gets these as GatewayResponses (CDK); the local gateway answers the same, so
 * a client sees one error shape everywhere.
 */
export const GATEWAY_RESPONSES = {
  INVALID_API_KEY: {
    status: 403,
    code: "INVALID_API_KEY",
    message: "A valid API key is required (x-api-key)",
  },
  UNAUTHORIZED: {
    status: 401,
    code: "UNAUTHORIZED",
    message: "A valid staff token is required (Authorization: Bearer)",
  },
  ACCESS_DENIED: { status: 403, code: "ACCESS_DENIED", message: "Access denied" },
  MISSING_AUTHENTICATION_TOKEN: { status: 404, code: "ROUTE_NOT_FOUND", message: "No such route" },
  REQUEST_TOO_LARGE: { status: 413, code: "PAYLOAD_TOO_LARGE", message: "The request is too large" },
  THROTTLED: { status: 429, code: "TOO_MANY_REQUESTS", message: "Too many requests; slow down and retry" },
  QUOTA_EXCEEDED: {
    status: 429,
    code: "TOO_MANY_REQUESTS",
    message: "The daily quota of this API key is used up",
  },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    code: "VALIDATION_FAILED",
    message: "The request's path, query or headers are not valid",
  },
  BAD_REQUEST_BODY: { status: 400, code: "VALIDATION_FAILED", message: "The request body is not valid" },
  DEFAULT_5XX: { status: 502, code: "INTERNAL_ERROR", message: "The service failed to answer" },
} as const;
export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;

/** API Gateway's variable for the request's id in a gateway response template. */
export const REQUEST_ID_VARIABLE = "$context.requestId";

/**
 * The body a gateway response carries, with the request's id as `error.requestId`. By default the id is
 * API Gateway's `$context.requestId` variable (a UUID, substituted inside the JSON string, so the template
 * stays valid JSON); the local gateway passes the id it gave the request.
 */
export const gatewayErrorBody = (type: GatewayResponseType, requestId: string = REQUEST_ID_VARIABLE) => {
  const r = GATEWAY_RESPONSES[type];
  return JSON.stringify({ error: { code: r.code, message: r.message, requestId } });
};
