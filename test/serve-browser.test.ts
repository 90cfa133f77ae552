/**
 * The web app in a real Chromium, against `repo-digest serve` as a real process over a store
 * made by real `report` runs: a reader searches for a planted environment variable and opens
 * its commit, filters by importance and path, pages through a repository's archive, reads
 * the trends, on a phone and with the keyboard; a hostile commit message runs nothing, and
 * no page asks another host for anything. Screenshots land in test-artifacts/serve/.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium } from "./helpers/find-chromium.js";
import { buildServeFixture, HOSTILE_TITLE, PLANTED_ENV, startServe, WIDGETS, type ServeFixture, type ServeProcess } from "./support/serve/serve-fixture.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/serve/", import.meta.url));
const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };

let fixture: ServeFixture;
let server: ServeProcess;
let browser: Browser | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  fixture = await buildServeFixture();
  server = await startServe(fixture.dataDir);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

async function launchBrowser(): Promise<Browser> {
  const executablePath = requireChromium();
  try {
    browser ??= await chromium.launch({ executablePath });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new Error(`Chromium at ${executablePath} did not start (${reason}): set CHROME_PATH to another browser, or apt-get install chromium`);
  }
  return browser;
}

/** The browser globals the page functions below read (the project compiles without the DOM library). */
interface PageGlobals {
  __pwned?: unknown;
  document: {
    documentElement: { scrollWidth: number };
    body: { scrollWidth: number };
    activeElement: { tagName: string; getAttribute(name: string): string | null; textContent: string | null } | null;
    querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
  };
  getComputedStyle(element: unknown): { backgroundColor: string; fill: string };
  DOMParser: new () => { parseFromString(text: string, type: string): { getElementsByTagName(name: string): { length: number } } };
}

interface Opened {
  page: Page;
  /** Requests to anywhere but the server, which no page may make. */
  elsewhere: string[];
  /** What the console said: a Content-Security-Policy refusal shows here. */
  console: string[];
}

async function open(path: string, viewport = DESKTOP): Promise<Opened> {
  const page = await (await launchBrowser()).newPage({ viewport });
  const elsewhere: string[] = [];
  const console: string[] = [];
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  page.on("console", (message) => console.push(message.text()));
  page.on("pageerror", (error) => console.push(`pageerror: ${error.message}`));
  await page.goto(new URL(path, server.url).href, { waitUntil: "load" });
  return { page, elsewhere, console };
}

/** No request elsewhere, and nothing refused by the policy (which would mean markup tried to run or load). */
function expectClean(opened: Opened): void {
  expect(opened.elsewhere).toEqual([]);
  expect(opened.console.filter((line) => /Content Security Policy|pageerror/i.test(line))).toEqual([]);
}

const pwned = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned);

