import { describe, expect, it } from "vitest";
import { deliver, REDELIVERY_BATCH, redeliver } from "../../functions/app/deliveries";
import type { ManagerNotice } from "../../functions/app/notifications";
import type { DeliveryStore, ParkedDelivery, ReadModels, StoredNotice } from "../../functions/app/ports";
import type { IntegrationEvent } from "../../functions/domain/integration-events";
import type { CustomerNotice } from "../../functions/domain/notices";
import { newComplaint } from "./domain/fixtures";

/**
 * What a change hands over and the bus or the alerts topic refuses is parked in the store, never lost
 * silently and never failing the change; the reconciler's redelivery unparks what goes through.
 */
const complaint = { ...newComplaint(), version: 3 };
const now = new Date("2026-12-01T03:00:00.000Z");
const event = {
  eventId: `${complaint.id}-3-1`,
  type: "Resolved",
  complaintId: complaint.id,
} as IntegrationEvent;
const notice = (n: number) =>
  ({
    noticeId: `${complaint.id}-3-${n}`,
    kind: "final_response",
    content: { body: "Dear Li Lei" },
  }) as CustomerNotice;
const alert = { kind: "escalation", complaintId: complaint.id } as ManagerNotice;

const harness = (opts: { refuse?: Set<string>; parkFails?: boolean; parked?: ParkedDelivery[] } = {}) => {
  const sent: { target: string; ids: string[] }[] = [];
  const parked: ParkedDelivery[] = [...(opts.parked ?? [])];
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const counted: string[] = [];
  const attempt = (target: string, ids: string[]) => {
    if (opts.refuse?.has(target))
      return Promise.reject(Object.assign(new Error("down"), { name: "InternalException" }));
    sent.push({ target, ids });
    return Promise.resolve();
  };
  const store = {
    park: async (d: ParkedDelivery) => {
      if (opts.parkFails) throw Object.assign(new Error("store down"), { name: "TransientStoreError" });
      parked.push(d);
    },
    parked: async (limit: number) => parked.slice(0, limit),
    unpark: async (d: ParkedDelivery) => {
      parked.splice(parked.indexOf(d), 1);
    },
    stillParked: async (d: ParkedDelivery, at: Date) => {
      parked[parked.indexOf(d)] = { ...d, attempts: d.attempts + 1, lastAttemptAt: at.toISOString() };
    },
    notices: async (): Promise<StoredNotice[]> => [1, 2, 3].map((n) => ({ ...notice(n), seq: n })),
  };
  const record =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, extra: Object.assign({}, ...extra) });
  const deps = {
    deliveries: store as unknown as DeliveryStore,
    readModels: store as unknown as ReadModels,
    clock: { now: () => new Date("2026-12-01T03:05:00.000Z") },
    log: { info: record("info"), warn: record("warn"), error: record("error") },
    metrics: { record: () => undefined, count: (name: string) => counted.push(name) },
    events: {
      publish: (es: readonly IntegrationEvent[]) =>
        attempt(
          "integration_events",
          es.map((e) => e.eventId),
        ),
    },
    customerNotifier: {
      send: (ns: readonly CustomerNotice[]) =>
        attempt(
          "customer_notices",
          ns.map((n) => n.noticeId),
        ),
    },
    notifier: {
      notify: (ns: readonly ManagerNotice[]) =>
        attempt(
          "manager_notices",
          ns.map((n) => n.kind),
        ),
    },
  };
  return { deps, sent, parked, lines, counted };
};

const outgoing = [
  { target: "integration_events" as const, events: [event] },
  { target: "customer_notices" as const, notices: [notice(1), notice(2)] },
  { target: "manager_notices" as const, notices: [alert] },
];

