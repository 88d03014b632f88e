import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Complaint } from "../../functions/domain/complaint";
import {
  INTEGRATION_EVENT_SCHEMAS,
  INTEGRATION_EVENT_TYPES,
  integrationEventJsonSchema,
  integrationEventsFor,
} from "../../functions/domain/integration-events";
import { transition } from "../../functions/domain/lifecycle";
import { EVENT_SCHEMA_DIR, eventSchemaFiles } from "../../infra/tools/event-schemas";
import { compileSchema, validate } from "../support/json-schema";
import { agent, ctxAt, newComplaint, receivedEvent, system } from "./domain/fixtures";

describe("integration event schemas", () => {
  it("are published in docs/events and up to date (run `npm run events:schemas` after changing them)", () => {
    const expected = eventSchemaFiles();
    expect(readdirSync(EVENT_SCHEMA_DIR).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, content] of Object.entries(expected)) {
      expect(readFileSync(join(EVENT_SCHEMA_DIR, name), "utf8"), `${name} is stale`).toBe(content);
    }
  });

  it("are versioned, identified and closed (no property outside the contract)", () => {
    for (const type of INTEGRATION_EVENT_TYPES) {
      const schema = integrationEventJsonSchema(type);
      expect(schema.$id).toMatch(new RegExp(`/${type}/v1\\.json$`));
      expect(schema.additionalProperties).toBe(false);
      expect((schema.properties as Record<string, { const?: string }>).type?.const).toBe(type);
    }
  });

  it("map a complaint's life to events that validate and carry no personal data", () => {
    const customer = { kind: "channel" as const, channel: "mobile_app" as const };
    let c: Complaint = newComplaint({
      customer: { id: "C-77", segment: "wealth", name: "Zhang San", phone: "+86 139 0000 0000" },
      description: "My private story",
    });
    const all = [...integrationEventsFor(c, [{ ...receivedEvent(c), actor: customer }])];
    const step = (at: string, cmd: Parameters<typeof transition>[1]) => {
      const r = transition(c, cmd, ctxAt(at));
      c = { ...r.complaint, version: c.version + 1 };
      all.push(...integrationEventsFor(c, r.events));
    };
    step("2026-12-01T03:00:00Z", { type: "start_handling", actor: system });
    step("2026-12-01T03:01:00Z", { type: "claim", actor: agent });
    step("2026-12-01T03:02:00Z", {
      type: "request_info",
      actor: agent,
      question: "Send your ID card number",
    });
    step("2026-12-01T04:00:00Z", {
      type: "customer_reply",
      actor: customer,
      message: "It is 110101199001011234",
    });
    step("2026-12-01T05:00:00Z", {
      type: "resolve",
      actor: agent,
      resolution: { outcome: "upheld", summary: "Refunded to Zhang San", rootCause: "process" },
    });
    step("2026-12-01T06:00:00Z", { type: "feedback", actor: customer, satisfaction: 4, accept: true });
    expect(all.map((e) => e.type)).toEqual([
      "ComplaintReceived",
      "Acknowledged",
      "Assigned",
      "InformationRequested",
      "CustomerReplied",
      "Resolved",
      "FeedbackReceived",
      "Closed",
    ]);
    for (const e of all) {
      expect(INTEGRATION_EVENT_SCHEMAS[e.type].safeParse(e).error).toBeUndefined();
      expect(validate(integrationEventJsonSchema(e.type), e)).toEqual([]);
    }
    const text = JSON.stringify(all);
    for (const secret of ["Zhang San", "+86 139", "ID card", "110101199001011234", "private story"]) {
      expect(text).not.toContain(secret);
    }
    expect(all.find((e) => e.type === "Resolved")?.data).toMatchObject({ rootCause: "process" });
  });
});

