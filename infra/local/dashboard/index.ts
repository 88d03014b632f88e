import type { IncomingMessage, ServerResponse } from "node:http";
import { defaultRoutingTable } from "../../../functions/domain/routing";
import { dashboardWidgets } from "../../../functions/observability/widgets";
import { dashboardData } from "./data";
import { captureEmf, EmfStore } from "./emf-store";
import { dashboardPage } from "./page";

export interface LocalDashboard {
  store: EmfStore;
  /** The gateway's `extra` hook: serves `/dashboard` and `/dashboard/data.json`, declines anything else. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Stops reading stdout. */
  stop(): void;
}

/** The teams of the routing table, each listed once, in table order. */
export const routingTeams = (): string[] => [...new Set(defaultRoutingTable.map((rule) => rule.team))];

/**
 * The embedded target's CloudWatch: starts reading the EMF lines the handlers print on stdout and serves
 * the dashboard rendered from the same widget spec as the CDK dashboard.
 */
export const startLocalDashboard = (opts: { refreshMs?: number; teams?: string[] } = {}): LocalDashboard => {
  const store = new EmfStore();
  const stop = captureEmf(store);
  const widgets = dashboardWidgets(opts.teams ?? routingTeams());
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    if (path !== "/dashboard" && path !== "/dashboard/" && path !== "/dashboard/data.json") return false;
    if ((req.method ?? "GET") !== "GET") {
      res.writeHead(405, { Allow: "GET", "Content-Type": "text/plain; charset=utf-8" });
      res.end("Method not allowed");
      return true;
    }
    const data = dashboardData(store, widgets, new Date());
    if (path.endsWith(".json")) {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
      res.end(JSON.stringify(data));
    } else {
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy":
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
      });
      res.end(dashboardPage(data, opts.refreshMs ?? 3000));
    }
    return true;
  };
  return { store, serve, stop };
};
