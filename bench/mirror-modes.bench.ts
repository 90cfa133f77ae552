/**
 * `mirror: full | blobless | shallow` on a real history: clone, a one-day report, then the
 * next day's fetch and report, through the real CLI. The repository is served over file://
 * from a bare copy with uploadpack.allowFilter; its branch starts at the end of the first day
 * and moves to the next day's last commit before the second report.
 *
 *   node --import tsx bench/mirror-modes.bench.ts <path-to-a-clone> [YYYY-MM-DD]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [source, dayArg] = process.argv.slice(2);
if (!source) throw new Error("usage: mirror-modes.bench.ts <path-to-a-clone> [YYYY-MM-DD]");
const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");
// Resolved here: the CLI runs from temporary folders, where node would not find tsx.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const git = (args: string[], cwd?: string) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const root = mkdtempSync(join(tmpdir(), "mirror-bench-"));
const served = join(root, "served.git");
git(["clone", "-q", "--bare", source, served]);
git(["config", "uploadpack.allowFilter", "true"], served);
const branch = git(["symbolic-ref", "--short", "HEAD"], served);
const tip = git(["rev-parse", branch], served);
// Default: the day before the newest commit's day, so that "the next day" has commits.
const newestDay = git(["log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d", tip], served);
const day = dayArg ?? new Date(Date.parse(`${newestDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const endOfDay = (d: string) => git(["rev-list", "-1", "--first-parent", `--before=${nextDay(d)}T00:00:00Z`, tip], served);

function timed(fn: () => void): number {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The report's commits and facts, which must not depend on the mode. */
function factsOf(cwd: string, date: string): string {
  const file = readdirSync(join(cwd, "out")).find((name) => name.includes(date) && name.endsWith(".json"))!;
  const json = JSON.parse(readFileSync(join(cwd, "out", file), "utf8")) as { repos: Array<{ commits: Array<{ sha: string; facts: unknown }> }> };
  return JSON.stringify(json.repos[0]!.commits.map((commit) => [commit.sha, commit.facts]));
}
const reference = new Map<string, string>();
function check(mode: string, cwd: string, date: string): string {
  const facts = factsOf(cwd, date);
  if (mode === "full") reference.set(date, facts);
  const commits = (JSON.parse(facts) as unknown[]).length;
  return `${commits} commits${mode === "full" ? "" : reference.get(date) === facts ? ", = full" : ", DIFFERS from full"}`;
}

function report(cwd: string, dataDir: string, date: string): void {
  execFileSync(process.execPath, ["--import", TSX, MAIN, "report", "--date", date, "--analyzer", "rules", "--out", join(cwd, "out")], {
    cwd,
    env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", process.env.BENCH_VERBOSE ? "inherit" : "pipe"],
  });
}

const du = (path: string) => execFileSync("du", ["-sh", path], { encoding: "utf8" }).split("\t")[0];

const rows: string[] = [];
for (const mode of ["full", "blobless", "shallow"] as const) {
  git(["update-ref", `refs/heads/${branch}`, endOfDay(day)], served);
  const cwd = mkdtempSync(join(root, `${mode}-`));
  const dataDir = join(cwd, "data");
  writeFileSync(join(cwd, "repo-digest.yaml"), `timezone: UTC\nlanguage: en\noutput: { formats: [json] }\ngithub: { enabled: false }\nrepos:\n  - { name: bench/repo, url: "file://${served}", mirror: ${mode} }\n`);
  // The clone alone, as the first report makes it (`fetch` clones a missing mirror).
  const clone = timed(() => execFileSync(process.execPath, ["--import", TSX, MAIN, "fetch"], { cwd, env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir }, stdio: "ignore" }));
  const mirrorDir = join(dataDir, "mirrors", readdirSync(join(dataDir, "mirrors")).find((name) => name.endsWith(".git"))!);
  const cloned = du(mirrorDir);
  const first = timed(() => report(cwd, dataDir, day));
  const afterFirst = du(mirrorDir);
  const firstFacts = check(mode, cwd, day);
  git(["update-ref", `refs/heads/${branch}`, endOfDay(nextDay(day))], served);
  const second = timed(() => report(cwd, dataDir, nextDay(day)));
  if (process.env.BENCH_VERBOSE) console.error(mode, git(["log", "-1", "--format=%H %cI", "HEAD"], mirrorDir), git(["rev-parse", branch], served));
  rows.push(`| ${mode} | ${clone.toFixed(2)} s | ${cloned} | ${first.toFixed(2)} s (${firstFacts}) | ${afterFirst} | ${second.toFixed(2)} s (${check(mode, cwd, nextDay(day))}) | ${du(mirrorDir)} |`);
}
git(["update-ref", `refs/heads/${branch}`, tip], served);

console.log(`${source}, ${branch}: report of ${day}, then fetch + report of ${nextDay(day)} (git ${git(["--version"]).replace("git version ", "")})\n`);
console.log("| mode | clone | mirror | report day 1 | mirror after | fetch + report day 2 | mirror after |");
console.log("|---|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
rmSync(root, { recursive: true, force: true });
