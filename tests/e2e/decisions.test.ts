import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, newKey, startHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A complaint in the staff stage, read as the staff view (with its ETag). */
const waiting = async (customerId: string) => {
  const { status, body } = await h.submit(
    "mobile_app",
    complaintBody({ customer: { id: customerId, segment: "mass_retail" } }),
  );
  expect(status).toBe(201);
  const supervisor = await h.staffToken(["cards"], "supervisor");
  const view = await h.waitFor(
    () => h.staff("GET", `/staff/complaints/${body.id}`, supervisor),
    (r) => r.body.status === "in_progress",
  );
  return { id: body.id as string, view };
};

/** A staff action with the headers a client sends. */
const act = (token: string, id: string, action: unknown, headers: Record<string, string> = {}) =>
  h.request("POST", `/staff/complaints/${id}/actions`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: action,
  });

const auditOf = async (id: string) =>
  (await h.staff("GET", `/staff/complaints/${id}`, await h.managerToken())).body.audit as { type: string }[];

describe("conditional staff actions (If-Match)", () => {
  it("tags every view with its version, and refuses an action decided on another one with 412", async () => {
    const { id, view } = await waiting("C-ETAG");
    expect(view.headers.get("etag")).toBe(`"${view.body.version}"`);
    const channelView = await h.request("GET", `/complaints/${id}`, {
      headers: { "x-api-key": h.apiKey("mobile_app") },
    });
    expect(channelView.headers.get("etag")).toBe(`"${view.body.version}"`);
    expect(channelView.body.version).toBe(view.body.version);

    const agent = await h.staffToken(["cards"], "agent", "agent-etag");
    const stale = await act(
      agent,
      id,
      { type: "note", note: "n" },
      { "if-match": `"${view.body.version - 1}"` },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({
      code: "PRECONDITION_FAILED",
      details: { version: view.body.version, status: "in_progress" },
    });
    expect(stale.body.error.details.allowedActions).toContain("claim");
    expect(stale.headers.get("etag")).toBe(`"${view.body.version}"`);
    expect((await auditOf(id)).filter((e) => e.type === "NoteAdded")).toEqual([]);

    const fresh = await act(agent, id, { type: "claim" }, { "if-match": view.headers.get("etag") as string });
    expect(fresh.status).toBe(200);
    expect(fresh.body.assignee).toBe("agent-etag");
    expect(fresh.headers.get("etag")).toBe(`"${view.body.version + 1}"`);
    // The version the claim was decided on is gone now: the same precondition again is a 412.
    const again = await act(agent, id, { type: "note", note: "n" }, { "if-match": `"${view.body.version}"` });
    expect(again.status).toBe(412);
  });

  it("refuses an If-Match that is no ETag of ours, naming the header", async () => {
    const { id } = await waiting("C-ETAG-BAD");
    const agent = await h.staffToken(["cards"], "agent");
    for (const value of ["7", '"seven"', 'W/"x"']) {
      const res = await act(agent, id, { type: "claim" }, { "if-match": value });
      expect(res.status, value).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: "header.If-Match" })]);
    }
  });
});

