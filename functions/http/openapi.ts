import * as domainSchemas from "../domain/schemas";
import * as z from "../domain/zod";
import { ERROR_CODES, type ErrorCode } from "./errors";
import { MAX_BODY_BYTES, ROUTES, type Route, type RouteExample } from "./routes";

/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas the handlers parse with.
 * Pure: the same input gives the same document (`docs/openapi.json`, `GET /openapi.json` locally).
 */

type Json = Record<string, unknown>;

/** What each error code means to a client, and what to do about it. Typed over every code. */
export const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  VALIDATION_FAILED:
    "The body, a path parameter, the query or a header breaks the schema; `details` names each field",
  MALFORMED_JSON: "The body is not valid JSON",
  INVALID_ENCODING:
    "The body's bytes are not UTF-8 (or a base64 body is not valid base64); send JSON as UTF-8",
  MISSING_IDEMPOTENCY_KEY: "POST /complaints needs an Idempotency-Key header",
  INVALID_CURSOR: "The pagination cursor was not issued by this API (or was altered)",
  SAME_TEAM: "Reassigning to the team that already has the complaint",
  UNKNOWN_TEAM: "Reassigning to a team the routing table does not know; `details.teams` lists them",
  INVALID_STATUTORY_INPUT:
    "The statutory rules cannot be applied to what was asked (e.g. an extended CN period under 15 days)",
  UNAUTHORIZED: "No staff token, or an invalid or expired one (Authorization: Bearer)",
  INVALID_API_KEY: "No API key, or one not registered to a channel system (x-api-key)",
  FORBIDDEN_TEAM: "The complaint or queue belongs to a team the caller is not in",
  FORBIDDEN_ROLE:
    "The caller's role may not do this (e.g. reports are for managers; tier 2+ needs a supervisor; a CN period over 30 days needs a manager)",
  ACCESS_DENIED: "Blocked before the API (web application firewall)",
  COMPLAINT_NOT_FOUND: "No such complaint (another channel's complaint is indistinguishable from none)",
  CALENDAR_NOT_FOUND: "No such calendar; `details.calendars` lists them (GB is an alias of GB-EAW)",
  ROUTE_NOT_FOUND: "No such route",
  METHOD_NOT_ALLOWED: "The route exists but not with this method; the Allow header lists the ones it has",
  ACTION_NOT_ALLOWED:
    "The action is not allowed in the complaint's current status; `details` has `status` and `allowedActions`",
  TASK_BUSY: "The complaint is between workflow stages; read it again and retry in a moment",
  ALREADY_CLAIMED:
    "claim of a complaint someone else holds; `details.assignee` says who (a supervisor or manager may send `takeOver: true`)",
  COMPLAINT_CHANGED:
    "The complaint changed while the action was being applied (another decision, an SLA checkpoint): nothing was applied; read it again and decide",
  PRECONDITION_FAILED:
    "If-Match names a version the complaint is no longer at; nothing changed. `details` (and the ETag header) give the current version, status and allowed actions",
  ALREADY_TOP_TIER: "Escalating a complaint that is already with the complaints committee (tier 3)",
  NO_REMEDIATION: "complete_remediation on a complaint whose resolution commits to no remediation action",
  REMEDIATION_ALREADY_COMPLETED: "complete_remediation when the remediation action is already done",
  APPRAISAL_ALREADY_OPEN: "start_appraisal while an external appraisal is already under way",
  NO_OPEN_APPRAISAL: "end_appraisal when no external appraisal is under way",
  PAYLOAD_TOO_LARGE: `The body is over ${MAX_BODY_BYTES} bytes`,
  UNSUPPORTED_MEDIA_TYPE:
    "Send the body as application/json in UTF-8 (no other charset), uncompressed (no Content-Encoding but identity)",
  IDEMPOTENCY_KEY_REUSED: "The Idempotency-Key was already used with a different body",
  EXTENSION_NOT_APPLICABLE:
    "extend with a level the complaint's jurisdiction (or kind of complaint) has no provision for; `details` has `level` and `jurisdiction`",
  EXTENSION_APPROVAL_REQUIRED:
    "A CN handling period over 30 days needs head-office senior management's recorded approval (a manager extends it)",
  EXTENSION_LIMIT_EXCEEDED: "A CN handling period cannot exceed 60 days",
  APPRAISAL_NOT_APPLICABLE:
    "start_appraisal on a complaint whose statutory rules have no external-appraisal stop (only the CN Measures, art. 20, do)",
  PERIOD_IN_FUTURE: "A return asked for a half-year or year that has not started; `details` names the field",
  ATTACHMENT_TYPE_NOT_ALLOWED:
    "The file's content type is not one that can be attached; `details` names `contentType` and the allowed types",
  ATTACHMENT_TOO_LARGE: "The declared size is over the limit for its type (25 MiB; audio and video 200 MiB)",
  ATTACHMENT_NOT_FOUND: "The complaint has no attachment with that id",
  COMPLAINT_CLOSED:
    "The complaint is closed: its channel can attach no more files (staff of its team still can)",
  ATTACHMENT_LIMIT_REACHED: "The complaint already has 20 files (available, or with an upload under way)",
  ATTACHMENT_NOT_AVAILABLE:
    "The file is pending its checks or was rejected: only available files download; `details` has `status` and `reason`",
  TOO_MANY_REQUESTS: "Throttled, or the API key's daily quota is used up; retry later",
  INTERNAL_ERROR: "Something failed on our side; it is logged (never retried automatically by the client)",
  SERVICE_UNAVAILABLE:
    "A dependency is briefly unavailable; retry the same request after Retry-After seconds",
};

