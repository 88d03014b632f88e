import type { Channel, Jurisdiction } from "../domain/codes";
import { CHANNELS, JURISDICTIONS } from "../domain/codes";

/** Configuration, read from the environment once and checked, so a misconfigured function fails fast. */
export interface Config {
  tableName: string;
  stateMachineArn?: string;
  /** The managers' alert topic; handlers that never escalate run without it. */
  notificationTopicArn?: string;
  /** The custom event bus for integration events and customer notices; handlers that change nothing run without it. */
  eventBusName?: string;
  /** API Gateway API key id -> the channel system it belongs to. */
  channelApiKeys: Record<string, Channel>;
  defaultJurisdiction?: Jurisdiction;
  /** How long (ms) a container trusts its calendars before checking the stored version again. */
  calendarCacheMs: number;
  /** How long (ms) after a calendar load its recompute job waits: every container has refreshed by then. */
  calendarJobDelayMs: number;
  /** `TEAM_REGIONS`: a team's default region (JSON `{ "team": "GB-SCT" }`), checked at start. */
  teamRegions: Record<string, string>;
}

/** A non-negative whole number of seconds from the environment, in ms; the default when unset. */
const secondsMs = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback * 1000;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new Error(`${name} must be a number of seconds, not '${raw}'`);
  return Math.round(Number(raw) * 1000);
};

let cached: Config | undefined;

/** How long a warm container uses its calendars before it checks for a newly loaded year. */
export const DEFAULT_CALENDAR_CACHE_SECONDS = 60;

const parseChannelKeys = (raw: string | undefined): Record<string, Channel> => {
  if (!raw) return {};
  const parsed = JSON.parse(raw) as Record<string, string>;
  for (const [id, channel] of Object.entries(parsed)) {
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      throw new Error(`CHANNEL_API_KEYS maps key ${id} to unknown channel '${channel}'`);
    }
  }
  return parsed as Record<string, Channel>;
};

/** The function's configuration (memoized after the first call). */
export const config = (): Config => {
  if (cached) return cached;
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error("TABLE_NAME is not set");
  const jurisdiction = process.env.DEFAULT_JURISDICTION;
  if (jurisdiction && !(JURISDICTIONS as readonly string[]).includes(jurisdiction)) {
    throw new Error(`DEFAULT_JURISDICTION '${jurisdiction}' is not one of ${JURISDICTIONS.join(", ")}`);
  }
  cached = {
    tableName,
    stateMachineArn: process.env.STATE_MACHINE_ARN || undefined,
    notificationTopicArn: process.env.NOTIFICATION_TOPIC_ARN || undefined,
    eventBusName: process.env.EVENT_BUS_NAME || undefined,
    channelApiKeys: parseChannelKeys(process.env.CHANNEL_API_KEYS),
    defaultJurisdiction: (jurisdiction as Jurisdiction | undefined) || undefined,
    calendarCacheMs: secondsMs("CALENDAR_CACHE_SECONDS", DEFAULT_CALENDAR_CACHE_SECONDS),
    // A request that checked just before a load may still be computing on the old year: its longest
    // run (the API's 29 s, a workflow step's 30 s) is added to the cache period.
    calendarJobDelayMs: secondsMs("CALENDAR_JOB_DELAY_SECONDS", DEFAULT_CALENDAR_CACHE_SECONDS + 30),
    teamRegions: process.env.TEAM_REGIONS
      ? (JSON.parse(process.env.TEAM_REGIONS) as Record<string, string>)
      : {},
  };
  return cached;
};

/** Forgets the cached configuration (the embedded target and tests reconfigure between runs). */
export const resetConfig = (): void => {
  cached = undefined;
};

let cors: Record<string, string> | undefined;

/**
 * `CORS_ALLOW_ORIGIN`: the staff console's origin on AWS (`https://<distribution>`), the only one a
 * browser may read answers from; unset (the embedded target, same origin) means no CORS headers at all.
 */
export const corsHeaders = (): Record<string, string> => {
  if (cors) return cors;
  const origin = process.env.CORS_ALLOW_ORIGIN;
  if (origin && !/^https:\/\/[^/\s]+$/.test(origin)) {
    throw new Error(`CORS_ALLOW_ORIGIN must be an https origin, not '${origin}'`);
  }
  cors = origin
    ? {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": "ETag, Idempotent-Replayed, x-amzn-RequestId",
        Vary: "Origin",
      }
    : {};
  return cors;
};
