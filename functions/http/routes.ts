export { MAX_BODY_BYTES } from "./limits";

import { customerHistoryQuerySchema, customerHistorySchema, customerIdSchema } from "../app/customer-history";
import {
  regulatoryReportQuerySchema,
  regulatoryReportSchema,
  slaReportQuerySchema,
  slaReportSchema,
} from "../app/reports";
import {
  annualDisclosureQuerySchema,
  annualDisclosureSchema,
  fcaReturnQuerySchema,
  fcaReturnSchema,
} from "../app/returns";
import { rootCauseReportQuerySchema, rootCauseReportSchema } from "../app/root-causes";
import { calendarLoadSchema } from "../domain/calendar/calendar-year";
import {
  attachmentDownloadSchema,
  attachmentIdSchema,
  attachmentListSchema,
  attachmentUploadRequestSchema,
  attachmentUploadResponseSchema,
  auditVerificationSchema,
  calendarLoadResultSchema,
  calendarsQuerySchema,
  calendarsViewSchema,
  calendarYearParams,
  complaintIdSchema,
  complaintLookupSchema,
  complaintViewSchema,
  customerReplySchema,
  feedbackSchema,
  idempotencyKeySchema,
  intakeRequestSchema,
  intakeResponseSchema,
  noticeListSchema,
  queuePageSchema,
  queueQuerySchema,
  staffActionSchema,
  staffViewSchema,
  teamSchema,
  teamsQuerySchema,
  teamsSchema,
} from "../domain/schemas";
import * as z from "../domain/zod";
import type { HandlerId } from "../handlers/catalog";
import type { ErrorCode } from "./errors";

/**
 * The route table: API Gateway resources (CDK), the local gateway and the OpenAPI document are all
 * built from it. `auth` says who may call: a channel system's API key, or a staff JWT (Cognito on AWS).
 */
export type RouteAuth = "channel" | "staff";

/** What a route accepts, as the very zod schemas its handler parses with. */
export interface RouteRequest {
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** An object schema, one property per `{param}` of the path. */
  params?: z.ZodMiniType;
  /** An object schema of the request headers the handler reads (beyond auth and content type). */
  headers?: z.ZodMiniType;
}

/** One documented answer; `schema` omitted means the body is not described. */
export interface RouteResponse {
  description: string;
  schema?: z.ZodMiniType;
  /** Default `["application/json"]`. */
  contentTypes?: readonly string[];
  headers?: Record<string, string>;
}

