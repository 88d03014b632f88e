import { describe, expect, it } from "vitest";
import { EXIT, parseInvocation, splitArgs, UsageError } from "../../../cli/args";
import { exitCodeFor, formatError, formatQueue, table } from "../../../cli/format";

const noFile = (path: string) => {
  throw new UsageError(`cannot read ${path}`);
};
/** A UsageError (exit code 2) whose message matches. */
const usageError = (message: string | RegExp) =>
  expect.objectContaining({
    name: "UsageError",
    message: typeof message === "string" ? message : expect.stringMatching(message),
  });

const parse = (
  argv: string[],
  env: Record<string, string> = {},
  readJson: (path: string) => unknown = noFile,
) => {
  const inv = parseInvocation(argv, env, readJson);
  if (inv === "help") throw new Error("help");
  return inv;
};

describe("cli argument parsing", () => {
  it("splits flags, inline values, booleans and positionals", () => {
    const a = splitArgs(["act", "ID", "note", "--json", "--url=http://x", "--team", "cards", "text"]);
    expect(a.positionals).toEqual(["act", "ID", "note", "text"]);
    expect(Object.fromEntries(a.flags)).toEqual({ json: true, url: "http://x", team: "cards" });
    expect(() => splitArgs(["--team"])).toThrow(usageError(/needs a value/));
    expect(() => splitArgs(["--json=yes"])).toThrow(usageError(/takes no value/));
    expect(() => splitArgs(["show", "X", "--team", "--json"])).toThrow(usageError("--team needs a value"));
    expect(() => splitArgs(["show", "X", "--json", "--json"])).toThrow(usageError("--json given twice"));
    expect(() => splitArgs(["queue", "cards", "--bogus"])).toThrow(
      usageError("queue: unknown option --bogus"),
    );
  });

  it("keeps words that start with a single dash, and everything after --, as text", () => {
    const a = splitArgs(["act", "ID", "note", "-5 points on the card", "-", "--", "--not-a-flag"]);
    expect(a.positionals).toEqual(["act", "ID", "note", "-5 points on the card", "-", "--not-a-flag"]);
    expect(a.flags.size).toBe(0);
    expect(splitArgs(["submit", "--amount", "-5", "--url=", "--description=a=b"]).flags).toEqual(
      new Map([
        ["amount", "-5"],
        ["url", ""],
        ["description", "a=b"],
      ]),
    );
  });

  it("builds an intake from flags, with a fresh Idempotency-Key unless one is given", () => {
    const inv = parse(
      [
        "submit",
        "--customer-id",
        "C-1",
        "--segment",
        "wealth",
        "--business-type",
        "loans",
        "--cause",
        "fees_pricing",
        "--description",
        "Fee",
        "--amount",
        "10.00",
        "--media-risk",
        "--api-key",
        "k",
      ],
      {},
    );
    expect(inv.plan).toMatchObject({
      method: "POST",
      path: "/complaints",
      auth: "channel",
      body: {
        customer: { id: "C-1", segment: "wealth" },
        businessType: "loans",
        cause: "fees_pricing",
        description: "Fee",
        amountInDispute: { amount: "10.00", currency: "CNY" },
        flags: { mediaRisk: true },
      },
    });
    expect(inv.plan.headers?.["Idempotency-Key"]).toMatch(/^cli-[0-9a-f-]{36}$/);
    expect(inv.credentials).toEqual({ kind: "apiKey", value: "k" });
    expect(inv.url).toBe("http://127.0.0.1:3000");
  });

  it("reads a body from --file, flags overriding its fields", () => {
    const file = {
      customer: { id: "C-9", segment: "mass_retail" },
      businessType: "cards",
      cause: "fees_pricing",
      description: "From the file",
    };
    const inv = parse(
      ["submit", "--file", "b.json", "--description", "Overridden", "--idempotency-key", "k-12345678"],
      {},
      () => file,
    );
    expect(inv.plan.body).toEqual({ ...file, description: "Overridden" });
    expect(inv.plan.headers).toEqual({ "Idempotency-Key": "k-12345678" });
  });

  it("sends each decision on a version: --if-match as given, else the staff view read just before", () => {
    const given = parse([
      "act",
      "ID1",
      "claim",
      "--if-match",
      "7",
      "--idempotency-key",
      "k-1",
      "--token",
      "t",
    ]);
    expect(given.plan.headers).toEqual({ "Idempotency-Key": "k-1", "If-Match": '"7"' });
    expect(given.plan.decidesOn).toBeUndefined();
    const read = parse(["act", "ID1", "note", "called", "--token", "t"]);
    expect(read.plan.decidesOn).toBe("/staff/complaints/ID1");
    expect(read.plan.headers?.["Idempotency-Key"]).toMatch(/^cli-[0-9a-f-]{36}$/);
    expect(read.plan.headers?.["If-Match"]).toBeUndefined();
    const reply = parse(["reply", "ID1", "here it is", "--idempotency-key", "r-1", "--api-key", "k"]);
    expect(reply.plan.headers).toEqual({ "Idempotency-Key": "r-1" });
    expect(() => parse(["act", "ID1", "claim", "--if-match", '"7"', "--token", "t"])).toThrow(
      /--if-match must be a complaint version/,
    );
  });

  it("builds every staff action from the schema, the free text going to its text field", () => {
    const act = (...rest: string[]) => parse(["act", "ID1", ...rest, "--token", "t"]).plan.body;
    expect(act("claim")).toEqual({ type: "claim" });
    expect(act("note", "called")).toEqual({ type: "note", note: "called" });
    expect(act("request_info", "statement?")).toEqual({ type: "request_info", question: "statement?" });
    expect(act("reassign", "--team", "payments", "wrong team")).toEqual({
      type: "reassign",
      team: "payments",
      reason: "wrong team",
    });
    expect(act("extend", "--level", "cn_60", "--total-days", "45", "appraisal")).toEqual({
      type: "extend",
      level: "cn_60",
      totalDays: 45,
      reason: "appraisal",
    });
    expect(
      act("extend", "--level", "holding_reply", "--expected-by", "2027-03-05", "scheme records"),
    ).toEqual({
      type: "extend",
      level: "holding_reply",
      expectedBy: "2027-03-05",
      reason: "scheme records",
    });
    // A remediation action takes all three flags, or none.
    const remediating = [
      "resolve",
      "--outcome",
      "upheld",
      "--summary",
      "Refunded",
      "--remediation",
      "Fix the fee rule",
      "--remediation-owner",
      "cards-ops",
      "--remediation-due-by",
      "2027-03-31",
    ];
    expect(act(...remediating)).toEqual({
      type: "resolve",
      resolution: {
        outcome: "upheld",
        summary: "Refunded",
        remediation: { description: "Fix the fee rule", owner: "cards-ops", dueBy: "2027-03-31" },
      },
    });
    expect(() => act(...remediating.slice(0, -2))).toThrow(
      usageError("act resolve: --remediation-due-by is required"),
    );
    expect(
      act(
        "resolve",
        "--outcome",
        "upheld",
        "--summary",
        "Refunded",
        "--root-cause",
        "process",
        "--amount",
        "5.00",
      ),
    ).toEqual({
      type: "resolve",
      resolution: {
        outcome: "upheld",
        summary: "Refunded",
        rootCause: "process",
        remedy: { amount: "5.00", currency: "CNY" },
      },
    });
    expect(parse(["act", "ID1", "note", "x", "--token", "t"]).plan).toMatchObject({
      method: "POST",
      path: "/staff/complaints/ID1/actions",
      auth: "staff",
    });
  });

  it("routes show to the channel or staff view and queue filters to the query", () => {
    expect(parse(["show", "X", "--channel", "wechat"]).plan).toMatchObject({
      path: "/complaints/X",
      auth: "channel",
    });
    expect(parse(["show", "X", "--staff", "--team", "cards", "--role", "agent"])).toMatchObject({
      plan: { path: "/staff/complaints/X", auth: "staff" },
      credentials: { kind: "mintToken", teams: ["cards"], role: "agent" },
    });
    expect(
      parse(["queue", "cards", "--sla", "breached", "--limit", "5", "--all"], { COMPLAINTS_TOKEN: "t" }),
    ).toMatchObject({
      plan: { path: "/queues/cards", query: { sla: "breached", limit: "5" }, allPages: true },
      credentials: { kind: "token", value: "t" },
    });
  });

  it("builds feedback, reply and reports", () => {
    expect(parse(["feedback", "X", "--satisfaction", "4", "--accept"]).plan.body).toEqual({
      satisfaction: 4,
      outcome: "accept",
    });
    expect(parse(["reply", "X", "here it is"]).plan.body).toEqual({ message: "here it is" });
    expect(parse(["report", "regulatory", "--period", "2026-Q4", "--format", "csv"]).plan).toMatchObject({
      path: "/reports/regulatory",
      query: { period: "2026-Q4", format: "csv" },
      view: "raw",
    });
    expect(parse(["report", "sla", "--from", "2026-12-01", "--to", "2027-01-01"]).plan.query).toEqual({
      from: "2026-12-01",
      to: "2027-01-01",
    });
    expect(
      parse(["report", "sla", "--from", "2026-12-01", "--to", "2027-01-01", "--time-zone", "Asia/Shanghai"])
        .plan.query,
    ).toEqual({ from: "2026-12-01", to: "2027-01-01", timeZone: "Asia/Shanghai" });
  });

  it.each([
    [[], "help"],
    [["--help"], "help"],
  ])("answers help for %j", (argv, expected) => {
    expect(parseInvocation(argv, {}, noFile)).toBe(expected);
  });

  it.each([
    [["bogus"], /unknown command/],
    [["show"], /missing complaint id/],
    [["act", "X", "dance"], /unknown action 'dance'/],
    [["act", "X", "claim", "--note", "x"], /unknown option --note/],
    [["feedback", "X", "--satisfaction", "4"], /--accept or --reopen/],
    [["feedback", "X", "--satisfaction", "four", "--accept"], /must be a number/],
    [["submit", "--customer-id", "C"], /required/],
    [["show", "X", "--url", "ftp://x"], /--url/],
    [["report", "weekly"], /sla or regulatory/],
    [["queue", "cards", "--team", "cards"], /--role/],
  ])("rejects %j as a usage error", (argv, message) => {
    expect(() => parseInvocation(argv, {}, noFile)).toThrow(usageError(message));
  });
});

