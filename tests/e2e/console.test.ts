import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, startHarness } from "./harness";

/**
 * The staff workbench (console/) in Debian's Chromium against the embedded stack: sign-in and back, the
 * queue, a complaint resolved through its form, a stale decision refused with the conflict shown, a
 * supervisor's escalations, a complaint's files opened (and the download in its trail), the language switch, another team's complaint, and an axe-core scan of
 * every page (no critical or serious violation).
 */
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = "test-artifacts";
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let h: Harness;
let browser: BrowserContext;
let page: Page;
let profile: string;
let reference: string;
let id: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  profile = mkdtempSync(join(tmpdir(), "chromium-console-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    locale: "en-US",
    // axe is injected as a script tag; the pages' own CSP allows no inline script.
    bypassCSP: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const res = await h.submit("mobile_app", complaintBody());
  expect(res.status).toBe(201);
  ({ id, reference } = res.body);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** axe-core's critical and serious violations on the page as it is now (none expected). */
const axe = async (p: Page): Promise<string[]> => {
  await p.addScriptTag({ content: AXE });
  const violations = await p.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: {
        run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
      };
    };
    const r = await g.axe.run();
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).join(", ")}`);
};

/** A page signed in with a token of our choosing (as the sign-in page would have kept it). */
const signedInPage = async (token: string): Promise<Page> => {
  const p = await browser.newPage();
  await p.goto(`${h.url}/local/sign-in?next=/console/`);
  await p.evaluate((t) => {
    (
      globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }
    ).sessionStorage.setItem("complaints.staffToken", t);
  }, token);
  return p;
};

/** Reloads the complaint page until the action's button is offered (the workflow reaches the stage). */
const waitForAction = async (p: Page, name: string) => {
  for (let i = 0; i < 60; i++) {
    if (await p.getByRole("button", { name, exact: true }).isVisible()) return;
    await p.waitForTimeout(500);
    await p.reload();
    await p.getByRole("heading", { level: 1 }).waitFor();
  }
  throw new Error(`no ${name} button`);
};

describe("the staff workbench in a browser", () => {
  it("sends a browser without a token to the local sign-in and back to where it was", async () => {
    const res = await page.goto(`${h.url}/console/?lang=en`);
    // Same origin as the API, and a CSP as strict as CloudFront's: no inline script, no other origin.
    expect(res?.headers()["content-security-policy"]).toMatch(
      /^default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';/,
    );
    await page.waitForURL(/\/local\/sign-in\?next=/);
    expect(new URL(page.url()).searchParams.get("next")).toBe("/console/?lang=en");
    expect(await axe(page)).toEqual([]);
    await page.getByLabel("Team").fill("cards");
    await page.getByLabel("Role").selectOption("agent");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${h.url}/console/?lang=en`);
    await page.getByRole("heading", { name: "Team queue" }).waitFor();
  });

  it("shows the new complaint in the team's queue, as a link named by its reference", async () => {
    const link = page.getByRole("link", { name: reference });
    await link.waitFor({ timeout: 20_000 });
    const row = page.locator("tbody tr", { has: link });
    // SLA phase, tier, priority, segment, business time left and the statutory due date are all there.
    await expect(row.textContent()).resolves.toMatch(/on_track.*0.*P\d.*mass_retail.*\d+ h \d+ min/);
    expect(await row.locator("td").nth(7).textContent()).not.toBe("—");
    expect(await axe(page)).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "console-queue.png") });
  });

  it("opens the complaint and resolves it through the form, validation messages at their field", async () => {
    await page.getByRole("link", { name: reference }).click();
    await page.getByRole("heading", { name: `Complaint ${reference}` }).waitFor();
    await waitForAction(page, "Resolve");
    // A second agent has the same version open: their decision will be stale.
    const second = await signedInPage(await h.staffToken(["cards"], "agent", "agent-two"));
    await second.goto(`${h.url}/console/complaints/${id}?lang=en`);
    await second.getByRole("button", { name: "Resolve", exact: true }).waitFor();

    expect(await page.getByText("Li Lei").isVisible()).toBe(true);
    expect(await page.getByText("Audit chain verified: intact").isVisible()).toBe(true);
    // The acknowledgement sent to the customer, read through the staff notices route.
    const notices = page.getByRole("region", { name: "Notices sent" });
    await notices.getByText(/acknowledgement/).waitFor();
    // The statutory clock is on the timeline, in the calendar's time zone (Asia/Shanghai, GMT+8).
    const deadlines = page.getByRole("region", { name: "Deadlines" });
    await expect(deadlines.textContent()).resolves.toMatch(/GMT\+8 — Statutory due: cn_decision/);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "console-complaint.png"), fullPage: true });

    // An agent's claim offers no take-over (the API gives that to supervisors and managers only).
    await page.getByRole("button", { name: "Claim", exact: true }).click();
    await page.getByRole("button", { name: "Confirm" }).waitFor();
    expect(await page.getByLabel("Take over").count()).toBe(0);
    await page.getByRole("button", { name: "Cancel" }).click();

    // What the console sends with a decision: the version it showed, and a key per intent.
    const sent: Record<string, string>[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/actions")) sent.push(r.headers());
    });
    const shownVersion = (await page.locator(".status-line").textContent())?.match(/Version (\d+)/)?.[1];
    expect(shownVersion).toMatch(/^\d+$/);
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await page.getByLabel("Outcome").selectOption("upheld");
    await page.getByLabel("Root cause").selectOption("process");
    // Summary left empty: the API's message shows at the Summary field.
    await page.getByRole("button", { name: "Confirm" }).click();
    const summary = page.getByLabel("Summary");
    await page.locator("#field-resolution-summary-error").waitFor();
    expect(await summary.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#field-resolution-summary-error").textContent()).toMatch(
      /must not be empty|expected string/i,
    );
    expect(await axe(page)).toEqual([]);
    await summary.fill("The duplicate fee was refunded.");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByTestId("status").filter({ hasText: "awaiting feedback" }).waitFor({ timeout: 20_000 });
    expect(sent).toHaveLength(2);
    for (const headers of sent) expect(headers["if-match"]).toBe(`"${shownVersion}"`);
    expect(sent.map((h) => h["idempotency-key"])).toEqual([
      expect.stringMatching(/^console-[0-9a-f-]{36}$/),
      expect.stringMatching(/^console-[0-9a-f-]{36}$/),
    ]);
    // The body changed (the summary was filled in): a new intent, a new key.
    expect(sent[0]?.["idempotency-key"]).not.toBe(sent[1]?.["idempotency-key"]);

    // The second agent's resolve was decided on the old version: refused (412), shown, and reloaded.
    await second.getByRole("button", { name: "Resolve", exact: true }).click();
    await second.getByLabel("Outcome").selectOption("rejected");
    await second.getByLabel("Summary").fill("Not upheld.");
    await second.getByLabel("Root cause").selectOption("process");
    await second.getByRole("button", { name: "Confirm" }).click();
    const alert = second.getByRole("alert").filter({ hasText: "Someone else acted first" });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/PRECONDITION_FAILED|COMPLAINT_CHANGED/);
    await second.getByTestId("status").filter({ hasText: "awaiting feedback" }).waitFor();
    expect(await second.getByRole("button", { name: "Resolve", exact: true }).count()).toBe(0);
    await second.close();
    // Only the first resolution is on record.
    const view = await h.staff("GET", `/staff/complaints/${id}`, await h.managerToken());
    expect(view.body.resolution.summary).toBe("The duplicate fee was refunded.");
  }, 120_000);

  it("shows a supervisor the tier's escalations", async () => {
    const agent = await h.staffToken(["cards"], "agent", "agent-esc");
    const res = await h.submit(
      "branch",
      complaintBody({ customer: { id: "C-2002", segment: "mass_retail" } }),
    );
    await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${res.body.id}`, agent),
      (r) => r.body.status === "in_progress",
    );
    const escalated = await h.waitFor(
      () =>
        h.staff("POST", `/staff/complaints/${res.body.id}/actions`, agent, {
          type: "escalate",
          reason: "Press",
        }),
      (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
    );
    expect(escalated.status).toBe(200);
    const supervisor = await signedInPage(await h.staffToken(["cards"], "supervisor", "sup-cards"));
    await supervisor.goto(`${h.url}/console/escalations?lang=en`);
    await supervisor.getByRole("heading", { name: "Escalations" }).waitFor();
    await supervisor.getByRole("link", { name: res.body.reference }).waitFor({ timeout: 20_000 });
    // Only tier 1 is listed: the first complaint (tier 0) is not.
    expect(await supervisor.getByRole("link", { name: reference }).count()).toBe(0);
    expect(await axe(supervisor)).toEqual([]);
    await supervisor.close();
  }, 60_000);

  it("lists a complaint's files with their checks and opens an available one, the download in the trail", async () => {
    const created = await h.submit(
      "mobile_app",
      complaintBody({ customer: { id: "C-2003", segment: "mass_retail" } }),
    );
    expect(created.status).toBe(201);
    const complaintId = created.body.id as string;
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    // A 1x1 PNG, declared as a PDF: the check refuses it by its magic bytes.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "base64",
    );
    const attach = async (fileName: string, bytes: Buffer) => {
      const asked = await h.request("POST", `/complaints/${complaintId}/attachments`, {
        headers: { "x-api-key": h.apiKey("mobile_app") },
        body: {
          fileName,
          contentType: "application/pdf",
          size: bytes.length,
          sha256: createHash("sha256").update(bytes).digest("base64"),
        },
      });
      expect(asked.status).toBe(201);
      const { "Content-Length": _length, ...headers } = asked.body.uploadHeaders as Record<string, string>;
      expect((await fetch(asked.body.uploadUrl, { method: "PUT", headers, body: bytes })).status).toBe(200);
      return asked.body.attachmentId as string;
    };
    const statement = await attach("statement-2026-11.pdf", pdf);
    const leaflet = await attach("leaflet.pdf", png);
    const agent = await h.staffToken(["cards"], "agent", "agent-files");
    await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${complaintId}/attachments`, agent),
      (r) => r.body.items?.every((a: { status: string }) => a.status !== "pending"),
    );

    const p = await signedInPage(agent);
    await p.goto(`${h.url}/console/complaints/${complaintId}?lang=en`);
    const files = p.getByRole("region", { name: "Attachments" });
    const good = files.locator(`tr[data-attachment="${statement}"]`);
    const bad = files.locator(`tr[data-attachment="${leaflet}"]`);
    await good.waitFor();
    await expect(good.textContent()).resolves.toMatch(
      /statement-2026-11\.pdf.*application\/pdf.*available.*content: passed/,
    );
    await expect(bad.textContent()).resolves.toMatch(
      /leaflet\.pdf.*rejected \(content is not the declared type\)/,
    );
    // Only an available file can be opened.
    expect(await bad.getByRole("button").count()).toBe(0);
    expect(await axe(p)).toEqual([]);

    const download = p.waitForEvent("download");
    await files.getByRole("button", { name: "Open statement-2026-11.pdf" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("statement-2026-11.pdf");
    expect(readFileSync(await file.path())).toEqual(pdf);
    // Still on the complaint, and the download is on its audit trail, by this agent.
    expect(new URL(p.url()).pathname).toBe(`/console/complaints/${complaintId}`);
    const trail = p.getByRole("region", { name: "Audit trail" });
    await trail.locator("tr", { hasText: "AttachmentDownloaded" }).waitFor();
    await expect(trail.locator("tr", { hasText: "AttachmentDownloaded" }).textContent()).resolves.toContain(
      "staff agent-files",
    );
    await p.close();
  }, 90_000);

  it("switches language, and ?lang=en chooses English", async () => {
    await page.goto(`${h.url}/console/`);
    await page.getByRole("heading", { name: "Team queue" }).waitFor();
    await page.getByRole("button", { name: /Switch to Chinese/ }).click();
    await page.getByRole("heading", { name: "团队队列" }).waitFor();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { documentElement: { lang: string } } }).document
          .documentElement.lang === "zh-CN",
    );
    expect(await axe(page)).toEqual([]);
    await page.goto(`${h.url}/console/?lang=en`);
    await page.getByRole("heading", { name: "Team queue" }).waitFor();
  });

  it("tells another team's agent it is not their complaint, and shows none of its personal data", async () => {
    const other = await signedInPage(await h.staffToken(["loans"], "agent", "agent-loans"));
    await other.goto(`${h.url}/console/complaints/${id}?lang=en`);
    await other.getByRole("heading", { name: "Not your team's complaint" }).waitFor();
    expect(await other.content()).not.toContain("Li Lei");
    expect(await axe(other)).toEqual([]);
    await other.close();
  });

  it("takes a manager to the reports (CSV download) and the dashboard, both accessible", async () => {
    const manager = await signedInPage(await h.staffToken([], "manager", "manager-1"));
    await manager.goto(`${h.url}/console/reports?lang=en`);
    await manager.getByRole("heading", { name: "Reports" }).waitFor();
    expect(await axe(manager)).toEqual([]);
    const download = manager.waitForEvent("download");
    await manager.getByRole("button", { name: "Download the regulatory CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^complaints-\d{4}-Q[1-4]\.csv$/);
    await manager.getByRole("link", { name: "Manager dashboard" }).click();
    await manager.waitForURL(`${h.url}/dashboard`);
    await manager.waitForSelector("section[data-widget]");
    expect(await axe(manager)).toEqual([]);
    await manager.close();
  });

  it("sends an expired session back to sign-in, and raised no script error anywhere", async () => {
    await page.evaluate(() =>
      (
        globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }
      ).sessionStorage.setItem("complaints.staffToken", "expired.eyJleHAiOjF9.x"),
    );
    await page.goto(`${h.url}/console/complaints/${id}?lang=en`);
    await page.waitForURL(/\/local\/sign-in\?next=/);
    expect(new URL(page.url()).searchParams.get("next")).toBe(`/console/complaints/${id}?lang=en`);
    expect(pageErrors).toEqual([]);
  });
});
