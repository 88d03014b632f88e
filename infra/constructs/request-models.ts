import { type JsonSchema, JsonSchemaVersion } from "aws-cdk-lib/aws-apigateway";
import * as z from "zod/mini";

/**
 * API Gateway request models from the zod schemas the handlers parse with. API Gateway validates with
 * JSON Schema draft 4, which zod emits (`target: "draft-04"`); what is left is CDK's spelling (`schema`
 * and `ref` for `$schema` and `$ref`) and dropping what the gateway's validator would judge differently
 * from zod (`format`: zod checks those with its own patterns, which stay). The gateway is never stricter
 * than the handler: it only turns away early what the handler would reject anyway.
 */

/** Keywords left out of a model, and why: see above. */
const DROPPED = new Set(["format", "default", "examples"]);
/** Keywords whose value is a map from names to schemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions"]);

type Json = { [key: string]: unknown };

const convert = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (DROPPED.has(key)) continue;
    if (key === "$schema") out.schema = JsonSchemaVersion.DRAFT4;
    else if (key === "$ref") out.ref = value;
    else if (SCHEMA_MAPS.has(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, convert(s)]));
    } else out[key] = convert(value);
  }
  return out;
};

/** The API Gateway model schema (draft 4, CDK's spelling) of what a request body may be. */
export const apiGatewayModelSchema = (schema: z.core.$ZodType): JsonSchema =>
  convert(z.toJSONSchema(schema, { target: "draft-04", io: "input", unrepresentable: "any" })) as JsonSchema;
