/**
 * node --import tsx bench/secrets.bench.ts [<repo-path>] [--rounds N] [--show N]
 *
 * What the secret redaction (src/secrets/) adds to reading a whole history: the
 * first-parent history is read into memory once, then, best of N rounds, every commit is
 * redacted as it enters the program (subject, body, patches) and its facts extracted, the
 * facts then redacted as well; the redaction's share is printed beside the extraction's.
 * Then what was redacted, by rule, with up to `--show` of the redacted lines (markers in
 * place of the values), to look at the false positives.
 */
import { performance } from "node:perf_hooks";
import { openBenchRepo } from "./bench-repo.js";
import { extractFacts } from "../src/facts/extract-facts.js";
import { countByRule, redactCommit, redactDeep, type CommitSecretFinding } from "../src/secrets/index.js";
import { readHistoryFromGit } from "../src/sources/git/read-log.js";
import type { Commit } from "../src/sources/types.js";

const { options, gitDir, tip } = await openBenchRepo({ rounds: "5", show: "40" });
const commits: Commit[] = [];
for await (const commit of readHistoryFromGit(tip, { gitDir })) commits.push(commit);
const lines = commits.reduce((sum, c) => sum + c.files.reduce((n, f) => n + f.additions + f.deletions, 0), 0);
const chars = commits.reduce((sum, c) => sum + c.subject.length + c.body.length + c.files.reduce((n, f) => n + f.patch.length, 0), 0);

const best = (values: number[]) => Math.min(...values);
const redactMs: number[] = [];
const factsMs: number[] = [];
const deepMs: number[] = [];
let findings: Array<CommitSecretFinding & { sha: string; text: string }> = [];
for (let round = 0; round < Number(options.rounds); round++) {
  // Fresh copies: redactCommit remembers what it has redacted and returns it unchanged.
  const fresh = commits.map((c) => ({ ...c }));
  findings = [];
  let start = performance.now();
  const redacted = fresh.map((c) => {
    const result = redactCommit(c);
    for (const f of result.findings) findings.push({ ...f, sha: c.sha, text: lineOf(result.commit, f) });
    return result.commit;
  });
  redactMs.push(performance.now() - start);
  start = performance.now();
  const facts = redacted.map((c) => extractFacts(c, { criticalPaths: [], ignorePaths: [] }));
  factsMs.push(performance.now() - start);
  start = performance.now();
  for (const f of facts) redactDeep(f);
  deepMs.push(performance.now() - start);
}

function lineOf(commit: Commit, f: CommitSecretFinding): string {
  const text = f.in === "subject" ? commit.subject : f.in === "body" ? commit.body : commit.files.find((file) => file.path === f.file)!.patch;
  return text.split("\n")[f.line - 1]!.slice(0, 200);
}

console.log(`${commits.length} commits, ${lines} changed lines, ${(chars / 1e6).toFixed(1)} M characters of message and patch text`);
console.log(`redact commits: ${best(redactMs).toFixed(0)} ms; redact facts: ${best(deepMs).toFixed(0)} ms; extract facts (patches only, for scale): ${best(factsMs).toFixed(0)} ms (best of ${options.rounds})`);
console.log(`${findings.length} values redacted, on ${new Set(findings.map((f) => `${f.sha}:${f.file}:${f.line}`)).size} lines:`, countByRule(findings));
for (const f of findings.slice(0, Number(options.show))) console.log(`  ${f.sha.slice(0, 10)} ${f.in === "patch" ? `${f.file}:${f.line}` : f.in}  ${f.rule}  ${f.text}`);
