import type { IncomingMessage, ServerResponse } from "node:http";
import { defaultRoutingTable } from "../../../functions/domain/routing";
import { dashboardWidgets } from "../../../functions/observability/widgets";
import { type LocalRequest, managerOnly, send, sendError } from "../gateway";
import { dashboardData } from "./data";
import { captureEmf, EmfStore } from "./emf-store";
import { DASHBOARD_CSP, dashboardPage } from "./page";

export interface LocalDashboard {
  store: EmfStore;
  /** The gateway's `extra` hook: serves `/dashboard` and `/dashboard/data.json`, declines anything else. */
  serve(req: IncomingMessage, res: ServerResponse, local: LocalRequest): Promise<boolean>;
  /** Stops reading stdout. */
  stop(): void;
}

/** The teams of the routing table, each listed once, in table order. */
export const routingTeams = (): string[] => [...new Set(defaultRoutingTable.map((rule) => rule.team))];

/**
 * The embedded target's CloudWatch: starts reading the EMF lines the handlers print on stdout and serves
 * the dashboard rendered from the same widget spec as the CDK dashboard. The figures
 * (`/dashboard/data.json`) are for a manager's token only; the page (`/dashboard`) carries none of them:
 * it signs the browser in (`/local/sign-in`) and reads the figures with the token it keeps.
 */
export const startLocalDashboard = (opts: {
  secret: Uint8Array;
  refreshMs?: number;
  teams?: string[];
  /** The stream poller's dead letters (on AWS: the SQS queue behind the StreamDeadLetters alarm). */
  deadLetters?: () => readonly unknown[];
}): LocalDashboard => {
  const store = new EmfStore();
  const stop = captureEmf(store);
  const widgets = dashboardWidgets(opts.teams ?? routingTeams());
  const serve = async (req: IncomingMessage, res: ServerResponse, local: LocalRequest): Promise<boolean> => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    if (path !== "/dashboard" && path !== "/dashboard/" && path !== "/dashboard/data.json") return false;
    if ((req.method ?? "GET") !== "GET") {
      sendError(res, local, 405, "METHOD_NOT_ALLOWED", "Method not allowed", { Allow: "GET" });
      return true;
    }
    if (path.endsWith(".json")) {
      if (!(await managerOnly(req, res, local, opts.secret, "The dashboard"))) return true;
      const data = { ...dashboardData(store, widgets, new Date()), deadLetters: opts.deadLetters?.() ?? [] };
      send(res, 200, JSON.stringify(data), {
        "Cache-Control": "no-store",
      });
    } else {
      send(res, 200, dashboardPage(opts.refreshMs ?? 3000), {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": DASHBOARD_CSP,
      });
    }
    return true;
  };
  return { store, serve, stop };
};
