/**
 * zod for the code that runs in Lambda: `zod/mini`, the tree-shakeable build of the same core (same
 * parsing, issues and JSON Schema as classic zod, at a third of the bytes and about half the schema
 * construction time at module init; issue 17). Every module under `functions/` takes zod from here, never
 * from "zod", so that the English messages are configured once, before any schema parses: zod/mini loads
 * no locale of its own (its default message is a bare "Invalid input"), and classic zod's English is what
 * clients and tests have always read. Only the English locale is bundled.
 *
 * Module-level schemas are built inside an arrow function called at once and marked `@__PURE__` (the
 * comment before the call): a schema is a chain of calls, which esbuild must otherwise keep, and run at
 * every cold start, even in a bundle that never reaches it.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());

export * from "zod/mini";
/**
 * The error zod/mini throws (it has no class of its own). Taken from the core by name: reaching it as
 * `z.core.$ZodError` would make esbuild keep the whole `core` namespace (every locale, the JSON Schema
 * generator) in every bundle.
 */
export { $ZodError } from "zod/v4/core";
