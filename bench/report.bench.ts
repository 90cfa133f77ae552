/**
 * npm run bench [-- <repo-path>] [--rounds N] [--wide 5000,10000,20000,40000] [--used-by <path>] [--days N]
 *
 * The whole job a user runs: the CLI process (`node dist/main.js report`) over the
 * repository's whole first-parent history, every stage (read, facts with the structural
 * pass, analysis, store, Markdown and JSON), cold (a new data dir) and warm (the same
 * again), against `git log -p --numstat` on the same range in the same run. Rounds
 * alternate the three so that the machine's drift hits them alike; the best and the median
 * of each are printed. Then wide commits (one commit of N files each) to show the cost
 * grows linearly with the number of files. With --used-by: the daily report (the newest --days
 * days) with and without that folder as `usedBy`, warm, alternated, so that what matching
 * against the user's code adds (its index re-used while the folder's HEAD stands still) is
 * measured on the job a user runs every day; the first run with it (the index built) too.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { openBenchRepo } from "./bench-repo.js";

const { options, repo, gitDir, tip } = await openBenchRepo({ rounds: "3", wide: "5000,10000,20000,40000", "used-by": "", days: "1" });
const rounds = Number(options.rounds);
const cli = resolve(import.meta.dirname, "../dist/main.js");
if (!existsSync(cli)) {
  process.stderr.write("bench: dist/main.js is missing; run `npm run build` first\n");
  process.exit(2);
}

const commitCount = Number(execFileSync("git", ["--git-dir", gitDir, "rev-list", "--first-parent", "--count", tip], { encoding: "utf8" }).trim());
const firstDay = execFileSync("git", ["--git-dir", gitDir, "log", "--first-parent", "--format=%cs", "--reverse", tip], { encoding: "utf8" }).split("\n")[0]!;
const until = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);

function time(command: string, args: string[], env: Record<string, string> = {}): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ ms: performance.now() - start, code, stderr }));
  });
}

async function report(dataDir: string, out: string, repoPath: string, since: string, extra: string[] = []): Promise<number> {
  const range = since === "latest" ? ["--latest", "--days", options.days] : ["--since", since, "--until", until];
  const result = await time(
    process.execPath,
    [cli, "report", "--repo", repoPath, ...range, "--tz", "UTC", "-f", "md", "-f", "json", "--out", out, "--no-fetch", "-q", ...extra],
    { REPO_DIGEST_DATA_DIR: dataDir },
  );
  if (result.code !== 0) throw new Error(`report exited ${result.code}: ${result.stderr.trim()}`);
  return result.ms;
}

const samples = { git: [] as number[], cold: [] as number[], warm: [] as number[] };
for (let round = 0; round < rounds; round++) {
  const work = mkdtempSync(join(tmpdir(), "repo-digest-bench-"));
  try {
    const git = async () => {
      const result = await time("git", ["--git-dir", gitDir, "log", "-p", "--numstat", "--first-parent", tip]);
      samples.git.push(result.ms);
    };
    const cold = async () => samples.cold.push(await report(join(work, "data"), join(work, "out"), repo, firstDay));
    const warm = async () => samples.warm.push(await report(join(work, "data"), join(work, "out"), repo, firstDay));
    // Alternate which goes first; warm needs the cold run's store, so it follows it.
    if (round % 2 === 0) {
      await git();
      await cold();
      await warm();
    } else {
      await cold();
      await warm();
      await git();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const best = (values: number[]) => Math.min(...values);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => Math.round(value);
const history = {
  repository: repo,
  commits: commitCount,
  rounds,
  gitLogMs: { best: ms(best(samples.git)), median: ms(median(samples.git)) },
  coldReportMs: { best: ms(best(samples.cold)), median: ms(median(samples.cold)) },
  warmReportMs: { best: ms(best(samples.warm)), median: ms(median(samples.warm)) },
  coldRatio: +(median(samples.cold) / median(samples.git)).toFixed(2),
  warmRatio: +(median(samples.warm) / median(samples.git)).toFixed(2),
  targets: { cold: "≤ 2x", warm: "≤ 1x" },
};

/** One commit of `files` small files in a fresh repository: the report's cost per file must not grow with the count. */
async function wideCommit(files: number): Promise<{ files: number; ms: number; perFileUs: number }> {
  const work = mkdtempSync(join(tmpdir(), "repo-digest-wide-"));
  try {
    const dir = join(work, "repo");
    mkdirSync(dir);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore", env: { ...process.env, GIT_AUTHOR_DATE: "2026-01-17T10:00:00Z", GIT_COMMITTER_DATE: "2026-01-17T10:00:00Z", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@e", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@e" } });
    git("init", "-q", "-b", "main");
    for (let i = 0; i < files; i++) {
      const folder = join(dir, "src", `m${i % 100}`);
      if (i < 100) mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `f${i}.py`), `def f${i}(x):\n    return x + ${i}\n`);
    }
    git("add", "-A");
    git("commit", "-q", "-m", `feat: ${files} files`);
    const elapsed = await report(join(work, "data"), join(work, "out"), dir, "2026-01-17");
    return { files, ms: ms(elapsed), perFileUs: Math.round((elapsed * 1000) / files) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The daily report warm, with and without `usedBy`, alternated: what matching costs a user every day. */
async function usedByCost(usedBy: string) {
  const work = mkdtempSync(join(tmpdir(), "repo-digest-usedby-"));
  try {
    const data = join(work, "data");
    const out = join(work, "out");
    const withIt = ["--used-by", resolve(usedBy)];
    await report(data, out, repo, "latest");
    const firstWith = await report(data, out, repo, "latest", withIt);
    const without: number[] = [];
    const withUsage: number[] = [];
    for (let round = 0; round < Math.max(5, rounds * 2); round++) {
      if (round % 2 === 0) {
        without.push(await report(data, out, repo, "latest"));
        withUsage.push(await report(data, out, repo, "latest", withIt));
      } else {
        withUsage.push(await report(data, out, repo, "latest", withIt));
        without.push(await report(data, out, repo, "latest"));
      }
    }
    return {
      usedBy: resolve(usedBy),
      days: Number(options.days),
      firstRunWithIndexBuiltMs: ms(firstWith),
      warmWithoutMs: { best: ms(best(without)), median: ms(median(without)) },
      warmWithMs: { best: ms(best(withUsage)), median: ms(median(withUsage)) },
      addedPercent: +((median(withUsage) / median(without) - 1) * 100).toFixed(1),
      target: "≤ 5%",
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const usage = options["used-by"] ? await usedByCost(options["used-by"]) : undefined;

const wide = [];
for (const files of options.wide.split(",").map(Number).filter((n) => n > 0)) wide.push(await wideCommit(files));

process.stdout.write(`${JSON.stringify({ history, ...(usage ? { usedBy: usage } : {}), wideCommits: wide }, null, 2)}\n`);
