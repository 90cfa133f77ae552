/**
 * npm run bench [-- <repo-path>] [--rounds N]
 *
 * Ingest and fact extraction over the whole first-parent history of a repository
 * (default: this one), against `git log -p --numstat` alone on the same range,
 * measured in the same run, alternating, best of N rounds. Prints commits per second,
 * peak memory and the ratio of our time to git's.
 */
import { openBenchRepo } from "./bench-repo.js";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { extractFacts } from "../src/facts/extract-facts.js";
import { readHistoryFromGit } from "../src/sources/git/read-log.js";
import { runGit } from "../src/sources/git/run-git.js";

const { options, repo, gitDir, tip } = await openBenchRepo({ rounds: "3" });
const rounds = Number(options.rounds);
const commitCount = Number((await runGit(["rev-list", "--first-parent", "--count", tip], { gitDir })).trim());

/** git alone: the baseline, its output drained and thrown away. */
function timeGitLog(): Promise<{ ms: number; bytes: number }> {
  return new Promise((done, fail) => {
    const start = performance.now();
    let bytes = 0;
    const child = spawn("git", ["--git-dir", gitDir, "log", "-p", "--numstat", "--first-parent", tip], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done({ ms: performance.now() - start, bytes }) : fail(new Error(`git exited ${code}`))));
  });
}

/** Ours: one git process, parsed as it streams, facts for every commit. */
async function timeIngest(): Promise<{ ms: number; commits: number; files: number; facts: number }> {
  const start = performance.now();
  let commits = 0;
  let files = 0;
  let facts = 0;
  for await (const commit of readHistoryFromGit(tip, { gitDir })) {
    const extracted = extractFacts(commit, { criticalPaths: [], ignorePaths: [] });
    commits += 1;
    files += commit.files.length;
    facts += extracted.symbols.length + extracted.dependencies.length + extracted.surface.length + extracted.signals.length;
  }
  return { ms: performance.now() - start, commits, files, facts };
}

const git: number[] = [];
const ours: number[] = [];
let last: Awaited<ReturnType<typeof timeIngest>> | undefined;
let gitBytes = 0;
for (let round = 0; round < rounds; round++) {
  const baseline = await timeGitLog();
  git.push(baseline.ms);
  gitBytes = baseline.bytes;
  last = await timeIngest();
  ours.push(last.ms);
}

const best = (values: number[]) => Math.min(...values);
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const result = {
  repository: repo,
  commits: last!.commits,
  expectedCommits: commitCount,
  files: last!.files,
  factsFound: last!.facts,
  gitLogPatchMiB: +(gitBytes / 1024 / 1024).toFixed(1),
  rounds,
  gitLogMs: Math.round(best(git)),
  oursMs: Math.round(best(ours)),
  ratio: +(best(ours) / best(git)).toFixed(2),
  commitsPerSecond: Math.round(last!.commits / (best(ours) / 1000)),
  peakRssMiB: Math.round(peakRssMiB),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (result.commits !== commitCount) {
  process.stderr.write(`bench: read ${result.commits} commits but the history has ${commitCount}\n`);
  process.exitCode = 1;
}
