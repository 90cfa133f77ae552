/**
 * The HTML report in a real browser: hostile text stays text and runs nothing, the
 * table of contents scrolls to its commit, a phone never scrolls sideways, and the
 * page asks the network for nothing. Screenshots land in test-artifacts/html/ for a
 * human to look at.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium } from "../../../test/helpers/find-chromium.js";
import type { Report } from "../types.js";
import { renderHtml } from "./render-html.js";
import { HOSTILE_TITLE, hostileReport, richSampleReport } from "../../../test/support/report/html/fixtures.js";

const ARTIFACTS = fileURLToPath(new URL("../../../test-artifacts/html/", import.meta.url));
const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };

let browser: Browser | undefined;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "repo-digest-html-"));
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The browser, launched on first use; without Chromium every test fails with the way to get it. */
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

/**
 * The browser globals the page functions below read. The project compiles without the
 * DOM library, and these functions run in the page, where the globals exist.
 */
interface PageGlobals {
  __pwned?: unknown;
  scrollY: number;
  location: { hash: string };
  document: {
    documentElement: { scrollWidth: number };
    body: { scrollWidth: number };
    getElementById(id: string): { getBoundingClientRect(): { top: number; bottom: number } } | null;
  };
  getComputedStyle(element: unknown): { backgroundColor: string };
}

function bodyBackground(): string {
  const { getComputedStyle, document } = globalThis as unknown as PageGlobals;
  return getComputedStyle(document.body).backgroundColor;
}

interface OpenedReport {
  page: Page;
  /** Every request other than the file itself, which the page was not allowed to make. */
  blocked: string[];
}

async function openReport(report: Report, name: string, viewport: { width: number; height: number }): Promise<OpenedReport> {
  const file = join(folder, `${name}.html`);
  await writeFile(file, renderHtml(report));
  const page = await (await launchBrowser()).newPage({ viewport });
  const blocked: string[] = [];
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith("file://")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on("request", (request) => {
    if (!request.url().startsWith("file://")) blocked.push(request.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, blocked };
}

describe("the HTML report in Chromium", () => {
  it("runs no hostile script, shows the hostile text as text and requests nothing", async () => {
    const { page, blocked } = await openReport(hostileReport("en"), "hostile", DESKTOP);
    try {
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
      expect(await page.locator("script, img, iframe, svg, object, embed").count()).toBe(0);
      const titles = await page.locator("h4.commit-title").allTextContents();
      expect(titles).toContain(HOSTILE_TITLE);
      const hostile = page.locator("article.commit").first();
      expect(await hostile.locator("h4.commit-title").isVisible()).toBe(true);
      await hostile.locator("details.message > summary").click();
      expect(await hostile.locator("pre").innerText()).toContain("<script>window.__pwned=1</script>");
      // Hover and click where handlers would have been, then look again.
      await page.getByText("<b onmouseover=alert(1)>Mallory</b>").first().hover();
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
      expect(blocked).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("scrolls to a commit from the table of contents", async () => {
    const { page, blocked } = await openReport(hostileReport("en"), "toc", DESKTOP);
    try {
      const link = page.locator("nav.toc a[href^='#c-']").last();
      const target = (await link.getAttribute("href"))!.slice(1);
      expect(await page.evaluate((id) => (globalThis as unknown as PageGlobals).document.getElementById(id)!.getBoundingClientRect().top, target)).toBeGreaterThan(DESKTOP.height);
      await link.click();
      await page.waitForFunction((id) => (globalThis as unknown as PageGlobals).location.hash === `#${id}`, target);
      const box = await page.evaluate((id) => {
        const { document, scrollY } = globalThis as unknown as PageGlobals;
        const rect = document.getElementById(id)!.getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom, scrolled: scrollY };
      }, target);
      expect(box.scrolled).toBeGreaterThan(0);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.top).toBeLessThan(DESKTOP.height);
      expect(await page.locator(`#${target}`).evaluate((element) => element.matches(":target") && element.tagName === "ARTICLE")).toBe(true);
      expect(blocked).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    ["hostile", () => hostileReport("en")],
    ["sample-zh-CN", () => richSampleReport("zh-CN")],
    ["sample-en", () => richSampleReport("en")],
  ] as const)("fits a 375 px phone without sideways scrolling and saves screenshots (%s)", async (name, build) => {
    const report = build();
    const phone = await openReport(report, `${name}-phone`, PHONE);
    try {
      const width = await phone.page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return { scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth };
      });
      expect(width.scroll).toBeLessThanOrEqual(PHONE.width);
      expect(width.body).toBeLessThanOrEqual(PHONE.width);
      await phone.page.screenshot({ path: join(ARTIFACTS, `${name}-phone-375.png`), fullPage: true });
      expect(phone.blocked).toEqual([]);
    } finally {
      await phone.page.close();
    }
    const desktop = await openReport(report, `${name}-desktop`, DESKTOP);
    try {
      expect(await desktop.page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.width);
      await desktop.page.screenshot({ path: join(ARTIFACTS, `${name}-desktop-1280.png`), fullPage: true });
      expect(desktop.blocked).toEqual([]);
    } finally {
      await desktop.page.close();
    }
  });

  it("follows the reader's dark setting", async () => {
    const { page } = await openReport(richSampleReport("en"), "dark", DESKTOP);
    try {
      const light = await page.evaluate(bodyBackground);
      await page.emulateMedia({ colorScheme: "dark" });
      const dark = await page.evaluate(bodyBackground);
      expect(light).toBe("rgb(255, 255, 255)");
      expect(dark).toBe("rgb(13, 17, 23)");
      await page.screenshot({ path: join(ARTIFACTS, "sample-en-dark-1280.png"), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