/** A request that works, for the API document and the README (validated against the schemas by a test). */
export interface RouteExample {
  name: string;
  summary?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Route {
  method: "GET" | "POST" | "PUT";
  path: string;
  handler: HandlerId;
  auth: RouteAuth;
  summary: string;
  request?: RouteRequest;
  responses?: Record<number, RouteResponse>;
  /**
   * The codes this route's own logic can answer. Those every route of its kind can answer (bad key or
   * token, throttling, bad body, 5xx) are added by the document generator.
   */
  errors?: readonly ErrorCode[];
  examples?: readonly RouteExample[];
}

const complaintParams = /* @__PURE__ */ (() => z.object({ id: complaintIdSchema }))();
/** What a decision may carry: the version it was decided on, and a key that makes a retry safe. */
const decisionHeaders = /* @__PURE__ */ (() =>
  z.object({
    "If-Match": z
      .optional(z.string())
      .check(
        z.describe(
          'the ETag of the view the decision was made on ("7"); at another version: 412, nothing changed',
        ),
      ),
    "Idempotency-Key": z
      .optional(idempotencyKeySchema)
      .check(
        z.describe(
          "the caller's key for this decision on this complaint: a retry with the same key and body answers the first answer",
        ),
      ),
  }))();
const ETAG_HEADER = {
  ETag: 'the complaint version, quoted ("7"): send it back as If-Match to act on exactly this state',
};
const DECISION_ERRORS = ["PRECONDITION_FAILED", "COMPLAINT_CHANGED", "IDEMPOTENCY_KEY_REUSED"] as const;
/** Reads also take the reference a customer quotes on the phone. */
const lookupParams = /* @__PURE__ */ (() => z.object({ id: complaintLookupSchema }))();
const EXAMPLE_ID = "01KB3Q8Y9T6V1S5W2X4Z7N0M3P";
const EXAMPLE_REFERENCE = "CMP-20261201-000123";
const EXAMPLE_ATTACHMENT = "01KB3QA2C5D8E1F4G7H0J3K6M9";

/** One upload route per audience, one handler behind both (the route says who the caller is). */
const uploadRoute = (auth: RouteAuth, path: string): Route => ({
  method: "POST",
  path,
  handler: "attachmentsUpload",
  auth,
  summary:
    auth === "channel"
      ? "Attach a file (the complaint's channel): answers a presigned S3 PUT"
      : "Attach evidence (staff of the complaint's team, also after closure): answers a presigned S3 PUT",
  request: { params: complaintParams, body: attachmentUploadRequestSchema },
  responses: {
    201: {
      description:
        "Recorded as pending: PUT the file to `uploadUrl` with `uploadHeaders` before `expiresAt`; it is checked on arrival",
      schema: attachmentUploadResponseSchema,
    },
  },
  errors: [
    "COMPLAINT_NOT_FOUND",
    ...(auth === "staff" ? (["FORBIDDEN_TEAM", "FORBIDDEN_ROLE"] as const) : []),
    "ATTACHMENT_TYPE_NOT_ALLOWED",
    "ATTACHMENT_TOO_LARGE",
    "ATTACHMENT_LIMIT_REACHED",
    ...(auth === "channel" ? (["COMPLAINT_CLOSED"] as const) : []),
    "TASK_BUSY",
  ],
  examples: [
    {
      name: "statement",
      summary: "A card statement as PDF",
      params: { id: EXAMPLE_ID },
      body: {
        fileName: "statement-2026-11.pdf",
        contentType: "application/pdf",
        size: 183_204,
        sha256: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
      },
    },
  ],
});

const listRoute = (auth: RouteAuth, path: string): Route => ({
  method: "GET",
  path,
  handler: "attachmentsList",
  auth,
  summary:
    auth === "channel"
      ? "The complaint's files, with status and checks, no URLs (the complaint's channel)"
      : "The complaint's files, with status and checks, no URLs (staff of its team, managers)",
  request: { params: complaintParams },
  responses: {
    200: { description: "Every file, pending, available or rejected", schema: attachmentListSchema },
  },
  errors: [
    "COMPLAINT_NOT_FOUND",
    ...(auth === "staff" ? (["FORBIDDEN_TEAM", "FORBIDDEN_ROLE"] as const) : []),
  ],
  examples: [{ name: "by_id", params: { id: EXAMPLE_ID } }],
});

const downloadRoute = (auth: RouteAuth, path: string): Route => ({
  method: "GET",
  path,
  handler: "attachmentsDownload",
  auth,
  summary:
    auth === "channel"
      ? "A short-lived download URL of an available file, recorded in the trail (the complaint's channel)"
      : "A short-lived download URL of an available file, recorded in the trail (staff of its team, managers)",
  request: { params: z.object({ id: complaintIdSchema, attachmentId: attachmentIdSchema }) },
  responses: {
    200: { description: "A presigned S3 GET valid until `expiresAt`", schema: attachmentDownloadSchema },
  },
  errors: [
    "COMPLAINT_NOT_FOUND",
    ...(auth === "staff" ? (["FORBIDDEN_TEAM", "FORBIDDEN_ROLE"] as const) : []),
    "ATTACHMENT_NOT_FOUND",
    "ATTACHMENT_NOT_AVAILABLE",
    "TASK_BUSY",
  ],
  examples: [{ name: "by_id", params: { id: EXAMPLE_ID, attachmentId: EXAMPLE_ATTACHMENT } }],
});

export const ROUTES: readonly Route[] = [
  {
    method: "POST",
    path: "/complaints",
    handler: "intake",
    auth: "channel",
    summary: "Submit a complaint",
    request: {
      body: intakeRequestSchema,
      headers: z.object({ "Idempotency-Key": idempotencyKeySchema }),
    },
    responses: {
      201: {
        description: "Stored and routed: the acknowledgement, with the team and every deadline",
        schema: intakeResponseSchema,
        headers: { Location: "/complaints/{id}" },
      },
      200: {
        description: "A replay of an earlier request (same Idempotency-Key and body): the same answer",
        schema: intakeResponseSchema,
        headers: { Location: "/complaints/{id}" },
      },
    },
    errors: ["MISSING_IDEMPOTENCY_KEY", "IDEMPOTENCY_KEY_REUSED"],
    examples: [
      {
        name: "card_fee",
        summary: "A mass-retail customer charged a card fee twice",
        headers: { "Idempotency-Key": "mobile-app-7f3c9a12" },
        body: {
          customer: { id: "C-1001", segment: "mass_retail", name: "Li Lei", phone: "+86 138 0013 8000" },
          businessType: "cards",
          cause: "fees_pricing",
          description: "The annual card fee was charged twice this month.",
          amountInDispute: { amount: "120.00", currency: "CNY" },
        },
      },
    ],
  },
  {
    method: "GET",
    path: "/complaints/{id}",
    handler: "getComplaint",
    auth: "channel",
    summary: "A complaint as its channel sees it, by id or reference",
    request: { params: lookupParams },
    responses: {
      200: {
        description: "The channel's view of the complaint",
        schema: complaintViewSchema,
        headers: ETAG_HEADER,
      },
    },
    errors: ["COMPLAINT_NOT_FOUND"],
    examples: [
      { name: "by_id", params: { id: EXAMPLE_ID } },
      { name: "by_reference", params: { id: EXAMPLE_REFERENCE } },
    ],
  },
  {
    method: "POST",
    path: "/complaints/{id}/customer-reply",
    handler: "customerReply",
    auth: "channel",
    summary: "The customer answers a request for information",
    request: { params: complaintParams, body: customerReplySchema, headers: decisionHeaders },
    responses: {
      200: {
        description: "The reply is recorded; the clocks resume",
        schema: complaintViewSchema,
        headers: ETAG_HEADER,
      },
    },
    errors: ["COMPLAINT_NOT_FOUND", "ACTION_NOT_ALLOWED", "TASK_BUSY", ...DECISION_ERRORS],
    examples: [
      {
        name: "statement",
        params: { id: EXAMPLE_ID },
        body: { message: "The statement for November is attached to the app message." },
      },
    ],
  },
  {
    method: "POST",
    path: "/complaints/{id}/feedback",
    handler: "feedback",
    auth: "channel",
    summary: "The customer rates the resolution and accepts or reopens it",
    request: { params: complaintParams, body: feedbackSchema, headers: decisionHeaders },
    responses: {
      200: {
        description: "Accepted (the complaint closes) or reopened (back to staff, one tier up)",
        schema: complaintViewSchema,
        headers: ETAG_HEADER,
      },
    },
    errors: ["COMPLAINT_NOT_FOUND", "ACTION_NOT_ALLOWED", "TASK_BUSY", ...DECISION_ERRORS],
    examples: [
      { name: "accept", params: { id: EXAMPLE_ID }, body: { satisfaction: 5, outcome: "accept" } },
      {
        name: "reopen",
        params: { id: EXAMPLE_ID },
        body: { satisfaction: 2, outcome: "reopen", comment: "Only half of the fee came back." },
      },
    ],
  },
  {
    method: "GET",
    path: "/queues/{team}",
    handler: "queue",
    auth: "staff",
    summary: "A team's open complaints, nearest deadline first",
    request: { params: z.object({ team: teamSchema }), query: queueQuerySchema },
    responses: { 200: { description: "One page of the queue", schema: queuePageSchema } },
    errors: ["FORBIDDEN_TEAM", "FORBIDDEN_ROLE", "INVALID_CURSOR"],
    examples: [
      { name: "first_page", params: { team: "cards" }, query: { limit: "10" } },
      { name: "breached", params: { team: "cards" }, query: { sla: "breached", stage: "in_progress" } },
    ],
  },
  {
    method: "GET",
    path: "/staff/complaints/{id}",
    handler: "staffGetComplaint",
    auth: "staff",
    summary: "A complaint with its audit trail, by id or by the reference the customer quotes",
    request: { params: lookupParams },
    responses: {
      200: {
        description: "The whole complaint and its audit trail",
        schema: staffViewSchema,
        headers: ETAG_HEADER,
      },
    },
    errors: ["COMPLAINT_NOT_FOUND", "FORBIDDEN_TEAM", "FORBIDDEN_ROLE"],
    examples: [
      { name: "by_id", params: { id: EXAMPLE_ID } },
      { name: "by_reference", params: { id: EXAMPLE_REFERENCE } },
    ],
  },
  {
    method: "POST",
    path: "/staff/complaints/{id}/actions",
    handler: "staffAction",
    auth: "staff",
    summary: "Act on a complaint: claim, note, request_info, resolve, reassign, escalate, extend, resume",
    request: { params: complaintParams, body: staffActionSchema, headers: decisionHeaders },
    responses: {
      200: {
        description:
          "The complaint after the action (unchanged when the action changed nothing; a replay of a key's first answer carries Idempotent-Replayed: true)",
        schema: staffViewSchema,
        headers: ETAG_HEADER,
      },
    },
    errors: [
      "COMPLAINT_NOT_FOUND",
      "FORBIDDEN_TEAM",
      "FORBIDDEN_ROLE",
      "ACTION_NOT_ALLOWED",
      "TASK_BUSY",
      ...DECISION_ERRORS,
      "ALREADY_CLAIMED",
      "SAME_TEAM",
      "UNKNOWN_TEAM",
      "ALREADY_TOP_TIER",
      "NO_REMEDIATION",
      "REMEDIATION_ALREADY_COMPLETED",
      "INVALID_STATUTORY_INPUT",
      "EXTENSION_NOT_APPLICABLE",
      "EXTENSION_APPROVAL_REQUIRED",
      "EXTENSION_LIMIT_EXCEEDED",
      "APPRAISAL_NOT_APPLICABLE",
      "APPRAISAL_ALREADY_OPEN",
      "NO_OPEN_APPRAISAL",
    ],
    examples: [
      {
        name: "claim",
        summary: "Conditional on the version the agent saw, and safe to retry",
        params: { id: EXAMPLE_ID },
        headers: { "If-Match": '"4"', "Idempotency-Key": "console-2f6c1e0a" },
        body: { type: "claim" },
      },
      {
        name: "request_info",
        params: { id: EXAMPLE_ID },
        body: { type: "request_info", question: "Please send the November statement." },
      },
      {
        name: "resolve",
        params: { id: EXAMPLE_ID },
        body: {
          type: "resolve",
          resolution: {
            outcome: "upheld",
            summary: "Duplicate fee refunded",
            remedy: { amount: "120.00", currency: "CNY" },
            rootCause: "system_defect",
          },
        },
      },
      {
        name: "reassign",
        params: { id: EXAMPLE_ID },
        body: { type: "reassign", team: "payments", reason: "The charge came from a payment switch" },
      },
      {
        name: "escalate",
        params: { id: EXAMPLE_ID },
        body: { type: "escalate", reason: "Customer threatens to go to the press" },
      },
      {
        name: "extend",
        params: { id: EXAMPLE_ID },
        body: { type: "extend", level: "cn_30", reason: "Waiting for the card scheme's chargeback answer" },
      },
    ],
  },
  {
    method: "GET",
    path: "/staff/complaints/{id}/audit/verify",
    handler: "verifyAudit",
    auth: "staff",
    summary: "Recompute the complaint's audit hash chain",
    request: { params: complaintParams },
    responses: { 200: { description: "Whether the chain is intact", schema: auditVerificationSchema } },
    errors: ["COMPLAINT_NOT_FOUND", "FORBIDDEN_TEAM", "FORBIDDEN_ROLE"],
    examples: [{ name: "by_id", params: { id: EXAMPLE_ID } }],
  },
  {
    method: "GET",
    path: "/reports/sla",
    handler: "reportsSla",
    auth: "staff",
    summary: "SLA performance over a range, grouped by team, segment, channel or priority (managers)",
    request: { query: slaReportQuerySchema },
    responses: { 200: { description: "SLA figures per group and in total", schema: slaReportSchema } },
    errors: ["FORBIDDEN_ROLE"],
    examples: [
      {
        name: "december",
        query: { from: "2026-12-01", to: "2027-01-01", timeZone: "Asia/Shanghai", groupBy: "team" },
      },
    ],
  },
  {
    method: "GET",
    path: "/reports/regulatory",
    handler: "reportsRegulatory",
    auth: "staff",
    summary: "A period's complaint statistics by JR/T 0169 axes, as CSV or JSON (managers)",
    request: { query: regulatoryReportQuerySchema },
    responses: {
      200: {
        description:
          "The period's statistics: JSON, or a CSV download with format=csv (the same rows, UTF-8 with a BOM)",
        schema: regulatoryReportSchema,
        contentTypes: ["application/json", "text/csv"],
      },
    },
    errors: ["FORBIDDEN_ROLE"],
    examples: [
      { name: "quarter_json", query: { period: "2026-Q4" } },
      { name: "month_csv", query: { period: "2026-12", format: "csv" } },
    ],
  },
  {
    method: "GET",
    path: "/complaints/{id}/notices",
    handler: "listNotices",
    auth: "channel",
    summary: "The notices sent to the customer about a complaint, in order (owning channel)",
    request: { params: complaintParams },
    responses: {
      200: {
        description: "Every notice: kind, locale, the statutory deadline it satisfies, and its text",
        schema: noticeListSchema,
      },
    },
    errors: ["COMPLAINT_NOT_FOUND"],
    examples: [{ name: "by_id", params: { id: EXAMPLE_ID } }],
  },
  {
    method: "GET",
    path: "/staff/complaints/{id}/notices",
    handler: "listNotices",
    auth: "staff",
    summary: "The notices sent to the customer about a complaint, in order (staff of its team, managers)",
    request: { params: complaintParams },
    responses: {
      200: {
        description: "Every notice: kind, locale, the statutory deadline it satisfies, and its text",
        schema: noticeListSchema,
      },
    },
    errors: ["COMPLAINT_NOT_FOUND", "FORBIDDEN_TEAM", "FORBIDDEN_ROLE"],
    examples: [{ name: "by_id", params: { id: EXAMPLE_ID } }],
  },
  {
    method: "GET",
    path: "/teams",
    handler: "teams",
    auth: "staff",
    summary: "The teams complaints are routed to, and which of them the caller belongs to (staff)",
    request: { query: teamsQuerySchema },
    responses: { 200: { description: "Every team, sorted by name", schema: teamsSchema } },
    errors: ["FORBIDDEN_ROLE"],
    examples: [{ name: "all" }],
  },
  {
    method: "GET",
    path: "/customers/{id}/complaints",
    handler: "customerHistory",
    auth: "staff",
    summary: "A customer's complaints, newest first, with outcomes, satisfaction and repeat links (staff)",
    request: { params: z.object({ id: customerIdSchema }), query: customerHistoryQuerySchema },
    responses: { 200: { description: "One page of the customer's history", schema: customerHistorySchema } },
    errors: ["FORBIDDEN_ROLE", "INVALID_CURSOR"],
    examples: [{ name: "first_page", params: { id: "C-1001" }, query: { limit: "10" } }],
  },
  {
    method: "GET",
    path: "/reports/root-causes",
    handler: "reportsRootCauses",
    auth: "staff",
    summary:
      "Root causes ranked by business type, branch and segment, with trend and past-due remediation (managers)",
    request: { query: rootCauseReportQuerySchema },
    responses: {
      200: {
        description: "Ranked root causes against the previous period of the same length",
        schema: rootCauseReportSchema,
      },
    },
    errors: ["FORBIDDEN_ROLE"],
    examples: [
      { name: "december", query: { from: "2026-12-01", to: "2027-01-01", timeZone: "Asia/Shanghai" } },
    ],
  },
  {
    method: "GET",
    path: "/reports/fca-return",
    handler: "reportsFcaReturn",
    auth: "staff",
    summary:
      "The FCA complaints return of a half-year (DISP 1.10, DISP 1 Annex 1 product groupings), CSV or JSON (managers)",
    request: { query: fcaReturnQuerySchema },
    responses: {
      200: {
        description:
          "Opened, closed, closed in 3 business days and in 8 weeks, upheld share, redress, per grouping",
        schema: fcaReturnSchema,
        contentTypes: ["application/json", "text/csv"],
      },
    },
    errors: ["FORBIDDEN_ROLE", "PERIOD_IN_FUTURE"],
    examples: [
      { name: "second_half_json", query: { period: "2026-H2" } },
      { name: "first_half_csv", query: { period: "2026-H1", format: "csv" } },
    ],
  },
  {
    method: "GET",
    path: "/reports/annual-disclosure",
    handler: "reportsAnnualDisclosure",
    auth: "staff",
    summary:
      "The CN annual public disclosure of a year: volume, business categories, regional distribution, CSV or JSON (managers)",
    request: { query: annualDisclosureQuerySchema },
    responses: {
      200: {
        description: "The year's CN complaints by JR/T 0169 business type and by region",
        schema: annualDisclosureSchema,
        contentTypes: ["application/json", "text/csv"],
      },
    },
    errors: ["FORBIDDEN_ROLE", "PERIOD_IN_FUTURE"],
    examples: [
      { name: "year_json", query: { year: "2026" } },
      { name: "year_csv", query: { year: "2026", format: "csv" } },
    ],
  },
  {
    method: "GET",
    path: "/calendars",
    handler: "calendarsGet",
    auth: "staff",
    request: { query: calendarsQuerySchema },
    summary:
      "Every business calendar: its years (confirmed or provisional, shipped or loaded), horizon, loads and recompute jobs (managers)",
    responses: { 200: { description: "The calendars in force", schema: calendarsViewSchema } },
    errors: ["FORBIDDEN_ROLE"],
    examples: [{ name: "all" }],
  },
  {
    method: "PUT",
    path: "/calendars/{id}/years/{year}",
    handler: "calendarsPut",
    auth: "staff",
    summary:
      "Load a year's official holiday list as confirmed (managers); the open complaints on the calendar are recomputed by a job that follows",
    request: { params: calendarYearParams, body: calendarLoadSchema },
    responses: {
      200: {
        description:
          "The calendar with the year in force, the load record and the recompute job (`changed: false` and no job when the year was already exactly so)",
        schema: calendarLoadResultSchema,
      },
    },
    errors: ["FORBIDDEN_ROLE", "CALENDAR_NOT_FOUND", "TASK_BUSY"],
    examples: [
      {
        name: "cn_2027",
        summary: "The State Council's notice for 2027 (a shortened example: send every day of the notice)",
        params: { id: "CN", year: "2027" },
        body: {
          source: "国务院办公厅关于2027年部分节假日安排的通知 (https://www.gov.cn/)",
          holidays: [{ date: "2027-01-01", name: "元旦" }],
          workdays: [],
        },
      },
    ],
  },
  uploadRoute("channel", "/complaints/{id}/attachments"),
  uploadRoute("staff", "/staff/complaints/{id}/attachments"),
  listRoute("channel", "/complaints/{id}/attachments"),
  listRoute("staff", "/staff/complaints/{id}/attachments"),
  downloadRoute("channel", "/complaints/{id}/attachments/{attachmentId}"),
  downloadRoute("staff", "/staff/complaints/{id}/attachments/{attachmentId}"),
];
