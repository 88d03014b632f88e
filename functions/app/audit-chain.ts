import { createHash } from "node:crypto";
import type { AuditEvent } from "./ports";

/** The first link of every complaint's audit chain. */
export const GENESIS_HASH = "0".repeat(64);

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
};

/** The hash that chains an audit event to the one before it (sha-256 over a canonical form). */
export const chainHash = (prevHash: string, event: Omit<AuditEvent, "hash" | "prevHash">): string =>
  createHash("sha256").update(prevHash).update(canonicalJson(event)).digest("hex");

export interface ChainVerification {
  valid: boolean;
  events: number;
  /** The first event whose link or content does not match, when the chain is broken. */
  brokenAt?: { seq: number; reason: "sequence" | "previous_hash" | "content_hash" };
  lastHash: string;
}

/** Recomputes a complaint's audit chain from its first event: any edited, removed or reordered event shows. */
export const verifyAuditChain = (events: readonly AuditEvent[]): ChainVerification => {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    const { hash, prevHash, ...body } = e;
    if (e.seq !== i + 1)
      return {
        valid: false,
        events: events.length,
        brokenAt: { seq: e.seq, reason: "sequence" },
        lastHash: prev,
      };
    if (prevHash !== prev) {
      return {
        valid: false,
        events: events.length,
        brokenAt: { seq: e.seq, reason: "previous_hash" },
        lastHash: prev,
      };
    }
    if (chainHash(prev, body) !== hash) {
      return {
        valid: false,
        events: events.length,
        brokenAt: { seq: e.seq, reason: "content_hash" },
        lastHash: prev,
      };
    }
    prev = hash;
  }
  return { valid: true, events: events.length, lastHash: prev };
};
