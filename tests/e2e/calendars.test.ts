import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHIPPED_YEARS } from "../../functions/domain/calendar";
import { complaintBody, type Harness, startHarness } from "./harness";

// Monday 21 December 2026, 10:00 in Shanghai, at real speed: a CN complaint's 15 days end in January 2027,
// a year the CN calendar has only provisionally (the State Council's notice is not out).
const MONDAY = new Date("2026-12-21T10:00:00+08:00");
let h: Harness;
let db: DynamoDBDocumentClient;
beforeAll(async () => {
  h = await startHarness({ startAt: MONDAY, timeScale: 1 });
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: h.stack.dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  // A fresh table has no statutory rules version: the first scheduled run adopts the code's rules with a
  // recompute job over every calendar. Let it finish first, so it cannot race the loads below.
  const manager = await h.managerToken();
  await h.waitFor(
    () => h.staff("GET", "/calendars", manager),
    (r) =>
      r.body.jobs?.some((j: { reason: string }) => j.reason === "rules_corrected") &&
      r.body.jobs.every((j: { status: string }) => j.status !== "pending"),
    30_000,
  );
});
afterAll(async () => {
  db?.destroy();
  await h?.stop();
});

const metaOf = async (id: string) =>
  (
    await db.send(
      new GetCommand({ TableName: h.stack.tableName, Key: { pk: `COMPLAINT#${id}`, sk: "META" } }),
    )
  ).Item as { taskToken?: string; complaint: Record<string, unknown> } & Record<string, unknown>;

/** The shipped (provisional, from the holiday law) CN 2027 list, as a body to PUT. */
const shippedCn2027 = () => {
  const year = SHIPPED_YEARS.find((y) => y.calendar === "CN" && y.year === 2027);
  if (!year) throw new Error("CN 2027 is not shipped");
  expect(year.status).toBe("provisional");
  return { holidays: [...year.holidays], workdays: [...year.workdays] };
};

const opened = async (overrides: Record<string, unknown> = {}) => {
  const { status, body } = await h.submit("mobile_app", complaintBody(overrides));
  expect(status).toBe(201);
  const manager = await h.managerToken();
  // Taken up by its workflow (waiting in the staff stage, its timer armed).
  await h.waitFor(
    () => h.staff("GET", `/staff/complaints/${body.id}`, manager),
    (r) => r.body.status === "in_progress",
  );
  await h.waitFor(
    () => metaOf(body.id),
    (m) => typeof m?.taskToken === "string",
  );
  return body as {
    id: string;
    deadlines: { resolveBy: string; statutory: { rule: string; dueBy: string }[] };
  };
};