describe("cli output", () => {
  it("aligns tables and marks empty cells", () => {
    expect(
      table(
        ["a", "long header"],
        [
          ["x", null],
          ["yyyy", 3],
        ],
      ).split("\n"),
    ).toEqual(["a     long header", "----  -----------", "x     -", "yyyy  3"]);
  });

  it("prints a queue page with the cursor hint", () => {
    const text = formatQueue({
      team: "cards",
      items: [
        {
          reference: "CMP-1",
          id: "01X",
          status: "in_progress",
          priority: "P2",
          tier: 0,
          slaPhase: "on_track",
        },
      ],
      nextCursor: "abc",
    });
    expect(text).toContain("CMP-1");
    expect(text).toContain("--cursor abc");
    expect(formatQueue({ team: "cards", items: [], nextCursor: null })).toBe("The cards queue is empty.");
  });

  it("prints errors with their code and field details", () => {
    expect(
      formatError(400, {
        error: {
          code: "VALIDATION_FAILED",
          message: "The body is not valid",
          details: [{ path: "note", message: "must not be empty" }],
        },
      }),
    ).toBe("error: VALIDATION_FAILED (HTTP 400): The body is not valid\n  note: must not be empty");
    expect(
      formatError(409, {
        error: {
          code: "ACTION_NOT_ALLOWED",
          message: "No",
          details: { status: "closed", allowedActions: [] },
        },
      }),
    ).toContain("allowedActions: (none)");
    expect(formatError(502, "Bad Gateway")).toBe("error: HTTP 502: Bad Gateway");
  });

  it.each([
    [200, undefined, EXIT.ok],
    [201, undefined, EXIT.ok],
    [400, "VALIDATION_FAILED", EXIT.validation],
    [413, "PAYLOAD_TOO_LARGE", EXIT.validation],
    [422, "IDEMPOTENCY_KEY_REUSED", EXIT.conflict],
    [401, "UNAUTHORIZED", EXIT.auth],
    [403, "FORBIDDEN_TEAM", EXIT.auth],
    [404, "COMPLAINT_NOT_FOUND", EXIT.notFound],
    [409, "TASK_BUSY", EXIT.conflict],
    [429, "TOO_MANY_REQUESTS", EXIT.server],
    [503, "SERVICE_UNAVAILABLE", EXIT.server],
  ])("exits %i %s with %i", (status, code, exit) => {
    expect(exitCodeFor(status, code)).toBe(exit);
  });
});
