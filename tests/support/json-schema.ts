/**
 * A tiny JSON Schema (2020-12) validator for the subset our published event schemas use: type, const,
 * enum, properties, required, additionalProperties, items, anyOf, minimum, maximum, pattern. Returns the
 * paths that fail (empty when valid).
 */
export type JsonSchema = Record<string, unknown>;

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;

export const validate = (schema: JsonSchema, value: unknown, path = "$"): string[] => {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as JsonSchema[]).some((s) => validate(s, value, path).length === 0);
    if (!ok) fail("matches no anyOf branch");
  }
  if (typeof schema.type === "string") {
    const t = typeOf(value);
    const ok = schema.type === t || (schema.type === "number" && (t === "integer" || t === "number"));
    if (!ok) return [...errors, `${path}: expected ${schema.type}, got ${t}`];
  }
  if ("const" in schema && schema.const !== value) fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail(`not one of ${schema.enum.join(",")}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) fail(`below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) fail(`above ${schema.maximum}`);
  }
  if (
    typeof value === "string" &&
    typeof schema.pattern === "string" &&
    !new RegExp(schema.pattern).test(value)
  ) {
    fail(`does not match ${schema.pattern}`);
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) fail(`missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) errors.push(...validate(props[key], v, `${path}.${key}`));
      else if (schema.additionalProperties === false) fail(`unexpected property ${key}`);
    }
  }
  if (Array.isArray(value) && schema.items) {
    for (const [i, v] of value.entries())
      errors.push(...validate(schema.items as JsonSchema, v, `${path}[${i}]`));
  }
  return errors;
};