describe("calendars an operator loads", () => {
  it("lists every calendar with its years, where they came from, and how far ahead it is confirmed", async () => {
    const res = await h.staff("GET", "/calendars", await h.managerToken());
    expect(res.status).toBe(200);
    const ids = res.body.calendars.map((c: { id: string }) => c.id);
    expect(ids).toEqual(["CN", "GB-EAW", "GB-SCT", "GB-NIR", "US", "EU"]);
    const cn = res.body.calendars.find((c: { id: string }) => c.id === "CN");
    expect(cn.timeZone).toBe("Asia/Shanghai");
    // CN 2027 is provisional: the confirmed run ends with 2026, ten days after 21 December.
    expect(cn.confirmedThrough).toBe("2026-12-31");
    expect(cn.horizonDays).toBe(10);
    expect(cn.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({
      status: "provisional",
      origin: "shipped",
    });
    const gb = res.body.calendars.find((c: { id: string }) => c.id === "GB-EAW");
    expect(gb.aliases).toEqual(["GB"]);
    expect(gb.confirmedThrough).toBe("2027-12-31");
    expect(res.body.loads).toEqual([]);
  });

  it("is for managers: an agent or a supervisor gets 403, and no token 401", async () => {
    for (const role of ["agent", "supervisor"] as const) {
      const token = await h.staffToken(["cards"], role);
      const read = await h.staff("GET", "/calendars", token);
      expect(read.status).toBe(403);
      expect(read.body.error.code).toBe("FORBIDDEN_ROLE");
      const write = await h.staff("PUT", "/calendars/CN/years/2027", token, {
        source: "x",
        ...shippedCn2027(),
      });
      expect(write.status).toBe(403);
    }
    expect((await h.request("GET", "/calendars")).status).toBe(401);
  });

  it("refuses a bad year with the field at fault, and stores nothing", async () => {
    const manager = await h.managerToken();
    const good = { source: "a test list", ...shippedCn2027() };
    const cases: [string, unknown, number, string, string?][] = [
      ["/calendars/CN/years/1999", good, 400, "VALIDATION_FAILED", "path.year"],
      ["/calendars/CN/years/27", good, 400, "VALIDATION_FAILED", "path.year"],
      ["/calendars/XX/years/2027", good, 404, "CALENDAR_NOT_FOUND"],
      [
        "/calendars/CN/years/2027",
        { ...good, holidays: [{ date: "2026-10-01", name: "国庆节" }] },
        400,
        "VALIDATION_FAILED",
        "holidays.0.date",
      ],
      [
        "/calendars/CN/years/2027",
        {
          ...good,
          holidays: [{ date: "2027-02-06", name: "春节" }],
          workdays: [{ date: "2027-02-06", name: "x" }],
        },
        400,
        "VALIDATION_FAILED",
        "workdays.0.date",
      ],
      // Tuesday 5 January 2027 is a weekday: a make-up working day is always a weekend day.
      [
        "/calendars/CN/years/2027",
        { ...good, workdays: [{ date: "2027-01-05", name: "调休" }] },
        400,
        "VALIDATION_FAILED",
        "workdays.0.date",
      ],
      ["/calendars/CN/years/2027", { ...good, source: "" }, 400, "VALIDATION_FAILED", "source"],
      ["/calendars/CN/years/2027", { ...good, extra: 1 }, 400, "VALIDATION_FAILED"],
    ];
    for (const [path, body, status, code, field] of cases) {
      const res = await h.staff("PUT", path, manager, body);
      expect(res.status, path).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (field) {
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
      }
    }
    const after = await h.staff("GET", "/calendars", manager);
    expect(after.body.loads).toEqual([]);
    expect(after.body.jobs.filter((j: { reason: string }) => j.reason === "calendar_loaded")).toEqual([]);
  });

  it("loads a year: an open complaint's deadlines move, with an audit event, a corrected notice and a re-armed timer", async () => {
    const c = await opened();
    // 15 days from the day after acceptance: Tue 5 Jan 2027 (provisional). Ten working days: Tue 5 Jan 17:30.
    const cnDecision = (d: typeof c.deadlines) => d.statutory.find((s) => s.rule === "cn_decision")?.dueBy;
    expect(cnDecision(c.deadlines)).toBe("2027-01-05T23:59:59.999+08:00");
    expect(c.deadlines.resolveBy).toBe("2027-01-05T17:30:00+08:00");
    const tokenBefore = (await metaOf(c.id)).taskToken;

    // The test's "notice": the provisional list, with Tuesday 5 January closed as well. Test data, not a
    // claim about 2027's real notice.
    const year = shippedCn2027();
    const body = {
      source: "e2e test: the shipped provisional CN 2027 list, with 2027-01-05 closed",
      holidays: [...year.holidays, { date: "2027-01-05", name: "test closure" }],
      workdays: year.workdays,
    };
    const manager = await h.staffToken(["cards"], "manager", "mgr-calendar");
    const put = await h.staff("PUT", "/calendars/CN/years/2027", manager, body);
    expect(put.status).toBe(200);
    expect(put.body.changed).toBe(true);
    expect(put.body.load).toMatchObject({
      calendar: "CN",
      year: 2027,
      by: { subject: "mgr-calendar", role: "manager" },
      source: body.source,
      replaced: { status: "provisional", origin: "shipped" },
      holidays: body.holidays.length,
    });
    expect(put.body.job).toMatchObject({ reason: "calendar_loaded", calendars: ["CN"], status: "pending" });
    expect(put.body.calendar.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({
      status: "confirmed",
      origin: "loaded",
      loadedBy: "mgr-calendar",
    });
    expect(put.body.calendar.confirmedThrough).toBe("2027-12-31");

    // The same year again changes nothing: no second load, no second job.
    const again = await h.staff("PUT", "/calendars/CN/years/2027", manager, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, load: null, job: null });

    // The job runs once every container has seen the year (a couple of seconds here) and moves the dates.
    const view = await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${c.id}`, manager),
      (r) =>
        r.body.audit.some(
          (e: { type: string; data?: { reason?: string } }) =>
            e.type === "DeadlinesRecomputed" && e.data?.reason === "calendar_loaded",
        ),
      20_000,
    );
    expect(cnDecision(view.body.deadlines)).toBe("2027-01-06T23:59:59.999+08:00");
    expect(view.body.deadlines.resolveBy).toBe("2027-01-06T17:30:00+08:00");
    expect(view.body.deadlines.provisional).toBe(false);
    const recomputed = view.body.audit.find(
      (e: { type: string; data?: { reason?: string } }) =>
        e.type === "DeadlinesRecomputed" && e.data?.reason === "calendar_loaded",
    );
    expect(recomputed.actor).toMatchObject({ kind: "system" });
    expect(recomputed.data).toMatchObject({
      reason: "calendar_loaded",
      toldToCustomer: true,
      provisional: false,
    });
    expect(recomputed.data.changes).toEqual(
      expect.arrayContaining([
        { deadline: "resolveBy", from: "2027-01-05T09:30:00.000Z", to: "2027-01-06T09:30:00.000Z" },
        { deadline: "cn_decision", from: "2027-01-05T15:59:59.999Z", to: "2027-01-06T15:59:59.999Z" },
      ]),
    );

    // The customer was told the old dates in the acknowledgement: a correction follows.
    const notices = await h.waitFor(
      () =>
        h.request("GET", `/complaints/${c.id}/notices`, { headers: { "x-api-key": h.apiKey("mobile_app") } }),
      (r) => (r.body.notices ?? []).some((n: { kind: string }) => n.kind === "deadline_correction"),
    );
    const correction = notices.body.notices.find((n: { kind: string }) => n.kind === "deadline_correction");
    expect(correction.content.body).toContain("2027-01-06");

    // The waiting stage was resumed and re-registered: its timer follows the new deadlines.
    await h.waitFor(
      () => metaOf(c.id),
      (m) => typeof m.taskToken === "string" && m.taskToken !== tokenBefore,
    );

    const listed = await h.staff("GET", "/calendars", manager);
    expect(listed.body.loads[0]).toMatchObject({
      calendar: "CN",
      year: 2027,
      by: { subject: "mgr-calendar" },
    });
    const job = await h.waitFor(
      () => h.staff("GET", "/calendars", manager),
      (r) => r.body.jobs.find((j: { jobId: string }) => j.jobId === put.body.job.jobId)?.status === "done",
    );
    expect(job.body.jobs.find((j: { jobId: string }) => j.jobId === put.body.job.jobId).counts).toMatchObject(
      {
        changed: 1,
        failed: 0,
      },
    );
  });

  it("recomputes open complaints once when a deploy brings newer statutory rules", async () => {
    const manager = await h.managerToken();
    const c = await opened({ customer: { id: "C-RULES", segment: "mass_retail", name: "Han Mei" } });
    // Stored as older rules left it: a CN clock that stopped while the customer was asked, 20 days later
    // than the law allows, computed before 1 December's rules.
    const meta = await metaOf(c.id);
    const complaint = meta.complaint as { sla: { statutory: { rule: string; dueBy: string }[] } };
    const correct = complaint.sla.statutory[0]!.dueBy;
    const wrong = new Date(Date.parse(correct) + 20 * 86_400_000).toISOString();
    await db.send(
      new UpdateCommand({
        TableName: h.stack.tableName,
        Key: { pk: `COMPLAINT#${c.id}`, sk: "META" },
        UpdateExpression: "SET #c.#sla.#st[0].#due = :wrong",
        ExpressionAttributeNames: { "#c": "complaint", "#sla": "sla", "#st": "statutory", "#due": "dueBy" },
        ExpressionAttributeValues: { ":wrong": wrong },
      }),
    );
    await db.send(
      new PutCommand({
        TableName: h.stack.tableName,
        Item: {
          pk: "CALENDARS",
          sk: "RULES",
          kind: "statutoryRules",
          version: "2026-06-01",
          at: "2026-06-01",
        },
      }),
    );
    // The scheduled run after the deploy adopts the code's rules with a job over every calendar.
    await h.stack.calendarJobs();
    const view = await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${c.id}`, manager),
      (r) =>
        r.body.audit.some(
          (e: { type: string; data?: { reason?: string } }) =>
            e.type === "DeadlinesRecomputed" && e.data?.reason === "rules_corrected",
        ),
      20_000,
    );
    const event = view.body.audit.find(
      (e: { type: string; data?: { reason?: string } }) =>
        e.type === "DeadlinesRecomputed" && e.data?.reason === "rules_corrected",
    );
    expect(event.data.detail).toMatch(/^statutory rules \d{4}-\d{2}-\d{2}$/);
    expect(event.data.changes).toContainEqual({ deadline: "cn_decision", from: wrong, to: correct });
    const jobs = (await h.staff("GET", "/calendars", manager)).body.jobs;
    expect(jobs.some((j: { reason: string }) => j.reason === "rules_corrected")).toBe(true);
  });
});

describe("where a complaint is handled, and when it was received", () => {
  const gb = (overrides: Record<string, unknown>) =>
    complaintBody({ jurisdiction: "GB", businessType: "loans", ...overrides });

  it("runs a Scottish complaint on Scotland's bank holidays", async () => {
    const { status, body } = await h.submit("online_banking", gb({ region: "GB-SCT" }));
    expect(status).toBe(201);
    expect(body.deadlines.calendar).toBe("GB-SCT");
    const read = await h.request("GET", `/complaints/${body.id}`, {
      headers: { "x-api-key": h.apiKey("online_banking") },
    });
    expect(read.body.region).toBe("GB-SCT");
    const wales = await h.submit("online_banking", gb({ region: "GB-WLS" }));
    expect(wales.body.deadlines.calendar).toBe("GB-EAW");
  });

  it("refuses a region of another country or none at all, naming the field", async () => {
    for (const region of ["CN-BJ", "GB-ZZZ", "Scotland"]) {
      const res = await h.submit("online_banking", gb({ region }));
      expect(res.status, region).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("region");
    }
  });

  it("starts every clock at the receipt a branch records, and keeps both instants", async () => {
    // Taken on paper at a branch on Friday 18 December, keyed in on Monday.
    const receivedAt = "2026-12-18T15:00:00+08:00";
    const { status, body } = await h.submit("branch", complaintBody({ receivedAt }));
    expect(status).toBe(201);
    const read = await h.request("GET", `/complaints/${body.id}`, {
      headers: { "x-api-key": h.apiKey("branch") },
    });
    expect(read.body.receivedAt).toBe("2026-12-18T07:00:00.000Z");
    expect(Date.parse(read.body.recordedAt)).toBeGreaterThanOrEqual(MONDAY.getTime());
    // 15 days from Saturday 19 December: Saturday 2 January 2027, rolled past the New Year holiday
    // (provisional year) and the weekend to Monday 4 January.
    expect(body.deadlines.statutory.find((s: { rule: string }) => s.rule === "cn_decision").dueBy).toBe(
      "2027-01-04T23:59:59.999+08:00",
    );
  });

  it("refuses a receipt in the future or more than 30 days back", async () => {
    for (const receivedAt of ["2026-12-22T10:00:00+08:00", "2026-11-01T10:00:00+08:00"]) {
      const res = await h.submit("branch", complaintBody({ receivedAt }));
      expect(res.status, receivedAt).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("receivedAt");
    }
  });
});
