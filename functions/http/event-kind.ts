/** A short name for what an event looks like, for logs: never its content, which may hold anything. */
export const eventKind = (event: unknown): string => {
  if (event === null) return "null";
  if (Array.isArray(event)) return "array";
  if (typeof event !== "object") return typeof event;
  const e = event as Record<string, unknown>;
  if (e.version === "2.0" && "rawPath" in e) return "API Gateway HTTP API event (payload 2.0)";
  if (typeof e.httpMethod === "string" && "requestContext" in e) return "API Gateway REST proxy event";
  if (Array.isArray(e.Records)) return "batch of Records (SQS, SNS or a stream)";
  if ("complaintId" in e) return "workflow step input";
  return "object";
};
