/**
 * Commit text that tries to become markup or to deceive the eye, through the real CLI into
 * every format: a Markdown link with a `javascript:` target in a subject the summary
 * quotes, raw HTML, and a bidi override that would display a title reversed.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, makeTempDir, type TestRepo } from "../helpers/make-repo.js";
import { runCli } from "../helpers/run-cli.js";

const LINK = "[click me](javascript:alert(1))";
const BIDI = "\u202E";

let repo: TestRepo;
let out: string;
let dataDir: string;

beforeAll(async () => {
  repo = makeRepo();
  repo.write("src/app.py", "def run():\n    return 1\n");
  repo.commit({ message: "feat: start", date: "2026-01-17T08:00:00+00:00" });
  repo.write("src/app.py", "def run():\n    return 2\n");
  repo.commit({ message: `fix: ${LINK} and <img src=x onerror=alert(2)> ${BIDI}gnp.exe`, date: "2026-01-17T09:00:00+00:00" });
  out = makeTempDir();
  dataDir = makeTempDir();
  const run = await runCli(["report", "--repo", repo.dir, "--date", "2026-01-17", "--tz", "UTC", "--out", out, "-f", "md", "-f", "html", "-f", "json", "--lang", "en"], {
    cwd: repo.dir,
    dataDir,
  });
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.status).toBe(0);
});

afterAll(() => {
  repo.cleanup();
  rmSync(out, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const read = (extension: string): string => readFileSync(join(out, `2026-01-17--${repo.dir.split("/").pop()}.en.${extension}`), "utf8");

describe("hostile commit text", () => {
  it("makes no live link, image or tag in the Markdown report, and drops the bidi override", () => {
    const markdown = read("md");
    // A link opens at an unescaped `[` followed by `](`; none may exist with that target.
    expect(markdown).not.toMatch(/(?<!\\)\[[^\]\n]*(?<!\\)\]\(javascript:/);
    expect(markdown).not.toMatch(/<img/i);
    expect(markdown).toContain("click me");
    expect(markdown).not.toContain(BIDI);
  });

  it("keeps the HTML report free of the link target, the tag and the override", () => {
    const html = read("html");
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain(BIDI);
  });

  it("keeps the JSON title as the commit wrote it: a consumer escapes for where it places it", () => {
    const report = JSON.parse(read("json")) as { repos: Array<{ commits: Array<{ title: string }> }> };
    expect(report.repos[0]!.commits.map((commit) => commit.title)).toContain(`fix: ${LINK} and <img src=x onerror=alert(2)> ${BIDI}gnp.exe`);
  });
});
