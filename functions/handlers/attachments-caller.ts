import type { APIGatewayProxyEvent } from "aws-lambda";
import type { Caller } from "../app/attachments";
import type { Channel } from "../domain/codes";
import { channelOf, staffOf } from "../http/identity";

/**
 * Who calls an attachments route: the route decides (`/staff/...` takes a staff JWT, the rest a channel's
 * API key), so one handler serves both, and a credential of the other kind is never looked at.
 */
export const callerOf = (event: APIGatewayProxyEvent, keys: Record<string, Channel>): Caller =>
  event.resource?.startsWith("/staff/")
    ? { kind: "staff", staff: staffOf(event) }
    : { kind: "channel", channel: channelOf(event, keys) };