const BODY_ERRORS: readonly ErrorCode[] = [
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "INVALID_ENCODING",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
];
const ANY_ROUTE_ERRORS: readonly ErrorCode[] = [
  "ACCESS_DENIED",
  "TOO_MANY_REQUESTS",
  "INTERNAL_ERROR",
  "SERVICE_UNAVAILABLE",
];
const AUTH_ERRORS: Record<Route["auth"], readonly ErrorCode[]> = {
  channel: ["INVALID_API_KEY"],
  staff: ["UNAUTHORIZED"],
};

/** Every code a route can answer: its own, plus those of its kind (auth, body, throttling, 5xx). */
export const errorCodesOf = (route: Route): ErrorCode[] => {
  const codes = new Set<ErrorCode>([...(AUTH_ERRORS[route.auth] ?? []), ...(route.errors ?? [])]);
  const hasInput = route.method === "POST" || route.path.includes("{") || route.request?.query;
  if (hasInput) codes.add("VALIDATION_FAILED");
  if (route.method === "POST") for (const c of BODY_ERRORS) codes.add(c);
  for (const c of ANY_ROUTE_ERRORS) codes.add(c);
  return [...codes].sort((a, b) => ERROR_CODES[a] - ERROR_CODES[b] || a.localeCompare(b));
};

/** A request id as API Gateway makes them, for the examples. */
const EXAMPLE_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

const SECURITY: Record<Route["auth"], string> = { channel: "channelApiKey", staff: "staffJwt" };

/** A route is documented minimally when it carries no schemas (added without them): listed by tests. */
export const isMinimallyDocumented = (route: Route): boolean => !route.request && !route.responses;

const pascal = (s: string) => s.replace(/(^|[_-])(\w)/g, (_, __, c: string) => c.toUpperCase());

/** `#/components/schemas` names for the schemas exported by `functions/domain/schemas.ts`. */
const KNOWN_NAMES = new Map<unknown, string>(
  Object.entries(domainSchemas)
    .filter(([key, value]) => key.endsWith("Schema") && value instanceof z.core.$ZodType)
    .map(([key, value]) => [value, pascal(key.slice(0, -"Schema".length))]),
);

/** One zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), for what is read or what is written. */
export const jsonSchemaOf = (schema: z.core.$ZodType, io: "input" | "output"): Json => {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete json.$schema;
  return json;
};

interface Builder {
  schemas: Record<string, Json>;
  names: Map<z.core.$ZodType, Map<string, string>>;
}

/** Registers a schema as a component (once per schema and direction) and answers a $ref to it. */
const ref = (b: Builder, schema: z.core.$ZodType, io: "input" | "output", fallbackName: string): Json => {
  const byIo = b.names.get(schema) ?? new Map<string, string>();
  b.names.set(schema, byIo);
  const existing = byIo.get(io);
  if (existing) return { $ref: `#/components/schemas/${existing}` };
  const json = jsonSchemaOf(schema, io);
  let name = KNOWN_NAMES.get(schema) ?? fallbackName;
  const taken = b.schemas[name];
  if (taken && JSON.stringify(taken) !== JSON.stringify(json)) name = `${name}${pascal(io)}`;
  // Nested definitions (recursive schemas) move next to their parent, refs rewritten to match.
  const defs = json.$defs as Record<string, Json> | undefined;
  delete json.$defs;
  const rewrite = (j: Json) =>
    JSON.parse(JSON.stringify(j).replaceAll('"#/$defs/', `"#/components/schemas/${name}_`)) as Json;
  for (const [key, def] of Object.entries(defs ?? {})) b.schemas[`${name}_${key}`] = rewrite(def);
  b.schemas[name] = rewrite(json);
  byIo.set(io, name);
  return { $ref: `#/components/schemas/${name}` };
};