describe("every integration event type", () => {
  it("validates against its published schema, from the complaint lives that produce it", () => {
    const seen = new Map<string, unknown>();
    const live = (start: Complaint, steps: [string, Parameters<typeof transition>[1]][]) => {
      let c = { ...start, version: 1 };
      for (const e of integrationEventsFor(c, [receivedEvent(c)])) seen.set(e.type, e);
      for (const [at, cmd] of steps) {
        const r = transition(c, cmd, ctxAt(at));
        c = { ...r.complaint, version: c.version + 1 };
        for (const e of integrationEventsFor(c, r.events)) seen.set(e.type, e);
      }
    };
    const customer = { kind: "channel" as const, channel: "mobile_app" as const };
    const start = { type: "start_handling" as const, actor: system };
    const resolve = {
      type: "resolve" as const,
      actor: agent,
      resolution: { outcome: "upheld" as const, summary: "Refunded", rootCause: "process" as const },
    };
    live(newComplaint(), [
      ["2026-12-01T03:00:00Z", { ...start, repeatOf: "01JDEMO0000000000000000001" }],
      ["2026-12-01T03:01:00Z", { type: "claim", actor: agent }],
      ["2026-12-01T03:02:00Z", { type: "reassign", actor: agent, team: "loans", reason: "A loan fee" }],
      ["2026-12-01T03:03:00Z", { type: "escalate", actor: agent, reason: "Threatens the regulator" }],
      ["2026-12-01T03:04:00Z", { type: "extend", actor: agent, level: "cn_30", reason: "Scheme records" }],
      ["2026-12-01T03:05:00Z", { type: "request_info", actor: agent, question: "Which card?" }],
      ["2026-12-01T04:00:00Z", { type: "customer_reply", actor: customer, message: "Gold" }],
      ["2026-12-01T05:00:00Z", resolve],
      ["2026-12-01T06:00:00Z", { type: "feedback", actor: customer, satisfaction: 1, accept: false }],
    ]);
    live(newComplaint(), [
      ["2026-12-01T03:00:00Z", start],
      ["2026-12-11T03:00:00Z", { type: "sla_checkpoint", actor: system }],
      ["2026-12-15T09:30:00Z", { type: "sla_checkpoint", actor: system }],
      ["2026-12-15T10:00:00Z", resolve],
      ["2026-12-16T06:00:00Z", { type: "feedback", actor: customer, satisfaction: 5, accept: true }],
    ]);
    expect([...seen.keys()].sort()).toEqual([...INTEGRATION_EVENT_TYPES].sort());
    for (const [type, e] of seen) {
      const published = JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, `${type}.v1.schema.json`), "utf8"));
      expect(validate(published, e), type).toEqual([]);
    }
  });
});

describe("the contract check of an event schema", () => {
  const c = newComplaint();
  const [received] = integrationEventsFor(c, [receivedEvent(c)]);
  const schema = JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, "ComplaintReceived.v1.schema.json"), "utf8"));
  const errorsWith = (patch: Record<string, unknown>) => validate(schema, { ...received, ...patch });

  it("compiles every published schema in strict mode (an unknown keyword would fail here)", () => {
    const published = readdirSync(EVENT_SCHEMA_DIR).filter((f) => f.endsWith(".schema.json"));
    expect(published).toHaveLength(INTEGRATION_EVENT_TYPES.length);
    for (const name of published) {
      expect(
        () => compileSchema(JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, name), "utf8"))),
        name,
      ).not.toThrow();
    }
    expect(errorsWith({})).toEqual([]);
  });

  it("fails on a wrong format, a violated exclusiveMinimum or minimum, a wrong union type and an extra field", () => {
    expect(errorsWith({ occurredAt: "yesterday" })).toContain(
      '/occurredAt: must match format "date-time" [format]',
    );
    expect(errorsWith({ cycle: 0 })).toEqual(["/cycle: must be > 0 [exclusiveMinimum]"]);
    expect(errorsWith({ complaintVersion: -1 })).toEqual(["/complaintVersion: must be >= 0 [minimum]"]);
    expect(errorsWith({ tier: 4 })).toEqual(["/tier: must be <= 3 [maximum]"]);
    expect(errorsWith({ branch: 42 })).toEqual(["/branch: must be string,null [type]"]);
    expect(errorsWith({ customerName: "Zhang San" })).toEqual([
      "/: must NOT have additional properties (customerName) [additionalProperties]",
    ]);
  });

  it("refuses a schema with a keyword or format it does not know instead of skipping it", () => {
    expect(() => compileSchema({ type: "string", formt: "date-time" })).toThrow(
      expect.objectContaining({ name: "Error", message: 'strict mode: unknown keyword: "formt"' }),
    );
    expect(() => compileSchema({ type: "string", format: "datetime" })).toThrow(
      expect.objectContaining({
        name: "Error",
        message: expect.stringContaining('unknown format "datetime"'),
      }),
    );
  });
});
