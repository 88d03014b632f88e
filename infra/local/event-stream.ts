import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import { INTEGRATION_EVENT_TYPES } from "../../functions/domain/integration-events";
import { queryInteger } from "../../functions/domain/schemas";
import type { BusEvent } from "./eventbridge-api";
import { type LocalRequest, managerOnly, send, sendError } from "./gateway";

const MAX_PAGE = 500;
/** The query, with the API's own rule for numbers in query strings (plain digits only). */
const querySchema = z
  .object({
    since: z
      .string()
      .regex(/^\d{1,15}$/)
      .default("0"),
    limit: queryInteger(1, MAX_PAGE, 100),
  })
  .strict();
const integrationTypes: ReadonlySet<string> = new Set(INTEGRATION_EVENT_TYPES);

/**
 * `GET /events?since=<cursor>&limit=` on the embedded target: the integration events that went onto the
 * local bus, in order, for a manager's JWT — so a CRM integration can be built and tested locally. Customer
 * notices (which carry personal data) share the bus but are never streamed here. On AWS, consumers
 * subscribe to the bus with rules instead.
 */
export const eventStream =
  (opts: { secret: Uint8Array; since: (after: number, filter: (t: string) => boolean) => BusEvent[] }) =>
  async (req: IncomingMessage, res: ServerResponse, local: LocalRequest): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname !== "/events") return false;
    if (req.method !== "GET") {
      sendError(res, local, 405, "METHOD_NOT_ALLOWED", "Method not allowed", { Allow: "GET" });
      return true;
    }
    if (!(await managerOnly(req, res, local, opts.secret, "The event stream"))) return true;
    const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) {
      sendError(
        res,
        local,
        400,
        "VALIDATION_FAILED",
        `since must be a cursor from this API; limit 1-${MAX_PAGE}`,
      );
      return true;
    }
    const { since, limit } = query.data;
    const all = opts.since(Number(since), (t) => integrationTypes.has(t));
    const page = all.slice(0, limit);
    send(
      res,
      200,
      JSON.stringify({
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
      }),
      { "Cache-Control": "no-store" },
    );
    return true;
  };