const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** Parameters (path, query or header) from an object schema, with the examples' values. */
const parametersFrom = (
  where: "path" | "query" | "header",
  schema: z.core.$ZodType | undefined,
  names: readonly string[] | undefined,
  examples: readonly RouteExample[],
  exampleValue: (e: RouteExample, name: string) => unknown,
): Json[] => {
  const json = schema ? jsonSchemaOf(schema, "input") : { properties: {}, required: [] };
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return (names ?? Object.keys(properties)).map((name) => {
    const { description, ...property } = properties[name] ?? { type: "string" };
    const raw = examples.map((e) => exampleValue(e, name)).find((v) => v !== undefined);
    // Query and path values travel as text; the example shows the value the schema describes.
    const numeric = property.type === "integer" || property.type === "number";
    const example = numeric && typeof raw === "string" ? Number(raw) : raw;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(description ? { description } : {}),
      schema: property,
      ...(example !== undefined ? { example } : {}),
    };
  });
};

const errorResponses = (codes: readonly ErrorCode[]): Record<string, Json> => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `${c}: ${ERROR_DESCRIPTIONS[c]}`).join(". "),
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/Error" },
            examples: Object.fromEntries(list.map((c) => [c, { $ref: `#/components/examples/${c}` }])),
          },
        },
      },
    ]),
  );
};

const operationIdOf = (route: Route, taken: Set<string>) => {
  let id = route.handler as string;
  if (taken.has(id))
    id = `${route.method.toLowerCase()}${pascal(route.path.replace(/[{}]/g, "").replaceAll("/", "_"))}`;
  taken.add(id);
  return id;
};

