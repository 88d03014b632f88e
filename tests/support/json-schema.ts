import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

/**
 * JSON Schema (draft 2020-12) checks for the contract tests: ajv with ajv-formats in strict mode, so every
 * keyword a published schema uses is enforced (`format`, `exclusiveMinimum`, type unions…) and a keyword
 * ajv does not know fails the compile instead of being skipped.
 */
export type JsonSchema = Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Compiles a schema in strict mode (throws on an unknown keyword or format, or an invalid schema). */
export const compileSchema = (schema: JsonSchema): ValidateFunction => {
  const key = JSON.stringify(schema);
  let check = compiled.get(key);
  if (!check) {
    // A changed copy of a schema keeps its `$id`, which ajv registers once: the newest copy wins.
    if (typeof schema.$id === "string") ajv.removeSchema(schema.$id);
    check = ajv.compile(schema);
    compiled.set(key, check);
  }
  return check;
};

const describeError = (e: ErrorObject): string => {
  const where = e.instancePath || "/";
  const extra = e.keyword === "additionalProperties" ? ` (${e.params.additionalProperty})` : "";
  return `${where}: ${e.message ?? e.keyword}${extra} [${e.keyword}]`;
};

/**
 * Validates a value against a schema. Returns one line per failure (`/data/cycle: must be > 0
 * [exclusiveMinimum]`), empty when valid, so `expect(validate(s, v)).toEqual([])` shows what broke.
 */
export const validate = (schema: JsonSchema, value: unknown): string[] => {
  const check = compileSchema(schema);
  return check(value) ? [] : (check.errors ?? []).map(describeError);
};
