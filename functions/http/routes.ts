import type { HandlerId } from "../handlers/catalog";

/**
 * The route table: API Gateway resources (CDK) and the local gateway are both built from it.
 * `auth` says who may call: a channel system's API key, or a staff JWT (Cognito on AWS).
 */
export type RouteAuth = "channel" | "staff";

export interface Route {
  method: "GET" | "POST";
  path: string;
  handler: HandlerId;
  auth: RouteAuth;
  summary: string;
}

export const ROUTES: readonly Route[] = [
  { method: "POST", path: "/complaints", handler: "intake", auth: "channel", summary: "Submit a complaint" },
  {
    method: "GET",
    path: "/complaints/{id}",
    handler: "getComplaint",
    auth: "channel",
    summary: "A complaint as its channel sees it",
  },
  {
    method: "POST",
    path: "/complaints/{id}/customer-reply",
    handler: "customerReply",
    auth: "channel",
    summary: "The customer answers a request for information",
  },
  {
    method: "POST",
    path: "/complaints/{id}/feedback",
    handler: "feedback",
    auth: "channel",
    summary: "The customer rates the resolution and accepts or reopens it",
  },
  {
    method: "GET",
    path: "/queues/{team}",
    handler: "queue",
    auth: "staff",
    summary: "A team's open complaints, nearest deadline first",
  },
  {
    method: "GET",
    path: "/staff/complaints/{id}",
    handler: "staffGetComplaint",
    auth: "staff",
    summary: "A complaint with its audit trail",
  },
  {
    method: "POST",
    path: "/staff/complaints/{id}/actions",
    handler: "staffAction",
    auth: "staff",
    summary: "Act on a complaint: claim, note, request_info, resolve, reassign, escalate, extend",
  },
  {
    method: "GET",
    path: "/staff/complaints/{id}/audit/verify",
    handler: "verifyAudit",
    auth: "staff",
    summary: "Recompute the complaint's audit hash chain",
  },
  {
    method: "GET",
    path: "/reports/sla",
    handler: "reportsSla",
    auth: "staff",
    summary: "SLA performance over a range, grouped by team, segment, channel or priority (managers)",
  },
  {
    method: "GET",
    path: "/reports/regulatory",
    handler: "reportsRegulatory",
    auth: "staff",
    summary: "A period's complaint statistics by JR/T 0169 axes, as CSV or JSON (managers)",
  },
];

/** Largest request body accepted, in bytes (API Gateway's own cap is 10 MB; ours is far lower). */
export const MAX_BODY_BYTES = 64 * 1024;
