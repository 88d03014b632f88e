import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import * as z from "zod/mini";
import { staffActionSchema } from "../functions/domain/schemas";
import { ROUTES } from "../functions/http/routes";

/**
 * Argument parsing of `npm run cli`: pure (argv and environment in, a request plan or a usage error
 * out), so it is tested without a server. Request bodies are built from flags named after the schema
 * fields (`--business-type` -> `businessType`), and staff actions from `staffActionSchema` itself.
 */

export const EXIT = {
  ok: 0,
  usage: 2,
  notFound: 3,
  conflict: 4,
  auth: 5,
  validation: 6,
  server: 7,
} as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options every command takes (where the API is, credentials, how to print). */
const GLOBAL_OPTIONS = ["url", "json", "api-key", "token", "channel", "team", "role", "help"];

/** Flags that take no value; every other option takes one. */
const BOOLEAN_OPTIONS = new Set([
  "json",
  "staff",
  "help",
  "all",
  "accept",
  "reopen",
  "vulnerable-customer",
  "media-risk",
  "regulator-referral",
]);

type ActionOption = z.ZodMiniObject<Record<string, z.core.$ZodType>>;

/** The staff actions the API accepts, straight from the schema (a new action needs no CLI change). */
export const STAFF_ACTIONS: Record<string, ActionOption> = Object.fromEntries(
  (staffActionSchema.def.options as unknown as ActionOption[]).map((o) => [
    String((o.shape.type as z.ZodMiniLiteral<string>).def.values[0]),
    o,
  ]),
);

const kebab = (camel: string) => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The fields of an action's body other than its type, as the schema names them. */
const actionFields = (action: string): string[] =>
  Object.keys((STAFF_ACTIONS[action] as ActionOption).shape).filter((k) => k !== "type");

const REMEDIATION_FLAGS = ["remediation", "remediation-owner", "remediation-due-by"] as const;

/**
 * Each command's own options, under the name its usage errors give it. Every action but `resolve` takes
 * its schema's fields as `--kebab-case` flags; `resolve` spells its nested resolution out flat.
 */
const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  submit: [
    "file",
    "idempotency-key",
    "customer-id",
    "segment",
    "name",
    "phone",
    "email",
    "locale",
    "business-type",
    "cause",
    "description",
    "jurisdiction",
    "amount",
    "currency",
    "branch",
    "vulnerable-customer",
    "media-risk",
    "regulator-referral",
  ],
  show: ["staff"],
  queue: ["stage", "tier", "priority", "sla", "limit", "cursor", "all"],
  act: ["file", "if-match", "idempotency-key"],
  "act resolve": ["outcome", "summary", "amount", "currency", "root-cause", ...REMEDIATION_FLAGS],
  ...Object.fromEntries(
    Object.keys(STAFF_ACTIONS)
      .filter((a) => a !== "resolve")
      .map((a) => [`act ${a}`, actionFields(a).map(kebab)]),
  ),
  reply: ["message", "idempotency-key"],
  feedback: ["satisfaction", "accept", "reopen", "comment", "idempotency-key"],
  "report sla": ["from", "to", "time-zone", "group-by"],
  "report regulatory": ["period", "format"],
};

const COMMANDS = new Set(Object.keys(COMMAND_OPTIONS).map((scope) => scope.split(" ")[0]));

/** What parseArgs is told: every option of every command. */
const PARSE_OPTIONS = Object.fromEntries(
  [...GLOBAL_OPTIONS, ...Object.values(COMMAND_OPTIONS).flat()].map((name) => [
    name,
    { type: BOOLEAN_OPTIONS.has(name) ? ("boolean" as const) : ("string" as const) },
  ]),
);

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * Splits argv into positionals and `--flag value` / `--flag=value` / `--boolean` flags with parseArgs.
 * It runs non-strict so the errors name the flag as this CLI does, and so an argument with a single dash
 * (`-5 points`, `-`) stays a word of text as written rather than a cluster of short options.
 */
