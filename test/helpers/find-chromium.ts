/**
 * Where the browser tests find a Chromium (the HTML report at desktop and phone width, the
 * feed's XML through a strict parser): the path in CHROME_PATH (or the older CHROMIUM_PATH),
 * then the system's Chromium or Chrome on PATH, then a browser Playwright downloaded. Without one the
 * tests fail with the line `chromiumMissing()` gives, never pass without having run.
 *
 *   node --import tsx test/helpers/find-chromium.ts   prints the path, or the fix and exits 3
 *
 * (scripts/install-chromium.sh runs it before `npm test`, and installs Debian's Chromium only
 * when nothing is found and apt-get is there.)
 */
import { accessSync, constants, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Debian's Chromium (/usr/bin/chromium), Ubuntu's older name, then Google's Chrome packages; looked up on PATH. */
export const SYSTEM_BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The folder inside each of Playwright's `chromium-<revision>` folders: older releases, then Chrome for Testing builds. */
const PLAYWRIGHT_SUBPATHS = [join("chrome-linux", "chrome"), join("chrome-linux64", "chrome"), join("chrome-linux-arm64", "chrome")];

export interface BrowserSearch {
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export type BrowserFound = { path: string; from: string } | { error: string };

const FIX = "set CHROME_PATH=/path/to/chromium, or install one: apt-get install chromium (Debian, Ubuntu), or npx playwright-core install chromium";

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Playwright's `chromium-<revision>` folders, newest revision first. */
function playwrightBrowsers(cache: string): string[] {
  let names: string[];
  try {
    names = readdirSync(cache).filter((name) => /^chromium-\d+$/.test(name));
  } catch {
    return [];
  }
  names.sort((a, b) => Number(b.slice("chromium-".length)) - Number(a.slice("chromium-".length)));
  return names.flatMap((name) => PLAYWRIGHT_SUBPATHS.map((subpath) => join(cache, name, subpath)));
}

export function findChromium(search: BrowserSearch = {}): BrowserFound {
  const env = search.env ?? process.env;
  for (const variable of ["CHROME_PATH", "CHROMIUM_PATH"]) {
    const value = env[variable];
    if (value === undefined || value === "") continue;
    // A path given on purpose is used or reported, never replaced by another browser.
    if (isExecutableFile(value)) return { path: resolve(value), from: variable };
    return { error: `${variable}=${value} is not an executable file: point it at a Chromium or Chrome binary, or unset it` };
  }
  const folders = (env.PATH ?? "").split(delimiter).filter((folder) => folder !== "");
  for (const name of SYSTEM_BROWSERS) {
    for (const folder of folders) {
      const path = join(folder, name);
      if (isExecutableFile(path)) return { path, from: "PATH" };
    }
  }
  // PLAYWRIGHT_BROWSERS_PATH=0 means "inside node_modules", which holds no browser for playwright-core.
  const playwrightPath = env.PLAYWRIGHT_BROWSERS_PATH;
  const cache = playwrightPath && playwrightPath !== "0" ? playwrightPath : join(search.home ?? homedir(), ".cache", "ms-playwright");
  for (const path of playwrightBrowsers(cache)) {
    if (isExecutableFile(path)) return { path, from: "playwright" };
  }
  const looked = ["CHROME_PATH", `${SYSTEM_BROWSERS.join(", ")} on PATH`, join(cache, "chromium-*")].join(", ");
  return { error: `no Chromium found (looked at ${looked}): ${FIX}` };
}

/** The browser's path, or an Error whose message is the one line saying how to get one. */
export function requireChromium(search: BrowserSearch = {}): string {
  const found = findChromium(search);
  if ("error" in found) throw new Error(`browser tests: ${found.error}`);
  return found.path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const found = findChromium();
  if ("error" in found) {
    process.stderr.write(`find-chromium: ${found.error}\n`);
    // 3, not 1: the install script tells "no browser" from this file failing to run.
    process.exitCode = 3;
  } else {
    process.stdout.write(`${found.path}\n`);
  }
}