const operation = (b: Builder, route: Route, operationId: string): Json => {
  const examples = route.examples ?? [];
  const base = pascal(operationId);
  const parameters = [
    ...parametersFrom(
      "path",
      route.request?.params,
      pathParamsOf(route.path),
      examples,
      (e, n) => e.params?.[n],
    ),
    ...parametersFrom("query", route.request?.query, undefined, examples, (e, n) => e.query?.[n]),
    ...parametersFrom("header", route.request?.headers, undefined, examples, (e, n) => e.headers?.[n]),
  ];
  const bodyExamples = examples.filter((e) => e.body !== undefined);
  const requestBody =
    // A PUT carries a body as a POST does (PUT /calendars/{id}/years/{year} went undocumented before).
    route.method === "POST" || route.request?.body
      ? {
          required: true,
          content: {
            "application/json": {
              schema: route.request?.body
                ? ref(b, route.request.body, "input", `${base}Request`)
                : { type: "object", description: "Not described yet" },
              ...(bodyExamples.length
                ? {
                    examples: Object.fromEntries(
                      bodyExamples.map((e) => [
                        e.name,
                        { ...(e.summary ? { summary: e.summary } : {}), value: e.body },
                      ]),
                    ),
                  }
                : {}),
            },
          },
        }
      : undefined;
  const responses = Object.fromEntries(
    Object.entries(route.responses ?? { 200: { description: "Success (not described yet)" } }).map(
      ([status, r]) => {
        const schema = r.schema ? ref(b, r.schema, "output", `${base}Response${status}`) : { type: "object" };
        return [
          status,
          {
            description: r.description,
            ...(r.headers
              ? {
                  headers: Object.fromEntries(
                    Object.entries(r.headers).map(([name, description]) => [
                      name,
                      { description, schema: { type: "string" } },
                    ]),
                  ),
                }
              : {}),
            content: Object.fromEntries(
              (r.contentTypes ?? ["application/json"]).map((type) => [
                type,
                { schema: type === "application/json" ? schema : { type: "string" } },
              ]),
            ),
          },
        ];
      },
    ),
  );
  return {
    operationId,
    summary: route.summary,
    tags: [route.auth === "channel" ? "Channel systems" : "Staff"],
    security: [{ [SECURITY[route.auth] ?? "staffJwt"]: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: { ...responses, ...errorResponses(errorCodesOf(route)) },
    ...(isMinimallyDocumented(route) ? { "x-documentation": "minimal" } : {}),
  };
};

export interface OpenApiOptions {
  /** Servers to list; by default the local stack's default address and the API Gateway stage URL. */
  servers?: { url: string; description?: string; variables?: Json }[];
}

const DEFAULT_SERVERS = [
  { url: "http://127.0.0.1:3000", description: "Embedded target (`npm start`)" },
  {
    url: "https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}",
    description: "AWS (`npx cdk deploy`): the ServiceStack output ApiUrl",
    variables: {
      restApiId: { default: "abc123defg" },
      region: { default: "eu-west-1" },
      stage: { default: "dev", enum: ["dev", "prod"] },
    },
  },
];

/** Builds the OpenAPI 3.1 document of a route table. */
export const openApiDocument = (routes: readonly Route[] = ROUTES, options: OpenApiOptions = {}): Json => {
  const b: Builder = { schemas: {}, names: new Map() };
  const paths: Record<string, Record<string, Json>> = {};
  const taken = new Set<string>();
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(b, route, operationIdOf(route, taken));
    paths[route.path] = item;
  }
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  const error = jsonSchemaOf(domainSchemas.errorResponseSchema, "output") as {
    properties: { error: { properties: Record<string, Json> } };
  };
  error.properties.error.properties.code = { $ref: "#/components/schemas/ErrorCode" };
  // Every error answer carries the request's id (the one in the logs); see docs/api.md.
  error.properties.error.properties.requestId = {
    type: "string",
    description:
      "API Gateway's id of the request, as in the logs and the x-amzn-RequestId header: in every error answer; quote it when asking about one",
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Complaint handling API",
      version: "1.0.0",
      description: [
        "Channel systems submit and follow complaints with an API key (`x-api-key`); staff work queues and",
        "act on complaints with a JWT (`Authorization: Bearer`, a Cognito ID token on AWS). Every error is",
        "`{ error: { code, message, details, requestId } }`; `code` is stable (see ErrorCode). `POST /complaints`",
        "needs an `Idempotency-Key`: a replay with the same key and body answers 200 with the first answer.",
        "See docs/api.md for pagination and the 409 semantics of callbacks.",
      ].join(" "),
    },
    servers: options.servers ?? DEFAULT_SERVERS,
    tags: [
      { name: "Channel systems", description: "Called server to server by a bank channel, with its API key" },
      { name: "Staff", description: "Called by service staff and managers, with a staff JWT" },
    ],
    paths,
    components: {
      securitySchemes: {
        channelApiKey: {
          type: "apiKey",
          in: "header",
          name: "x-api-key",
          description: "The channel system's API key (one per channel, bound to its usage plan)",
        },
        staffJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A staff ID token whose `cognito:groups` name the teams (`team:cards`) and the role " +
            "(`role:agent`, `role:supervisor`, `role:manager`)",
        },
      },
      schemas: {
        ...b.schemas,
        Error: error,
        ErrorCode: {
          type: "string",
          enum: codes,
          description: codes.map((c) => `${c} (${ERROR_CODES[c]}): ${ERROR_DESCRIPTIONS[c]}`).join("\n"),
        },
      },
      examples: Object.fromEntries(
        codes.map((c) => [
          c,
          {
            summary: `${ERROR_CODES[c]} ${c}`,
            value: {
              error: {
                code: c,
                message: ERROR_DESCRIPTIONS[c],
                ...(c === "VALIDATION_FAILED"
                  ? { details: [{ path: "customer.segment", message: "Invalid option" }] }
                  : {}),
                requestId: EXAMPLE_REQUEST_ID,
              },
            },
          },
        ]),
      ),
    },
  };
};

/** The document as written to `docs/openapi.json` (stable key order, trailing newline). */
export const renderOpenApi = (routes: readonly Route[] = ROUTES): string =>
  `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;

/** The error-code table of docs/api.md, in Markdown. */
export const errorCodeTable = (): string => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  const rows = codes
    .sort((a, b) => ERROR_CODES[a] - ERROR_CODES[b] || a.localeCompare(b))
    .map((c) => `| \`${c}\` | ${ERROR_CODES[c]} | ${ERROR_DESCRIPTIONS[c].replaceAll("|", "\\|")} |`);
  return ["| code | status | meaning |", "| --- | --- | --- |", ...rows].join("\n");
};
