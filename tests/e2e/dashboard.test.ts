import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardWidgets } from "../../functions/observability/widgets";
import { routingTeams } from "../../infra/local/dashboard";
import { complaintBody, type Harness, startHarness } from "./harness";

/** Debian's Chromium (playwright-core ships no browser); `.ci/run` installs it when missing. */
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = "test-artifacts";

let h: Harness;
let browser: BrowserContext;
let page: Page;
let profile: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  // A CN working day morning, a minute a second: the scenario runs in business hours.
  h = await startHarness({ timeScale: 60, startAt: new Date("2026-07-07T09:30:00+08:00") });
  profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
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
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const tile = (series: string) =>
  page.locator(`section[data-widget="headline"] .tile[data-series="${series}"] .value`);

/** Waits until the page (refreshing itself) shows a text for a series. */
const waitForText = async (selector: string, text: string) => {
  await page.waitForFunction(
    // Runs in the page, where `document` exists (the test itself compiles without the DOM library).
    ([sel, want]) =>
      (
        globalThis as unknown as {
          document: { querySelector(s: string): { textContent: string | null } | null };
        }
      ).document
        .querySelector(sel)
        ?.textContent?.trim() === want,
    [selector, text] as const,
    { timeout: 20_000 },
  );
};

describe("the local dashboard in a browser", () => {
  it("sends a browser without a token to the local sign-in, which says it is local only", async () => {
    const res = await page.goto(`${h.url}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-type"]).toBe("text/html; charset=utf-8");
    await page.waitForURL(`${h.url}/local/sign-in?next=%2Fdashboard`);
    expect(await page.getByText("Local only.").isVisible()).toBe(true);
    // Found by their labels and role, as a screen reader user would.
    expect(await page.getByLabel("Team").isVisible()).toBe(true);
    expect(await page.getByLabel("Role").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it("tells an agent the dashboard is for managers, and keeps the figures from them", async () => {
    await page.getByLabel("Team").fill("cards");
    await page.getByLabel("Role").selectOption("agent");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${h.url}/dashboard`);
    await page.waitForSelector("section[role=alert]");
    expect(await page.locator("section[role=alert]").textContent()).toContain("for managers");
    expect(await page.locator("section[data-widget]").count()).toBe(0);
    consoleErrors.length = 0; // the 403 the page was answered is logged by the browser itself
  });

  it("signs a manager in, keeps the token for the tab, and loads with no data yet", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/local\/sign-in/);
    await page.getByLabel("Role").selectOption("manager");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${h.url}/dashboard`);
    await page.waitForSelector("section[data-widget]");
    await expect(tile("received").textContent()).resolves.toBe("–");
    expect(await page.locator("section[data-widget]").count()).toBe(dashboardWidgets(routingTeams()).length);
    const stored = await page.evaluate(
      () => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length,
    );
    expect(stored).toBe(1);
    expect(consoleErrors).toEqual([]);
  });

  it("shows the figures of a scripted scenario as they happen, refreshing itself", async () => {
    const agent = await h.staffToken(["cards", "wealth"], "agent", "agent-li");
    const ids: string[] = [];
    for (const [channel, segment] of [
      ["mobile_app", "mass_retail"],
      ["wechat", "mass_retail"],
      ["branch", "wealth"],
    ] as const) {
      const res = await h.submit(channel, complaintBody({ customer: { id: `C-${channel}`, segment } }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    for (const id of ids.slice(0, 2)) {
      await h.waitFor(
        () => h.staff("GET", `/staff/complaints/${id}`, agent),
        (r) => r.body.status === "in_progress",
      );
      const resolved = await h.waitFor(
        () =>
          h.staff("POST", `/staff/complaints/${id}/actions`, agent, {
            type: "resolve",
            resolution: { outcome: "upheld", summary: "Refunded", rootCause: "process" },
          }),
        (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
      );
      expect(resolved.status).toBe(200);
    }
    const feedback = await h.waitFor(
      () =>
        h.request("POST", `/complaints/${ids[0]}/feedback`, {
          headers: { "x-api-key": h.apiKey("mobile_app") },
          body: { satisfaction: 4, outcome: "accept" },
        }),
      (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
    );
    expect(feedback.status).toBe(200);

    const headline = 'section[data-widget="headline"] .tile[data-series="';
    await waitForText(`${headline}received"] .value`, "3");
    await waitForText(`${headline}resolved"] .value`, "2");
    await waitForText(`${headline}attainment"] .value`, "100 %");
    await waitForText(`${headline}satisfaction"] .value`, "4");
    await waitForText(`${headline}breached"] .value`, "–");

    // The charts draw the same figures: a line for arrivals, bars for resolution times by priority.
    await waitForText('section[data-widget="arrivals"] [data-series="arrived"] .value', "3");
    await waitForText('section[data-widget="arrivals"] [data-series="closed"] .value', "1");
    expect(await page.locator('section[data-widget="arrivals"] svg polyline').count()).toBeGreaterThan(0);
    const bars = page.locator('section[data-widget="resolutionByPriority"] svg text.value');
    expect(await bars.count()).toBe(2); // P3 p50 and p90: both resolved complaints are P3 cards
    expect(await page.locator('section[data-widget="workflowHealth"] .note').textContent()).toContain(
      "CloudWatch on AWS only",
    );

    // The data behind the page is the same document the page reads (for a manager's token).
    const data = (await h.staff("GET", "/dashboard/data.json", await h.managerToken())).body;
    const received = data.widgets.find((w: { id: string }) => w.id === "headline").series[0];
    expect(received).toMatchObject({ id: "received", total: 3 });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
