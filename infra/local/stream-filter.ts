/**
 * Lambda event filtering (the EventBridge pattern syntax) for the embedded stream poller, the subset the
 * consumers' filters use: nested objects, arrays of literal values (any one equal), and the `exists` and
 * `prefix` operators. `exists` matches only a present primitive value, as Lambda's does.
 */
type Pattern = { [key: string]: Pattern | readonly PatternValue[] };
type PatternValue = string | number | boolean | null | { exists: boolean } | { prefix: string };

const isPrimitive = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

const matchesValue = (rule: PatternValue, value: unknown): boolean => {
  if (rule !== null && typeof rule === "object") {
    if ("exists" in rule)
      return rule.exists ? value !== undefined && isPrimitive(value) : value === undefined;
    if ("prefix" in rule) return typeof value === "string" && value.startsWith(rule.prefix);
    throw new Error(`unsupported filter operator ${JSON.stringify(rule)}`);
  }
  return value === rule;
};

/** Whether an event (a stream record as Lambda sees it) matches a filter pattern. */
export const matchesFilter = (pattern: object, event: unknown): boolean =>
  Object.entries(pattern as Pattern).every(([key, rule]) => {
    const value =
      event !== null && typeof event === "object" ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      const values = Array.isArray(value) ? value : [value];
      return (rule as readonly PatternValue[]).some((r) =>
        "exists" in (typeof r === "object" && r !== null ? r : {})
          ? matchesValue(r, value)
          : values.some((v) => matchesValue(r, v)),
      );
    }
    return value !== undefined && matchesFilter(rule as Pattern, value);
  });
