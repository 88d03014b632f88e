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
}

let cached: Config | undefined;

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
  };
  return cached;
};

/** Forgets the cached configuration (the embedded target and tests reconfigure between runs). */
export const resetConfig = (): void => {
  cached = undefined;
};
