/**
 * Where the browser tests look for Chromium, on real folders: a chosen path first and never
 * replaced, then PATH, then Playwright's cache, and without one the single line saying how to
 * get one. The install script runs before `npm test` and installs nothing when a browser is
 * there or apt-get is not.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repo-digest-find-chromium-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function executable(path: string): string {
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(path, "#!/bin/sh\n");
  chmodSync(path, 0o755);
  return path;
}

describe("findChromium", () => {
  it("takes CHROME_PATH before anything on PATH", () => {
    const chosen = executable(join(dir, "opt", "my-chrome"));
    const onPath = executable(join(dir, "bin", "chromium"));
    expect(findChromium({ env: { CHROME_PATH: chosen, PATH: join(dir, "bin") }, home: dir })).toEqual({ path: chosen, from: "CHROME_PATH" });
    expect(findChromium({ env: { PATH: join(dir, "bin") }, home: dir })).toEqual({ path: onPath, from: "PATH" });
  });

  it("reports a CHROME_PATH that is not a browser instead of falling back to another one", () => {
    executable(join(dir, "bin", "chromium"));
    const found = findChromium({ env: { CHROME_PATH: join(dir, "missing"), PATH: join(dir, "bin") }, home: dir });
    expect(found).toEqual({ error: `CHROME_PATH=${join(dir, "missing")} is not an executable file: point it at a Chromium or Chrome binary, or unset it` });
    writeFileSync(join(dir, "not-executable"), "");
    expect(findChromium({ env: { CHROMIUM_PATH: join(dir, "not-executable") }, home: dir })).toHaveProperty("error", expect.stringMatching(/^CHROMIUM_PATH=.* is not an executable file/));
  });

  it("prefers chromium to google-chrome on PATH, in PATH order", () => {
    executable(join(dir, "first", "google-chrome"));
    const chromium = executable(join(dir, "second", "chromium"));
    expect(findChromium({ env: { PATH: `${join(dir, "first")}:${join(dir, "second")}` }, home: dir })).toEqual({ path: chromium, from: "PATH" });
  });

  it("falls back to Playwright's newest downloaded Chromium, old or Chrome for Testing layout", () => {
    const cache = join(dir, ".cache", "ms-playwright");
    executable(join(cache, "chromium-999", "chrome-linux", "chrome"));
    const newest = executable(join(cache, "chromium-1200", "chrome-linux64", "chrome"));
    mkdirSync(join(cache, "chromium_headless_shell-1300"), { recursive: true });
    expect(findChromium({ env: { PATH: join(dir, "empty") }, home: dir })).toEqual({ path: newest, from: "playwright" });
    const elsewhere = executable(join(dir, "browsers", "chromium-5", "chrome-linux", "chrome"));
    expect(findChromium({ env: { PATH: "", PLAYWRIGHT_BROWSERS_PATH: join(dir, "browsers") }, home: dir })).toEqual({ path: elsewhere, from: "playwright" });
  });

  it("without a browser, says in one line where it looked and how to get one", () => {
    const found = findChromium({ env: { PATH: join(dir, "empty") }, home: dir });
    expect(found).toHaveProperty("error");
    const error = (found as { error: string }).error;
    expect(error).not.toContain("\n");
    expect(error).toMatch(/^no Chromium found \(looked at CHROME_PATH, chromium, .* on PATH, .*ms-playwright\/chromium-\*\): set CHROME_PATH=\/path\/to\/chromium, or install one: apt-get install chromium/);
  });
});

describe("scripts/install-chromium.sh", () => {
  /** The script with a PATH of only `node`: no browser, no apt-get. */
  function runScript(env: Record<string, string>): { status: number | null; stderr: string } {
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, "node"));
    const result = spawnSync("/bin/bash", [join(ROOT, "scripts", "install-chromium.sh")], {
      env: { PATH: bin, HOME: dir, ...env },
      encoding: "utf8",
    });
    return { status: result.status, stderr: result.stderr };
  }

  it("does nothing when a browser is found", () => {
    const chosen = executable(join(dir, "opt", "chrome"));
    expect(runScript({ CHROME_PATH: chosen })).toEqual({ status: 0, stderr: "" });
  });

  it("without a browser and without apt-get, installs nothing and says how to get one in one line", () => {
    const { status, stderr } = runScript({});
    expect(status).toBe(0);
    expect(stderr).toMatch(/^install-chromium: no Chromium found \(looked at .*\): set CHROME_PATH=\/path\/to\/chromium, or install one: apt-get install chromium .*\(the browser tests will fail until then\)\n$/);
  });

  it("names a wrong CHROME_PATH instead of looking elsewhere", () => {
    const { status, stderr } = runScript({ CHROME_PATH: join(dir, "nope") });
    expect(status).toBe(0);
    expect(stderr).toBe(`install-chromium: CHROME_PATH=${join(dir, "nope")} is not an executable file: point it at a Chromium or Chrome binary, or unset it (the browser tests will fail until then)\n`);
  });
});