describe("the web app in Chromium", () => {
  it("finds the commit that reads a planted environment variable, and opens it", async () => {
    const opened = await open("/search?lang=en");
    const { page } = opened;
    try {
      await page.getByText("More filters").click();
      await page.getByLabel("Environment variable").fill(PLANTED_ENV);
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForURL((url) => url.searchParams.get("env") === PLANTED_ENV);
      const results = page.locator("ol.hits > li");
      expect(await results.count()).toBe(1);
      await results.first().locator("a.hit-title").click();
      await page.waitForURL(/\/repos\/acme\/widgets\/commits\/[0-9a-f]{40}/);
      expect(await page.locator("h1").innerText()).toContain(PLANTED_ENV);
      expect(await page.locator('dd[data-facet="env"]').innerText()).toBe(PLANTED_ENV);
      // The variable links to every commit that names it.
      await page.locator('dd[data-facet="env"] a').click();
      await page.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("env") === PLANTED_ENV);
      expectClean(opened);
    } finally {
      await page.close();
    }
  });

  it("filters by importance and by path", async () => {
    const opened = await open("/search?lang=en");
    const { page } = opened;
    try {
      await page.getByLabel("Importance").selectOption("high");
      await page.getByText("More filters").click();
      await page.getByLabel("Path (glob)").fill("src/acme/**");
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForURL((url) => url.searchParams.get("importance") === "high");
      expect(await page.locator("ol.hits a.hit-title").allInnerTexts()).toEqual(["refactor(api)!: remove list_widgets"]);
      // The form keeps what was asked, so the next search starts from it.
      expect(await page.getByLabel("Importance").inputValue()).toBe("high");
      expect(await page.getByLabel("Path (glob)").inputValue()).toBe("src/acme/**");
      await page.getByLabel("Importance").selectOption("medium");
      await page.getByLabel("Path (glob)").fill("src/acme/cli.py");
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForURL((url) => url.searchParams.get("importance") === "medium");
      expect((await page.locator("ol.hits a.hit-title").allInnerTexts()).sort()).toEqual(["feat(cli): add --widget-verbose", "fix(cli): name the program"]);
      const badges = await page.locator("ol.hits .badge").allInnerTexts();
      expect(badges.every((badge) => /medium|high/.test(badge))).toBe(true);
      expectClean(opened);
    } finally {
      await page.close();
    }
  });

  it("pages through a repository's archive of reports and back", async () => {
    const opened = await open(`/repos/${WIDGETS}?lang=en`);
    const { page } = opened;
    try {
      const seen: string[] = [];
      let pages = 0;
      for (;;) {
        pages++;
        const names = await page.locator("#reports table a").evaluateAll((links) => links.map((link) => decodeURIComponent(new URL((link as unknown as { href: string }).href).pathname.slice("/reports/".length))));
        seen.push(...names);
        const next = page.locator("#reports a[rel=next]");
        if ((await next.count()) === 0) break;
        await next.click();
        await page.waitForURL((url) => url.searchParams.get("page") === String(pages + 1));
      }
      expect(pages).toBe(2);
      expect(seen.sort()).toEqual([...fixture.reports[WIDGETS]!].sort());
      await page.locator("#reports a[rel=prev]").click();
      await page.waitForURL((url) => !url.searchParams.has("page"));
      expect(await page.locator("#reports table a").count()).toBe(10);
      // A report opens as the report itself, its look included.
      await page.locator("#reports table a").first().click();
      await page.waitForURL(/\/reports\/2026-01-17--acme-widgets/);
      expect(await page.locator("h1#top").innerText()).toContain("2026-01-17");
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
      expectClean(opened);
    } finally {
      await page.close();
    }
  });

  it("draws the trends with the right counts, in light and dark", async () => {
    const opened = await open(`/trends?lang=en&repo=${WIDGETS}&since=2026-01-12&until=2026-01-17`);
    const { page } = opened;
    try {
      const bars = await page.locator("#chart-per-day rect").evaluateAll((rects) =>
        rects.map((rect) => {
          const element = rect as unknown as { getAttribute(name: string): string; getBoundingClientRect(): { width: number; height: number } };
          const box = element.getBoundingClientRect();
          return { day: element.getAttribute("data-day"), value: Number(element.getAttribute("data-value")), width: box.width, height: box.height };
        }),
      );
      const perDay = new Map<string, number>();
      for (const bar of bars) perDay.set(bar.day, (perDay.get(bar.day) ?? 0) + bar.value);
      expect(Object.fromEntries(perDay)).toEqual(Object.fromEntries(fixture.days[WIDGETS]!.map((day) => [day, fixture.commits.filter((commit) => commit.repo === WIDGETS && commit.day === day).length])));
      // Drawn, not only written: every bar has a size, and a taller day has a taller bar.
      expect(bars.every((bar) => bar.width > 0 && bar.height > 0)).toBe(true);
      // The table beside the chart says the same.
      await page.locator("#per-day details summary").click();
      const rows = await page.locator("#table-per-day tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string }> }).cells, (cell) => cell.textContent)));
      expect(rows).toHaveLength(6);
      expect(rows.map((row) => row.slice(1).reduce((sum, cell) => sum + Number(cell), 0))).toEqual(fixture.days[WIDGETS]!.map((day) => perDay.get(day)));
      expect(await page.locator('#chart-api [data-series="breaking"]').count()).toBe(1);
      expect(await page.locator('#chart-authors rect[data-key="dependabot[bot]"]').getAttribute("class")).toBe("c-bot");
      const fill = () => page.locator("#chart-per-day rect.c-high").first().evaluate((rect) => (globalThis as unknown as PageGlobals).getComputedStyle(rect).fill);
      const light = await fill();
      await page.screenshot({ path: join(ARTIFACTS, "trends-light-1280.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      const dark = await fill();
      expect(light).toBe("rgb(207, 34, 46)");
      expect(dark).toBe("rgb(255, 123, 114)");
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body).backgroundColor)).toBe("rgb(13, 17, 23)");
      await page.screenshot({ path: join(ARTIFACTS, "trends-dark-1280.png"), fullPage: true });
      expectClean(opened);
    } finally {
      await page.close();
    }
  });

  it("fits a 375 px phone without sideways scrolling on every page", async () => {
    const planted = fixture.commits.find((commit) => commit.title.includes(PLANTED_ENV))!;
    const hostile = fixture.byTitle(HOSTILE_TITLE);
    const paths: Array<[string, string]> = [
      ["home", "/"],
      ["reports", "/reports"],
      ["report", "/reports/2026-01-14--acme-widgets.en"],
      ["repo", `/repos/${WIDGETS}?lang=en`],
      ["commit", `/repos/${WIDGETS}/commits/${planted.sha}?lang=en`],
      ["hostile-commit", `/repos/${WIDGETS}/commits/${hostile.sha}`],
      ["search", "/search?lang=en&q=widget"],
      ["trends", `/trends?lang=en&since=2026-01-12&until=2026-01-17`],
      ["trends-zh", `/trends?since=2026-01-12&until=2026-01-17`],
    ];
    for (const [name, path] of paths) {
      const opened = await open(path, PHONE);
      try {
        // Every <details> open too: the data tables and the filters must fit as well.
        await opened.page.locator("details:not([open]) > summary").evaluateAll((summaries) => summaries.forEach((summary) => (summary as unknown as { click(): void }).click()));
        const width = await opened.page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          return { scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth };
        });
        expect(width.scroll, name).toBeLessThanOrEqual(PHONE.width);
        expect(width.body, name).toBeLessThanOrEqual(PHONE.width);
        await opened.page.screenshot({ path: join(ARTIFACTS, `${name}-phone-375.png`), fullPage: true });
        expectClean(opened);
      } finally {
        await opened.page.close();
      }
    }
  });

  it("reaches every link by Tab, in order, and follows one with Enter", async () => {
    const opened = await open(`/search?lang=en&repo=${WIDGETS}&limit=3`);
    const { page } = opened;
    try {
      const links = await page.locator("a[href]").evaluateAll((anchors) => anchors.map((anchor) => (anchor as unknown as { getAttribute(name: string): string }).getAttribute("href")));
      const reached: string[] = [];
      for (let press = 0; press < 80 && reached.length < links.length; press++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const active = (globalThis as unknown as PageGlobals).document.activeElement;
          return active && active.tagName === "A" ? active.getAttribute("href") : null;
        });
        if (focused !== null) reached.push(focused);
      }
      // The skip link first, then every link of the page in document order (form fields between them).
      expect(reached[0]).toBe("#main");
      expect(reached).toEqual(links);
      // Tab to the first result and follow it with Enter.
      await page.locator("ol.hits a.hit-title").first().focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/commits\/[0-9a-f]{40}/);
      expectClean(opened);
    } finally {
      await page.close();
    }
  });

  it("runs no script from a hostile commit message, wherever it shows it", async () => {
    const hostile = fixture.byTitle(HOSTILE_TITLE);
    for (const path of [`/repos/${WIDGETS}/commits/${hostile.sha}`, `/repos/${WIDGETS}`, "/search?q=pwned", "/reports/2026-01-14--acme-widgets", "/reports/2026-01-14--acme-widgets.en", "/"]) {
      const opened = await open(path);
      const { page } = opened;
      try {
        expect(await pwned(page), path).toBeUndefined();
        expect(await page.locator("script, img, iframe, object, embed").count(), path).toBe(0);
        // Hover and click where handlers would have been, then look again.
        const shown = page.getByText(HOSTILE_TITLE, { exact: true }).first();
        if ((await shown.count()) > 0) {
          await shown.hover();
          await shown.click({ trial: true });
        }
        expect(await pwned(page), path).toBeUndefined();
        expectClean(opened);
      } finally {
        await page.close();
      }
    }
    const commit = await open(`/repos/${WIDGETS}/commits/${hostile.sha}`);
    try {
      expect(await commit.page.locator("h1").innerText()).toBe(HOSTILE_TITLE);
      expect(await commit.page.locator("pre.message-body").innerText()).toContain("<script>window.__pwned=3</script>");
      expect(await commit.page.locator("a[href^='javascript:']").count()).toBe(0);
    } finally {
      await commit.page.close();
    }
    // The feed is well-formed XML to a strict parser, and carries the title as text.
    const feed = await open("/search?q=pwned");
    try {
      const text = await (await fetch(new URL("/search.atom?q=pwned", server.url))).text();
      const parsed = await feed.page.evaluate((xml) => {
        const document = new (globalThis as unknown as PageGlobals).DOMParser().parseFromString(xml, "application/xml");
        return { errors: document.getElementsByTagName("parsererror").length, entries: document.getElementsByTagName("entry").length };
      }, text);
      expect(parsed).toEqual({ errors: 0, entries: 1 });
    } finally {
      await feed.page.close();
    }
  });
});