export const splitArgs = (argv: readonly string[]): ParsedArgs => {
  const { tokens } = parseArgs({
    args: [...argv],
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  let lastShort = -1;
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    if (!token.rawName.startsWith("--")) {
      // parseArgs splits `-5 points` into one token per letter, all with the argument's index.
      if (token.index !== lastShort) positionals.push(argv[token.index] as string);
      lastShort = token.index;
      continue;
    }
    const { name } = token;
    const type = PARSE_OPTIONS[name]?.type;
    if (!type) {
      const command = positionals[0] && COMMANDS.has(positionals[0]) ? `${positionals[0]}: ` : "";
      throw new UsageError(`${command}unknown option --${name}`);
    }
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    if (type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else {
      // Without `=`, parseArgs takes the next argument even when it is the next flag.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--")))
        throw new UsageError(`--${name} needs a value`);
      flags.set(name, token.value);
    }
  }
  return { positionals, flags };
};

export type Credentials =
  | { kind: "apiKey"; value: string }
  | { kind: "token"; value: string }
  | { kind: "mintApiKey"; channel: string }
  | { kind: "mintToken"; teams: string[]; role: string };

/** One HTTP call the CLI will make, and how to present its answer. */
export interface Plan {
  command: string;
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * A decision without `--if-match`: read this view first and send its ETag, so the decision applies only
   * to the complaint as it stood a moment ago (a change in between is a 412, never applied blindly).
   */
  decidesOn?: string;
  auth: "channel" | "staff";
  /** Follow `nextCursor` to the end (queue --all). */
  allPages?: boolean;
  view: "intake" | "complaint" | "staffComplaint" | "queue" | "report" | "raw";
}

export interface Invocation {
  url: string;
  json: boolean;
  credentials?: Credentials;
  plan: Plan;
}

const string = (args: ParsedArgs, name: string): string | undefined => {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
};

const requireString = (args: ParsedArgs, name: string, what: string): string => {
  const v = string(args, name);
  if (!v) throw new UsageError(`${what}: --${name} is required`);
  return v;
};

/** Refuses a flag that is neither global nor one of `command`'s own (COMMAND_OPTIONS lists them). */
const only = (args: ParsedArgs, command: string, own = COMMAND_OPTIONS[command] ?? []) => {
  for (const name of args.flags.keys()) {
    if (!GLOBAL_OPTIONS.includes(name) && !own.includes(name))
      throw new UsageError(`${command}: unknown option --${name}`);
  }
};

const positional = (args: ParsedArgs, index: number, what: string): string => {
  const v = args.positionals[index];
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
};

const number = (raw: string, name: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
  return n;
};

/** Reads a JSON file for `--file` (injected so parsing stays pure in tests). */
export type ReadJson = (path: string) => unknown;

const hasRoute = (method: string, path: string) => ROUTES.some((r) => r.method === method && r.path === path);

const money = (args: ParsedArgs) => {
  const amount = string(args, "amount");
  if (!amount) return undefined;
  return { amount, currency: string(args, "currency") ?? "CNY" };
};

const withoutUndefined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const submitPlan = (args: ParsedArgs, readJson: ReadJson): Plan => {
  only(args, "submit");
  const file = string(args, "file");
  // biome-ignore lint/suspicious/noExplicitAny: an intake body from a file, checked by the API
  const base = (file ? readJson(file) : {}) as Record<string, any>;
  if (typeof base !== "object" || base === null || Array.isArray(base)) {
    throw new UsageError(`--file ${file} must hold a JSON object`);
  }
  const customer = withoutUndefined({
    ...(base.customer ?? {}),
    id: string(args, "customer-id") ?? base.customer?.id,
    segment: string(args, "segment") ?? base.customer?.segment,
    name: string(args, "name") ?? base.customer?.name,
    phone: string(args, "phone") ?? base.customer?.phone,
    email: string(args, "email") ?? base.customer?.email,
    locale: string(args, "locale") ?? base.customer?.locale,
  });
  const flags = withoutUndefined({
    ...(base.flags ?? {}),
    ...(args.flags.has("vulnerable-customer") ? { vulnerableCustomer: true } : {}),
    ...(args.flags.has("media-risk") ? { mediaRisk: true } : {}),
    ...(args.flags.has("regulator-referral") ? { regulatorReferral: true } : {}),
  });
  const body = withoutUndefined({
    ...base,
    customer,
    businessType: string(args, "business-type") ?? base.businessType,
    cause: string(args, "cause") ?? base.cause,
    description: string(args, "description") ?? base.description,
    jurisdiction: string(args, "jurisdiction") ?? base.jurisdiction,
    amountInDispute: money(args) ?? base.amountInDispute,
    branch: string(args, "branch") ?? base.branch,
    ...(Object.keys(flags).length ? { flags } : {}),
  });
  for (const [field, flag] of [
    ["businessType", "business-type"],
    ["cause", "cause"],
    ["description", "description"],
  ] as const) {
    if (body[field] === undefined) throw new UsageError(`submit: --${flag} is required (or --file)`);
  }
  if (!customer.id || !customer.segment) {
    throw new UsageError("submit: --customer-id and --segment are required (or --file)");
  }
  return {
    command: "submit",
    method: "POST",
    path: "/complaints",
    body,
    headers: { "Idempotency-Key": string(args, "idempotency-key") ?? `cli-${randomUUID()}` },
    auth: "channel",
    view: "intake",
  };
};

/**
 * The decision's Idempotency-Key: `--idempotency-key` to retry a decision whose answer was lost (the same
 * key and body answer the first answer again, nothing applied twice), else a fresh one per invocation.
 */
const decisionKey = (args: ParsedArgs): string => {
  const key = string(args, "idempotency-key") ?? `cli-${randomUUID()}`;
  args.flags.delete("idempotency-key");
  return key;
};

const isNumeric = (schema: z.core.$ZodType): boolean => {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { type?: string };
  return json.type === "integer" || json.type === "number";
};

/** A resolution's remediation action: all three flags, or none. */
const remediation = (args: ParsedArgs) => {
  if (!REMEDIATION_FLAGS.some((f) => args.flags.has(f))) return undefined;
  const [description, owner, dueBy] = REMEDIATION_FLAGS.map((f) => requireString(args, f, "act resolve"));
  return { description, owner, dueBy };
};

const actionBody = (action: string, args: ParsedArgs, text: string | undefined): Record<string, unknown> => {
  if (action === "resolve") {
    only(args, "act resolve");
    const summary = string(args, "summary") ?? text;
    if (!summary) throw new UsageError("act resolve: --summary (or the text after the action) is required");
    return {
      type: "resolve",
      resolution: withoutUndefined({
        outcome: requireString(args, "outcome", "act resolve"),
        summary,
        remedy: money(args),
        rootCause: string(args, "root-cause"),
        remediation: remediation(args),
      }),
    };
  }
  const option = STAFF_ACTIONS[action] as ActionOption;
  const fields = actionFields(action);
  only(args, `act ${action}`);
  const body: Record<string, unknown> = { type: action };
  for (const field of fields) {
    const raw = string(args, kebab(field));
    if (raw !== undefined)
      body[field] = isNumeric(option.shape[field] as z.core.$ZodType) ? number(raw, field) : raw;
  }
  // The free text after the action goes to the action's one required text field (note, question, reason).
  const textField = fields.find((f) => ["note", "question", "reason", "message"].includes(f));
  if (text !== undefined) {
    if (!textField || body[textField] !== undefined)
      throw new UsageError(`act ${action}: unexpected '${text}'`);
    body[textField] = text;
  }
  return body;
};

const commandPlan = (args: ParsedArgs, readJson: ReadJson): Plan => {
  const [command] = args.positionals;
  switch (command) {
    case "submit":
      return submitPlan(args, readJson);
    case "show": {
      only(args, "show");
      const id = positional(args, 1, "complaint id: show <id>");
      const staff = args.flags.has("staff");
      return {
        command,
        method: "GET",
        path: staff ? `/staff/complaints/${encodeURIComponent(id)}` : `/complaints/${encodeURIComponent(id)}`,
        auth: staff ? "staff" : "channel",
        view: staff ? "staffComplaint" : "complaint",
      };
    }
    case "queue": {
      only(args, "queue");
      const team = positional(args, 1, "team: queue <team>");
      const query = withoutUndefined({
        stage: string(args, "stage"),
        tier: string(args, "tier"),
        priority: string(args, "priority"),
        sla: string(args, "sla"),
        limit: string(args, "limit"),
        cursor: string(args, "cursor"),
      }) as Record<string, string>;
      return {
        command,
        method: "GET",
        path: `/queues/${encodeURIComponent(team)}`,
        query,
        auth: "staff",
        allPages: args.flags.has("all"),
        view: "queue",
      };
    }
    case "act": {
      const id = positional(args, 1, "complaint id: act <id> <action>");
      const action = positional(args, 2, `action: act <id> <${Object.keys(STAFF_ACTIONS).join("|")}>`);
      if (args.positionals.length > 4) throw new UsageError("act: quote the text after the action");
      if (!STAFF_ACTIONS[action]) {
        throw new UsageError(`unknown action '${action}'; one of ${Object.keys(STAFF_ACTIONS).join(", ")}`);
      }
      // `--if-match` and `--idempotency-key` go with every action (headers, not fields).
      const ifMatch = string(args, "if-match");
      if (ifMatch !== undefined && !/^\d+$/.test(ifMatch))
        throw new UsageError(
          `--if-match must be a complaint version (a number, as 'show' prints it), got '${ifMatch}'`,
        );
      const key = decisionKey(args);
      args.flags.delete("if-match");
      // `--file` holds the action's fields as JSON (e.g. a resolution with a remediation plan).
      const file = string(args, "file");
      args.flags.delete("file");
      const fromFile = file ? readJson(file) : undefined;
      if (
        fromFile !== undefined &&
        (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile))
      ) {
        throw new UsageError(`--file ${file} must hold a JSON object`);
      }
      if (fromFile) only(args, `act ${action} --file`, []);
      const body = fromFile
        ? { ...(fromFile as Record<string, unknown>), type: action }
        : actionBody(action, args, args.positionals[3]);
      return {
        command,
        method: "POST",
        path: `/staff/complaints/${encodeURIComponent(id)}/actions`,
        body,
        headers: { "Idempotency-Key": key, ...(ifMatch ? { "If-Match": `"${ifMatch}"` } : {}) },
        ...(ifMatch ? {} : { decidesOn: `/staff/complaints/${encodeURIComponent(id)}` }),
        auth: "staff",
        view: "staffComplaint",
      };
    }
    case "reply": {
      only(args, "reply");
      const id = positional(args, 1, "complaint id: reply <id> <message>");
      const message = string(args, "message") ?? args.positionals[2];
      if (!message) throw new UsageError('reply: the message is required (reply <id> "text" or --message)');
      return {
        command,
        method: "POST",
        path: `/complaints/${encodeURIComponent(id)}/customer-reply`,
        body: { message },
        headers: { "Idempotency-Key": decisionKey(args) },
        auth: "channel",
        view: "complaint",
      };
    }
    case "feedback": {
      only(args, "feedback");
      const id = positional(args, 1, "complaint id: feedback <id>");
      const satisfaction = number(requireString(args, "satisfaction", "feedback"), "satisfaction");
      const accept = args.flags.has("accept");
      const reopen = args.flags.has("reopen");
      if (accept === reopen) throw new UsageError("feedback: give exactly one of --accept or --reopen");
      return {
        command,
        method: "POST",
        path: `/complaints/${encodeURIComponent(id)}/feedback`,
        body: withoutUndefined({
          satisfaction,
          outcome: accept ? "accept" : "reopen",
          comment: string(args, "comment"),
        }),
        headers: { "Idempotency-Key": decisionKey(args) },
        auth: "channel",
        view: "complaint",
      };
    }
    case "report": {
      const kind = positional(args, 1, "report kind: report sla|regulatory");
      if (kind !== "sla" && kind !== "regulatory") throw new UsageError("report: sla or regulatory");
      if (!hasRoute("GET", `/reports/${kind}`)) throw new UsageError(`this API has no /reports/${kind}`);
      only(args, `report ${kind}`);
      const query = (
        kind === "sla"
          ? withoutUndefined({
              from: requireString(args, "from", "report sla"),
              to: requireString(args, "to", "report sla"),
              timeZone: string(args, "time-zone"),
              groupBy: string(args, "group-by"),
            })
          : withoutUndefined({
              period: requireString(args, "period", "report regulatory"),
              format: string(args, "format"),
            })
      ) as Record<string, string>;
      return {
        command,
        method: "GET",
        path: `/reports/${kind}`,
        query,
        auth: "staff",
        view: query.format === "csv" ? "raw" : "report",
      };
    }
    case undefined:
      throw new UsageError("no command given");
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
};

/** The credentials to send, from flags first, then the environment. */
const credentialsFor = (
  auth: Plan["auth"],
  args: ParsedArgs,
  env: Record<string, string | undefined>,
): Credentials | undefined => {
  if (auth === "channel") {
    const key = string(args, "api-key") ?? env.COMPLAINTS_API_KEY;
    if (key) return { kind: "apiKey", value: key };
    const channel = string(args, "channel");
    return channel ? { kind: "mintApiKey", channel } : undefined;
  }
  const token = string(args, "token") ?? env.COMPLAINTS_TOKEN;
  if (token) return { kind: "token", value: token };
  const role = string(args, "role");
  const team = string(args, "team");
  if (!role && !team) return undefined;
  if (!role) throw new UsageError("--team needs --role (agent, supervisor or manager)");
  return { kind: "mintToken", role, teams: (team ?? "").split(",").filter(Boolean) };
};

/** Parses a whole command line. Throws UsageError on anything a person should fix before calling. */
export const parseInvocation = (
  argv: readonly string[],
  env: Record<string, string | undefined>,
  readJson: ReadJson,
): Invocation | "help" => {
  const args = splitArgs(argv);
  if (args.flags.has("help") || args.positionals[0] === "help" || argv.length === 0) return "help";
  const plan = commandPlan(args, readJson);
  const url = (string(args, "url") ?? env.COMPLAINTS_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url))
    throw new UsageError(`--url must start with http:// or https://, got '${url}'`);
  const credentials = credentialsFor(plan.auth, args, env);
  return { url, json: args.flags.has("json"), plan, ...(credentials ? { credentials } : {}) };
};

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands
  submit    --customer-id ID --segment SEG --business-type T --cause C --description TEXT
            [--jurisdiction CN|GB|US|EU] [--amount 120.00 --currency CNY] [--branch B] [--name N]
            [--phone P] [--email E] [--vulnerable-customer] [--media-risk] [--regulator-referral]
            [--file body.json] [--idempotency-key K]          flags override fields of --file
  show <id|reference> [--staff]                         the channel's view, or the staff view with audit
  queue <team> [--stage S] [--tier N] [--priority P] [--sla on_track|at_risk|breached]
            [--limit N] [--cursor C] [--all]
  act <id> <action> [text] [--field value ...] [--if-match VERSION] [--idempotency-key K]
            ${Object.keys(STAFF_ACTIONS).join(", ")}
            sent with If-Match: the VERSION 'show' printed, or else the version read just before; a
            complaint that changed meanwhile is refused (412), never changed blindly
            e.g. act ID note "called the customer"; act ID resolve --outcome upheld --summary "..."
                 --root-cause system_defect [--amount 120.00] [--remediation TEXT --remediation-owner O
                 --remediation-due-by 2027-03-31]; act ID reassign --team payments "reason";
                 act ID extend --level cn_30 "reason"; act ID extend --level holding_reply
                 --expected-by 2027-03-05 "reason quoted to the customer" (GB eight-week letter)
  reply <id> <message> [--idempotency-key K]            the customer answers a request for information
  feedback <id> --satisfaction 1-5 --accept|--reopen [--comment TEXT] [--idempotency-key K]
  report sla --from 2026-12-01 --to 2027-01-01 [--time-zone Asia/Shanghai] [--group-by team|segment|channel|priority]
  report regulatory --period 2026-Q4 [--format json|csv]

Options
  --url URL          the API (default $COMPLAINTS_URL or http://127.0.0.1:3000)
  --api-key KEY      channel credentials (default $COMPLAINTS_API_KEY)
  --token JWT        staff credentials (default $COMPLAINTS_TOKEN)
  --channel C        local stack only: mint the API key of channel C
  --team T --role R  local stack only: mint a staff token (teams comma-separated)
  --json             print the API's JSON answer as is (for scripts)

Exit codes
  0 ok   2 usage   3 not found   4 conflict   5 auth   6 validation   7 server or network
`;
