/**
 * node --import tsx bench/facts.bench.ts [<repo-path>] [--rounds N]
 *
 * Fact extraction alone, without git: reads the first-parent history of a repository
 * (default: this one) into memory once, then times each extractor and the whole of
 * `extractFacts` over every file of every commit, best of N rounds (default 3).
 * Prints JSON: best milliseconds per case, commits, files and patch size.
 */
import { openBenchRepo } from "./bench-repo.js";
import { performance } from "node:perf_hooks";
import { classifyFile } from "../src/facts/classify-file.js";
import { extractDependencyChanges } from "../src/facts/dependencies.js";
import { extractFacts } from "../src/facts/extract-facts.js";
import { parseMessage } from "../src/facts/parse-message.js";
import { parsePatch } from "../src/facts/patch-scan.js";
import { extractSignals } from "../src/facts/signals.js";
import { extractSurfaceChanges } from "../src/facts/surface.js";
import { extractSymbolChanges } from "../src/facts/symbols.js";
import { extractTestChanges } from "../src/facts/tests-changed.js";
import { readHistoryFromGit } from "../src/sources/git/read-log.js";
import type { Commit } from "../src/sources/types.js";

const { options, repo, gitDir, tip } = await openBenchRepo({ rounds: "3" });
const rounds = Number(options.rounds);

const readStart = performance.now();
const commits: Commit[] = [];
for await (const commit of readHistoryFromGit(tip, { gitDir })) commits.push(commit);
const readMs = performance.now() - readStart;

const files = commits.flatMap((commit) => commit.files);
const classes = files.map((file) => classifyFile(file.path));
const noOptions = { criticalPaths: [], ignorePaths: [] };

/**
 * Each extractor over every file, without extractFacts' skipping of ignored and
 * machine-written files, and each splitting the patch itself (extractFacts splits it
 * once for all of them; `parse` is that split alone), so that each one's cost stands
 * on its own.
 */
const cases: Record<string, () => unknown> = {
  parse: () => files.map((file) => parsePatch(file.patch).sides),
  classify: () => files.map((file) => classifyFile(file.path)),
  message: () => commits.map((commit) => parseMessage(commit.subject, commit.body, commit.author)),
  dependencies: () => files.map((file) => extractDependencyChanges(file)),
  surface: () => files.map((file, i) => extractSurfaceChanges(file, classes[i]!.language)),
  symbols: () => files.map((file, i) => extractSymbolChanges(file, classes[i]!.language)),
  tests: () => files.map((file, i) => extractTestChanges(file, classes[i]!.kind, classes[i]!.language)),
  signals: () => files.map((file, i) => extractSignals(file, classes[i]!.kind)),
  extractFacts: () => commits.map((commit) => extractFacts(commit, noOptions)),
};

const bestMs: Record<string, number> = {};
for (const [name, run] of Object.entries(cases)) {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  bestMs[name] = Math.round(best);
}

const result = {
  repository: repo,
  commits: commits.length,
  files: files.length,
  patchMiB: +(files.reduce((sum, file) => sum + file.patch.length, 0) / 1024 / 1024).toFixed(1),
  rounds,
  readMs: Math.round(readMs),
  bestMs,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
