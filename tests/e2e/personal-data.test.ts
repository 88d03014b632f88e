import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor, issueStaffToken } from "../../infra/local/auth";
import { freePort } from "../../infra/local/stack";

// A full scenario on the embedded target, run as its own process (`npm start`'s entry) so that ALL of
// its stdout and stderr — handler logs, EMF metric lines, engine and SDK output — can be captured and
// scanned for the distinctive personal data the scenario sent, and for task tokens.
const SECRET = "personal-data-scan-secret-0123456789abcdef";
const PERSONAL = {
  name: "Zebulon Quixote-Marchbanks",
  phone: "+86 139 7531 8642",
  email: "zq.marchbanks@example.org",
  account: "6222 0212 3456 7890",
  accountInReply: "62170012345678901",
};
const LEAKS = [
  PERSONAL.name,
  "Marchbanks",
  PERSONAL.phone,
  "13975318642",
  "7531 8642",
  PERSONAL.email,
  "marchbanks@",
  PERSONAL.account,
  "6222021234567890",
  PERSONAL.accountInReply,
  "lsfn1.",
];

let proc: ChildProcess;
let output = "";
let base = "";
const secret = new TextEncoder().encode(SECRET);

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  proc = spawn(process.execPath, ["--import", "tsx", "infra/local/main.ts", "--port", String(port)], {
    env: { ...process.env, LOCAL_AUTH_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: "DEBUG" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const deadline = Date.now() + 90_000;
  while (!output.includes("Complaint handling is running")) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`stack did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);
afterAll(() => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
});

const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // HTML (the dashboard) stays text.
  }
  return { status: res.status, body: parsed };
};
const until = async <T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
};

describe("personal data and task tokens never reach the logs", () => {
  it("runs a full scenario with distinctive personal data and finds none of it in the process output", async () => {
    const channel = { "x-api-key": apiKeyFor(secret, "mobile_app") };
    const agent = {
      authorization: `Bearer ${await issueStaffToken(secret, { teams: ["cards"], role: "agent" })}`,
    };
    const customer = {
      id: "C-PD-1",
      segment: "mass_retail",
      name: PERSONAL.name,
      phone: PERSONAL.phone,
      email: PERSONAL.email,
    };
    const description = `I am ${PERSONAL.name}; card ${PERSONAL.account} was charged twice. Call ${PERSONAL.phone} or mail ${PERSONAL.email}.`;
    const created = await call(
      "POST",
      "/complaints",
      { ...channel, "idempotency-key": "pd-scan-0001" },
      { customer, businessType: "cards", cause: "fees_pricing", description },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // Rejected inputs quoting personal data (validation details go to the caller, never to the log).
    const rejected = await call(
      "POST",
      "/complaints",
      { ...channel, "idempotency-key": "pd-scan-0002" },
      { customer: { ...customer, email: `${PERSONAL.name} <${PERSONAL.email}>` }, businessType: "cards" },
    );
    expect(rejected.status).toBe(400);
    const reused = await call(
      "POST",
      "/complaints",
      { ...channel, "idempotency-key": "pd-scan-0001" },
      { customer, businessType: "cards", cause: "fees_pricing", description: `${description} again` },
    );
    expect(reused.status).toBe(422);

    // A stage a moment away (TASK_BUSY), or a complaint that changed under the request (COMPLAINT_CHANGED:
    // read again and decide, as docs/api.md tells clients): the same decision is sent again.
    const busy = (r: { status: number; body: { error?: { code?: string } } | null }) =>
      r.status === 409 && ["TASK_BUSY", "COMPLAINT_CHANGED"].includes(r.body?.error?.code ?? "");
    const act = (action: unknown) =>
      until(
        () => call("POST", `/staff/complaints/${id}/actions`, agent, action),
        (r) => !busy(r),
      );
    expect((await act({ type: "note", note: `Spoke to ${PERSONAL.name} on ${PERSONAL.phone}` })).status).toBe(
      200,
    );
    expect(
      (await act({ type: "request_info", question: `${PERSONAL.name}, which card? ${PERSONAL.email}` }))
        .status,
    ).toBe(200);
    const reply = await until(
      () =>
        call("POST", `/complaints/${id}/customer-reply`, channel, {
          message: `Account ${PERSONAL.accountInReply}, ${PERSONAL.phone}`,
        }),
      (r) => !busy(r),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const resolved = await act({
      type: "resolve",
      resolution: {
        outcome: "upheld",
        summary: `Refunded ${PERSONAL.name} to ${PERSONAL.account}`,
        rootCause: "process",
      },
    });
    expect(resolved.status).toBe(200);
    const feedback = await until(
      () =>
        call("POST", `/complaints/${id}/feedback`, channel, {
          satisfaction: 5,
          outcome: "accept",
          comment: `Thanks, ${PERSONAL.name} (${PERSONAL.email})`,
        }),
      (r) => !busy(r),
    );
    expect(feedback.status).toBe(200);
    const view = await until(
      () => call("GET", `/staff/complaints/${id}`, agent),
      (r) => r.body?.status === "closed",
    );
    // Staff of the team do see the customer's details: they are stored, just never logged.
    expect(view.body.customer.name).toBe(PERSONAL.name);
    await call("GET", "/dashboard", {});

    // Stop the process and take everything it wrote.
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await exited;
    expect(output).toContain(id);
    expect(output.length).toBeGreaterThan(1000);
    const found = LEAKS.filter((leak) => output.includes(leak));
    expect(found, `leaked into the process output:\n${found.map((f) => `  ${f}`).join("\n")}`).toEqual([]);
  }, 120_000);
});
