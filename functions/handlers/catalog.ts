/**
 * Every Lambda handler, once: CDK bundles each entry as its own function, the embedded target imports
 * the same modules in-process. Adding a handler here is the whole registration.
 */
export const HANDLERS = {
  intake: {
    entry: "functions/handlers/intake.ts",
    description: "POST /complaints: validate, route, plan, store, start",
  },
  getComplaint: {
    entry: "functions/handlers/get-complaint.ts",
    description: "GET /complaints/{id}: the channel's view",
  },
  staffAction: {
    entry: "functions/handlers/staff-action.ts",
    description: "POST /staff/complaints/{id}/actions: a staff decision, sent as a task callback",
  },
  staffGetComplaint: {
    entry: "functions/handlers/staff-get-complaint.ts",
    description: "GET /staff/complaints/{id}: the staff view with the audit trail",
  },
  queue: {
    entry: "functions/handlers/queue.ts",
    description: "GET /queues/{team}: open complaints by due time",
  },
  customerReply: {
    entry: "functions/handlers/customer-reply.ts",
    description: "POST /complaints/{id}/customer-reply: the customer answers a request for information",
  },
  feedback: {
    entry: "functions/handlers/feedback.ts",
    description: "POST /complaints/{id}/feedback: satisfaction, accept or reopen",
  },
  verifyAudit: {
    entry: "functions/handlers/verify-audit.ts",
    description: "GET /staff/complaints/{id}/audit/verify: recompute the audit hash chain",
  },
  startHandling: {
    entry: "functions/handlers/workflow/start-handling.ts",
    description: "Workflow: start handling",
  },
  registerTask: {
    entry: "functions/handlers/workflow/register-task.ts",
    description: "Workflow: store the task token of a callback stage",
  },
  checkSlaClock: {
    entry: "functions/handlers/workflow/check-sla-clock.ts",
    description: "Workflow: SLA checkpoint",
  },
  closeComplaint: { entry: "functions/handlers/workflow/close-complaint.ts", description: "Workflow: close" },
  markNeedsAttention: {
    entry: "functions/handlers/workflow/mark-needs-attention.ts",
    description: "Workflow: flag a complaint whose step failed",
  },
  reconcile: {
    entry: "functions/handlers/reconcile.ts",
    description:
      "Scheduled: start the workflow of complaints still 'received' a minute on (the stream's safety net)",
  },
  streamWorkflows: {
    entry: "functions/handlers/stream/start-workflows.ts",
    description: "Stream: start the workflow of each received or resumed complaint",
  },
  streamBus: {
    entry: "functions/handlers/stream/publish-to-bus.ts",
    description: "Stream: integration events and customer notices onto the event bus",
  },
  streamAlerts: {
    entry: "functions/handlers/stream/notify-managers.ts",
    description: "Stream: manager notices to the alerts topic",
  },
  streamMetrics: {
    entry: "functions/handlers/stream/record-metrics.ts",
    description: "Stream: SLA metrics as CloudWatch EMF lines",
  },
  reportsSla: {
    entry: "functions/handlers/reports-sla.ts",
    description: "GET /reports/sla: SLA figures from the month index (managers)",
  },
  reportsRegulatory: {
    entry: "functions/handlers/reports-regulatory.ts",
    description: "GET /reports/regulatory: regulator-ready statistics, CSV or JSON (managers)",
  },
  listNotices: {
    entry: "functions/handlers/list-notices.ts",
    description:
      "GET /complaints/{id}/notices (owning channel) and /staff/complaints/{id}/notices (team): notices sent",
  },
  teams: {
    entry: "functions/handlers/teams.ts",
    description: "GET /teams: the teams complaints are routed to, and the caller's (staff)",
  },
  customerHistory: {
    entry: "functions/handlers/customer-history.ts",
    description: "GET /customers/{id}/complaints: a customer's complaints from the customer index (staff)",
  },
  reportsRootCauses: {
    entry: "functions/handlers/reports-root-causes.ts",
    description: "GET /reports/root-causes: root causes ranked with trend, past-due remediation (managers)",
  },
  calendarsGet: {
    entry: "functions/handlers/calendars-get.ts",
    description:
      "GET /calendars: every calendar's years, origin and horizon; recent loads and jobs (managers)",
  },
  calendarsPut: {
    entry: "functions/handlers/calendars-put.ts",
    description: "PUT /calendars/{id}/years/{year}: load a year's official list (managers), audited",
  },
  calendarJobs: {
    entry: "functions/handlers/calendar-jobs.ts",
    description:
      "Scheduled: adopt new statutory rules; recompute open complaints' deadlines after a calendar load",
  },
  calendarHorizon: {
    entry: "functions/handlers/calendar-horizon.ts",
    description: "Scheduled daily: CalendarHorizonDays per calendar",
  },
  attachmentsUpload: {
    entry: "functions/handlers/attachments-upload.ts",
    description:
      "POST /complaints/{id}/attachments (channel and staff): record a file, answer a presigned PUT",
  },
  attachmentsList: {
    entry: "functions/handlers/attachments-list.ts",
    description: "GET /complaints/{id}/attachments (channel and staff): the complaint's files, no URLs",
  },
  attachmentsDownload: {
    entry: "functions/handlers/attachments-download.ts",
    description: "GET /complaints/{id}/attachments/{attachmentId} (channel and staff): audited presigned GET",
  },
  attachmentsCheck: {
    entry: "functions/handlers/attachments-check.ts",
    description: "S3 Object Created: check an uploaded file's type, length and SHA-256",
  },
  attachmentsMalwareVerdict: {
    entry: "functions/handlers/attachments-malware-verdict.ts",
    description: "GuardDuty Malware Protection scan result: record the malware verdict on a file",
  },
  streamRetention: {
    entry: "functions/handlers/stream/attachment-retention.ts",
    description: "Stream: lock available files, extend the locks at closure, delete rejected files",
  },
  reportsFcaReturn: {
    entry: "functions/handlers/reports-fca-return.ts",
    description: "GET /reports/fca-return: the FCA complaints return of a half-year, CSV or JSON (managers)",
  },
  reportsAnnualDisclosure: {
    entry: "functions/handlers/reports-annual-disclosure.ts",
    description: "GET /reports/annual-disclosure: the CN annual public disclosure, CSV or JSON (managers)",
  },
  streamReports: {
    entry: "functions/handlers/stream/maintain-reports.ts",
    description: "Stream: each change's report facts into the report aggregates (idempotent per event)",
  },
  streamAnalytics: {
    entry: "functions/handlers/stream/project-for-analytics.ts",
    description: "Stream: each change's row (no personal data) into the analysts' projection in S3",
  },
  reportsRebuild: {
    entry: "functions/handlers/reports-rebuild.ts",
    description: "Invoked: recompute the report aggregates of a range from the audit trail",
  },
} as const;
export type HandlerId = keyof typeof HANDLERS;

/**
 * The consumers of the table's change stream (the outbox), each with the filter it takes records through
 * (`STREAM_FILTERS` in the DynamoDB adapter) — one destination, one SDK client, each.
 */
export const STREAM_CONSUMERS = {
  streamWorkflows: "workflow",
  streamBus: "bus",
  streamAlerts: "alerts",
  streamMetrics: "metrics",
  streamRetention: "evidence",
  streamReports: "reports",
  streamAnalytics: "reports",
} as const satisfies Partial<Record<HandlerId, string>>;
export type StreamConsumerId = keyof typeof STREAM_CONSUMERS;

/** The handlers the state machine invokes (the rest sit behind the API, a schedule or the stream). */
export const WORKFLOW_HANDLERS = [
  "startHandling",
  "registerTask",
  "checkSlaClock",
  "closeComplaint",
  "markNeedsAttention",
] as const satisfies readonly HandlerId[];
