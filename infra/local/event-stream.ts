import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { INTEGRATION_EVENT_TYPES } from "../../functions/domain/integration-events";
import { staffOf } from "../../functions/http/identity";
import { verifyStaffToken } from "./auth";
import type { BusEvent } from "./eventbridge-api";

const MAX_PAGE = 500;
const integrationTypes: ReadonlySet<string> = new Set(INTEGRATION_EVENT_TYPES);

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
};
const error = (res: ServerResponse, status: number, code: string, message: string) =>
  send(res, status, { error: { code, message } });

/**
 * `GET /events?since=<cursor>&limit=` on the embedded target: the integration events that went onto the
 * local bus, in order, for a manager's JWT — so a CRM integration can be built and tested locally. Customer
 * notices (which carry personal data) share the bus but are never streamed here. On AWS, consumers
 * subscribe to the bus with rules instead.
 */
export const eventStream =
  (opts: { secret: Uint8Array; since: (after: number, filter: (t: string) => boolean) => BusEvent[] }) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname !== "/events") return false;
    if (req.method !== "GET") {
      res.setHeader("Allow", "GET");
      error(res, 405, "METHOD_NOT_ALLOWED", "Method not allowed");
      return true;
    }
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    let role: string;
    try {
      const claims = await verifyStaffToken(opts.secret, token ?? "");
      role = staffOf({ requestContext: { authorizer: { claims } } } as unknown as APIGatewayProxyEvent).role;
    } catch {
      error(res, 401, "UNAUTHORIZED", "A staff token is required");
      return true;
    }
    if (role !== "manager") {
      error(res, 403, "FORBIDDEN_ROLE", "The event stream is for managers");
      return true;
    }
    const since = url.searchParams.get("since") ?? "0";
    const limit = Number(url.searchParams.get("limit") ?? "100");
    if (!/^\d{1,15}$/.test(since) || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      error(res, 400, "VALIDATION_FAILED", `since must be a cursor from this API; limit 1-${MAX_PAGE}`);
      return true;
    }
    const all = opts.since(Number(since), (t) => integrationTypes.has(t));
    const page = all.slice(0, limit);
    send(res, 200, {
      events: page.map((e) => ({
        cursor: String(e.seq),
        id: e.id,
        detailType: e.detailType,
        time: e.time,
        detail: e.detail,
      })),
      // Resume from here; the same cursor again when nothing new has arrived.
      nextCursor: String(page.at(-1)?.seq ?? since),
      more: all.length > page.length,
    });
    return true;
  };