describe("idempotent decisions (Idempotency-Key)", () => {
  it("answers a retried escalation with the first answer and raises the tier once", async () => {
    const { id, view } = await waiting("C-IDEM");
    const agent = await h.staffToken(["cards"], "agent", "agent-idem");
    const key = newKey();
    const headers = { "idempotency-key": key, "if-match": view.headers.get("etag") as string };
    const escalate = { type: "escalate", reason: "The customer wrote to the regulator" };
    const first = await act(agent, id, escalate, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.tier).toBe(1);
    // The answer was lost; the client sends the very same request again (its If-Match is stale by now).
    const retry = await act(agent, id, escalate, headers);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("etag")).toBe(first.headers.get("etag"));
    expect((await auditOf(id)).filter((e) => e.type === "Escalated")).toHaveLength(1);

    // Another body under the same key is a mistake, not a retry.
    const other = await act(agent, id, { type: "note", note: "something else" }, { "idempotency-key": key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // The key is the caller's own: a colleague's request under the same key is a request of its own.
    const colleague = await h.staffToken(["cards"], "supervisor", "sup-idem");
    const theirs = await act(colleague, id, { type: "note", note: "mine" }, { "idempotency-key": key });
    expect(theirs.status).toBe(200);
  });

  it("keeps the answer of a decision that changed nothing, too", async () => {
    const { id } = await waiting("C-IDEM-NOOP");
    const agent = await h.staffToken(["cards"], "agent", "agent-noop");
    expect((await act(agent, id, { type: "claim" })).status).toBe(200);
    const key = newKey();
    const again = await act(agent, id, { type: "claim" }, { "idempotency-key": key });
    expect(again.status).toBe(200);
    const replay = await act(agent, id, { type: "claim" }, { "idempotency-key": key });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(again.body);
  });

  it("takes the customer's reply once under its key", async () => {
    const { id } = await waiting("C-IDEM-REPLY");
    const agent = await h.staffToken(["cards"], "agent", "agent-reply");
    const asked = await h.waitFor(
      () => act(agent, id, { type: "request_info", question: "Which card?" }),
      (r) => r.status !== 409 || r.body.error.code !== "TASK_BUSY",
    );
    expect(asked.status).toBe(200);
    const key = newKey();
    const reply = () =>
      h.request("POST", `/complaints/${id}/customer-reply`, {
        headers: { "x-api-key": h.apiKey("mobile_app"), "idempotency-key": key },
        body: { message: "The gold card" },
      });
    const first = await h.waitFor(reply, (r) => r.status !== 409 || r.body.error.code !== "TASK_BUSY");
    expect(first.status).toBe(200);
    const second = await reply();
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect((await auditOf(id)).filter((e) => e.type === "CustomerReplied")).toHaveLength(1);
  });
});

describe("a decision that loses a race", () => {
  it("is never re-applied to the state the winner made: four escalations at once raise one tier", async () => {
    // Four supervisors looking at the same view (its ETag) escalate at once, as the console sends it.
    // (Without If-Match a request is decided on the version it first reads: one that arrives after the
    // winner's write has seen the new tier, and is applied to it — so the race is stated on one version.)
    const { id, view: seen } = await waiting("C-RACE");
    const supervisors = await Promise.all(
      ["s-1", "s-2", "s-3", "s-4"].map((s) => h.staffToken(["cards"], "supervisor", s)),
    );
    const etag = seen.headers.get("etag") as string;
    const answers = await Promise.all(
      supervisors.map((t) =>
        act(t, id, { type: "escalate", reason: "Threatens to go to the press" }, { "if-match": etag }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    for (const lost of answers.filter((r) => r.status !== 200)) {
      expect([
        [412, "PRECONDITION_FAILED"],
        [409, "COMPLAINT_CHANGED"],
        [409, "TASK_BUSY"],
      ]).toContainEqual([lost.status, lost.body.error.code]);
      expect(lost.body.error.details.status).toBeDefined();
    }
    const view = await h.staff("GET", `/staff/complaints/${id}`, await h.managerToken());
    expect(view.body.tier).toBe(1);
    expect(view.body.audit.filter((e: { type: string }) => e.type === "Escalated")).toHaveLength(1);
  });
});

describe("claims", () => {
  it("gives a complaint to one of three agents claiming at once; the others are told who holds it", async () => {
    const { id } = await waiting("C-CLAIMS");
    const agents = await Promise.all(["a-1", "a-2", "a-3"].map((s) => h.staffToken(["cards"], "agent", s)));
    const answers = await Promise.all(agents.map((t) => act(t, id, { type: "claim" })));
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of answers.filter((r) => r.status !== 200)) {
      expect(lost.status).toBe(409);
      expect(["ALREADY_CLAIMED", "COMPLAINT_CHANGED"]).toContain(lost.body.error.code);
    }
    const holder = won[0]!.body.assignee as string;
    const claims = (await auditOf(id)).filter((e) => e.type === "Claimed");
    expect(claims).toHaveLength(1);
    // Claimed once more by someone else: always a 409 naming the holder.
    const late = await act(agents[0]!, id, { type: "claim" });
    if (holder !== "a-1") {
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: "ALREADY_CLAIMED", details: { assignee: holder } });
    }
    // A supervisor takes it over, on record; without saying so, they are refused like anyone.
    const supervisor = await h.staffToken(["cards"], "supervisor", "sup-claims");
    expect((await act(supervisor, id, { type: "claim" })).status).toBe(409);
    const taken = await act(supervisor, id, { type: "claim", takeOver: true });
    expect(taken.status).toBe(200);
    expect(taken.body.assignee).toBe("sup-claims");
    // An agent cannot take over.
    const retake = await act(agents[1]!, id, { type: "claim", takeOver: true });
    expect(retake.status).toBe(409);
  });
});
