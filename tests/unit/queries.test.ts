import { describe, expect, it } from "vitest";
import type { ReadDependencies } from "../../functions/app/dependencies";
import type {
  AuditEvent,
  ComplaintRepository,
  ReadModels,
  ReportAggregates,
} from "../../functions/app/ports";
import { getForStaff } from "../../functions/app/queries";
import type { Complaint } from "../../functions/domain/complaint";
import { eventOf, newComplaint, receivedEvent } from "./domain/fixtures";

/**
 * The staff view is a snapshot: the trail it lists belongs to the version of the complaint it shows, even
 * when a change (an SLA checkpoint, another agent) commits between the reads.
 */
const at = (version: number): Complaint => ({ ...newComplaint(), version });
const trailOf = (version: number): AuditEvent[] =>
  Array.from({ length: version }, (_, i) => ({
    ...(i === 0
      ? receivedEvent(newComplaint())
      : eventOf("Escalated", { fromTier: 0, toTier: 1, reason: "manual", tierDueBy: null })),
    seq: i + 1,
    prevHash: String(i),
    hash: String(i + 1),
  }));

/** A store whose complaint moves to the next version after each trail read, `changes` times. */
const movingStore = (changes: number) => {
  let version = 1;
  let moved = 0;
  const complaints = { get: async () => ({ complaint: at(version) }) };
  const readModels = {
    audit: async () => {
      const trail = trailOf(version);
      if (moved < changes) {
        moved++;
        version++;
      }
      return trail;
    },
    repeatsOf: async () => [],
  };
  const deps = {
    complaints: complaints as unknown as ComplaintRepository,
    readModels: readModels as unknown as ReadModels,
    reports: {} as unknown as ReportAggregates,
    clock: { now: () => new Date("2026-12-01T03:00:00.000Z") },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    channelApiKeys: {},
    calendars: { refresh: async () => undefined },
  } as ReadDependencies;
  return deps;
};

const staff = { subject: "agent-1", role: "agent" as const, teams: ["cards"] };

describe("getForStaff", () => {
  it("shows the trail of the version it shows when a change lands between the reads", async () => {
    const view = await getForStaff({ complaint: "c", staff }, movingStore(1));
    expect(view.version).toBe(2);
    expect(view.audit.map((e) => e.type)).toEqual(["ComplaintReceived", "Escalated"]);
  });

  it("settles after a bounded number of reads when the complaint keeps changing, the view never behind its trail", async () => {
    const view = await getForStaff({ complaint: "c", staff }, movingStore(10));
    expect(view.audit.length).toBeLessThanOrEqual(view.version);
    expect(view.version).toBe(4);
  });

  it("reads once when nothing changes", async () => {
    const view = await getForStaff({ complaint: "c", staff }, movingStore(0));
    expect([view.version, view.audit.length]).toEqual([1, 1]);
  });
});
