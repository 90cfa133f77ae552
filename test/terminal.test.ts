/**
 * What a terminal shows, on a real pseudo-terminal: a progress line with a count, a
 * percentage and the time spent; colours unless NO_COLOR or --no-color says no; text log
 * lines by default and JSON lines with --log-format json. Off a terminal (a pipe, cron,
 * CI) no progress at all, and JSON log lines unless --log-format text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCount, formatDuration } from "../src/cli/progress.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";
import { runInTerminal } from "./helpers/run-in-terminal.js";

/** SGR sequences: colours and styles (cursor moves of the spinner are not colours). */
const SGR = /\u001b\[[0-9;]*m/;
const NO_COLOUR_ENV = { NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_DISABLE_COLORS: undefined };

let repo: TestRepo;

beforeAll(() => {
  repo = makeRepo();
  for (let index = 0; index < 6; index++) {
    repo.write(`src/mod${index}.py`, `def handler_${index}():\n    return ${index}\n`);
    repo.commit({ message: `feat: handler ${index}`, date: `2024-03-11T1${index}:00:00Z` });
  }
});

afterAll(() => repo.cleanup());

const reportArgs = () => ["report", "--repo", repo.dir, "--latest", "--tz", "UTC", "--out", makeTempDir(), "--format", "json"];

describe("on a terminal", () => {
  it("shows the count, the share and the time of long work, and colours the log lines", async () => {
    const run = await runInTerminal([...reportArgs(), "-v"], { cwd: makeTempDir(), dataDir: makeTempDir(), env: NO_COLOUR_ENV });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/analysing 6\/6 \(100%\) · 0:\d\d/);
    expect(run.output).toMatch(/reading commits 6\/6 \(100%\) · 0:\d\d/);
    expect(run.output).toMatch(SGR);
    // Text lines, not JSON.
    expect(run.output).toMatch(/DEBUG.*listed commits/);
    expect(run.output).not.toMatch(/^\{"level"/m);
  });

  it.each([
    ["NO_COLOR=1", [], { ...NO_COLOUR_ENV, NO_COLOR: "1" }],
    ["--no-color", ["--no-color"], NO_COLOUR_ENV],
  ])("has no colour with %s", async (_name, flags, env) => {
    const run = await runInTerminal([...flags, ...reportArgs(), "-v"], { cwd: makeTempDir(), dataDir: makeTempDir(), env });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/DEBUG.*listed commits/);
    expect(run.output).not.toMatch(SGR);
  });

  it("writes JSON log lines with --log-format json", async () => {
    const run = await runInTerminal(["--log-format", "json", ...reportArgs(), "-v"], { cwd: makeTempDir(), dataDir: makeTempDir(), env: NO_COLOUR_ENV });
    expect(run.status, run.output).toBe(0);
    const logLines = run.output.split(/\r?\n/).map((line) => line.replace(/^.*?(\{"level")/, "$1")).filter((line) => line.startsWith('{"level"'));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
  });

  it("shows no spinner on a terminal that reports no width, rather than redrawing without end", async () => {
    const run = await runInTerminal(reportArgs(), { cwd: makeTempDir(), dataDir: makeTempDir(), env: NO_COLOUR_ENV, columns: 0 });
    expect(run.status, run.output).toBe(0);
    expect(run.output).not.toContain("analysing");
    expect(run.output.length).toBeLessThan(10_000);
  });
});

describe("off a terminal", () => {
  it("shows no progress, and logs JSON lines, or text with --log-format text", async () => {
    const json = await runCli([...reportArgs(), "-v"], { cwd: makeTempDir(), dataDir: makeTempDir() });
    expect(json.status, json.stderr).toBe(0);
    expect(json.stderr).not.toContain("analysing");
    expect(json.stderr).toMatch(/^\{"level":"debug".*"msg":"listed commits"/m);
    const text = await runCli(["--log-format", "text", ...reportArgs(), "-v"], { cwd: makeTempDir(), dataDir: makeTempDir() });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^DEBUG: listed commits/m);
    expect(text.stderr).not.toMatch(SGR);
  });

  it("refuses a log format it does not know with exit 2", async () => {
    const run = await runCli(["--log-format", "xml", "report"], { cwd: makeTempDir(), dataDir: makeTempDir() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^repo-digest: option '--log-format <format>' argument 'xml' is invalid/);
  });
});

describe("formatCount", () => {
  it("adds the share, the time spent and, once there is a rate, the time left", () => {
    expect(formatCount("nixl: analysing", 0, 300, 0)).toBe("nixl: analysing 0/300 (0%) · 0:00");
    expect(formatCount("nixl: analysing", 2, 300, 500)).toBe("nixl: analysing 2/300 (0%) · 0:01");
    expect(formatCount("nixl: analysing", 120, 300, 42_000)).toBe("nixl: analysing 120/300 (40%) · 0:42 · ETA 1:03");
    expect(formatCount("nixl: analysing", 300, 300, 90_000)).toBe("nixl: analysing 300/300 (100%) · 1:30");
  });

  it("writes hours when there are some", () => {
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(59_400)).toBe("0:59");
  });
});