describe("deliver", () => {
  it("hands everything over when the bus and the topic take it, and parks nothing", async () => {
    const { deps, sent, parked } = harness();
    await deliver(complaint, outgoing, now, deps);
    expect(sent.map((s) => s.target).sort()).toEqual([
      "customer_notices",
      "integration_events",
      "manager_notices",
    ]);
    expect(parked).toEqual([]);
  });

  it("parks each refused target under the complaint's version, customer notices by id only", async () => {
    const { deps, sent, parked, lines, counted } = harness({
      refuse: new Set(["integration_events", "customer_notices"]),
    });
    await deliver(complaint, outgoing, now, deps);
    expect(sent.map((s) => s.target)).toEqual(["manager_notices"]);
    expect(parked).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: "integration_events",
          complaintId: complaint.id,
          version: 3,
          events: [event],
        }),
        expect.objectContaining({
          target: "customer_notices",
          noticeIds: [notice(1).noticeId, notice(2).noticeId],
        }),
      ]),
    );
    expect(parked).toHaveLength(2);
    expect(parked[0]).toMatchObject({ attempts: 1, parkedAt: now.toISOString() });
    // The notices' text (personal data) is neither parked nor logged.
    expect(JSON.stringify(parked)).not.toContain("Li Lei");
    expect(JSON.stringify(lines)).not.toContain("Li Lei");
    expect(lines.filter((l) => l.message.includes("parked"))).toHaveLength(2);
    expect(counted).toEqual(["DeliveriesParked", "DeliveriesParked"]);
  });

  it("never throws into the stored change: a delivery it cannot park either is logged as lost, with ids", async () => {
    const { deps, lines } = harness({ refuse: new Set(["integration_events"]), parkFails: true });
    await expect(deliver(complaint, outgoing, now, deps)).resolves.toBeUndefined();
    const lost = lines.find((l) => l.message.startsWith("delivery lost"));
    expect(lost).toMatchObject({
      level: "error",
      extra: { eventIds: event.eventId, parkError: "TransientStoreError" },
    });
  });

  it("skips targets with nothing to hand over", async () => {
    const { deps, sent } = harness();
    await deliver(complaint, [{ target: "manager_notices", notices: [] }], now, deps);
    expect(sent).toEqual([]);
  });
});

const parkedDelivery = (overrides: Partial<ParkedDelivery> = {}): ParkedDelivery =>
  ({
    complaintId: complaint.id,
    version: 3,
    parkedAt: now.toISOString(),
    attempts: 1,
    lastAttemptAt: now.toISOString(),
    target: "customer_notices",
    noticeIds: [notice(1).noticeId, notice(3).noticeId],
    ...overrides,
  }) as ParkedDelivery;

describe("redeliver", () => {
  it("sends each parked delivery again and unparks it; customer notices are read back by id", async () => {
    const events = parkedDelivery({
      target: "integration_events",
      events: [event],
    } as Partial<ParkedDelivery>);
    const { deps, sent, parked } = harness({ parked: [parkedDelivery(), events] });
    expect(await redeliver(deps)).toEqual({ redelivered: 2, stillParked: 0 });
    expect(sent).toEqual([
      { target: "customer_notices", ids: [notice(1).noticeId, notice(3).noticeId] },
      { target: "integration_events", ids: [event.eventId] },
    ]);
    expect(parked).toEqual([]);
  });

  it("keeps a delivery refused again, counting the attempt, and goes on with the others", async () => {
    const alerts = parkedDelivery({ target: "manager_notices", notices: [alert] } as Partial<ParkedDelivery>);
    const { deps, sent, parked, lines, counted } = harness({
      refuse: new Set(["customer_notices"]),
      parked: [parkedDelivery(), alerts],
    });
    expect(await redeliver(deps)).toEqual({ redelivered: 1, stillParked: 1 });
    expect(sent.map((s) => s.target)).toEqual(["manager_notices"]);
    expect(parked).toEqual([expect.objectContaining({ target: "customer_notices", attempts: 2 })]);
    expect(lines.find((l) => l.level === "error")?.extra).toMatchObject({
      attempts: 2,
      target: "customer_notices",
    });
    expect(counted).toEqual(["RedeliveriesRefused"]);
  });

  it("stops trying a destination for the rest of the run once it refused", async () => {
    const three = [1, 2, 3].map((version) => parkedDelivery({ version }));
    const alerts = parkedDelivery({
      version: 4,
      target: "manager_notices",
      notices: [alert],
    } as Partial<ParkedDelivery>);
    const { deps, sent, parked, counted } = harness({
      refuse: new Set(["customer_notices"]),
      parked: [...three, alerts],
    });
    expect(await redeliver(deps)).toEqual({ redelivered: 1, stillParked: 3 });
    expect(sent.map((s) => s.target)).toEqual(["manager_notices"]);
    expect(counted).toEqual(["RedeliveriesRefused"]);
    expect(parked.map((p) => p.attempts)).toEqual([2, 1, 1]);
  });

  it("takes at most one batch a run", async () => {
    const many = Array.from({ length: REDELIVERY_BATCH + 5 }, (_, i) => parkedDelivery({ version: i + 1 }));
    const { deps, parked } = harness({ parked: many });
    expect((await redeliver(deps)).redelivered).toBe(REDELIVERY_BATCH);
    expect(parked).toHaveLength(5);
  });
});
