/**
 * npm run eval [-- --mirrors <dir>] [--fetch] [--set labels|holdout] [--repo owner/name] [--show mismatches|all] [--json <file>]
 *
 * The facts layer and the rules analyzer against the labelled set (eval/README.md): the
 * same FactReader and analyzer the CLI runs, over the labelled commits of each repository,
 * read through one `git log` and one `git cat-file` process per repository. Prints, per
 * repository and in total: tier agreement (exact, within one), change-type agreement,
 * claims the labels require that the report makes, false claims (those the labels forbid,
 * and public-API removals git shows are not removals), and the share of the report's own
 * claims that hold against the diff.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { analyzeWithRules } from "../src/analysis/rules/rules-analyzer.js";
import { classifyPublicApi, findRelease, listDependencies } from "../src/analysis/rules/fact-queries.js";
import { DEFAULT_SCORING } from "../src/analysis/rules/weights.js";
import type { CommitAnalysis, Importance } from "../src/analysis/types.js";
import { FactReader } from "../src/facts/fact-reader.js";
import type { CommitFacts } from "../src/facts/types.js";
import { GitBlobReader } from "../src/sources/git/blob-reader.js";
import { readCommitsFromGit } from "../src/sources/git/read-log.js";
import type { Commit } from "../src/sources/types.js";

interface LabelClaim {
  kind: string;
  name?: string;
  change?: string;
  detail?: string;
}

interface LabelledCommit {
  sha: string;
  subject: string;
  tier: Importance;
  type?: string;
  why?: string;
  mustClaim?: LabelClaim[];
  mustNotClaim?: LabelClaim[];
}

interface LabelFile {
  repo: string;
  url: string;
  commits: LabelledCommit[];
}

/** A claim the report makes, in the labels' vocabulary, with what a check needs. */
interface Claim extends LabelClaim {
  file?: string;
  line?: number;
  text?: string;
}

const { values } = parseArgs({
  options: {
    mirrors: { type: "string" },
    fetch: { type: "boolean" },
    repo: { type: "string" },
    show: { type: "string" },
    json: { type: "string" },
    set: { type: "string", default: "labels" },
  },
});

const here = resolve(import.meta.dirname);
const repoUrls = JSON.parse(readFileSync(join(here, "repos.json"), "utf8")) as Record<string, string>;
// `labels` is the set the rules were calibrated on; `holdout` was labelled afterwards, unseen by the calibration.
const setDir = join(here, values.set === "holdout" ? "holdout" : "labels");
const labelFiles = readdirSync(setDir)
  .filter((name) => name.endsWith(".json"))
  .map((name) => JSON.parse(readFileSync(join(setDir, name), "utf8")) as LabelFile)
  .filter((file) => values.repo === undefined || file.repo === values.repo);

const RANK: Record<Importance, number> = { high: 2, medium: 1, low: 0 };

interface RepoResult {
  repo: string;
  commits: number;
  exact: number;
  withinOne: number;
  typeLabelled: number;
  typeAgree: number;
  mustClaims: number;
  mustHit: number;
  forbiddenMade: number;
  falseApiRemovals: number;
  claimsChecked: number;
  claimsTrue: number;
  confusion: Record<string, number>;
  rows: Array<Record<string, unknown>>;
}


function locateMirror(repo: string): string {
  const [owner, name] = repo.split("/") as [string, string];
  const candidates = [
    ...(values.mirrors ? [join(values.mirrors, `${owner}+${name}`, "repo"), join(values.mirrors, `${owner}__${name}.git`)] : []),
    join(here, ".repos", `${owner}__${name}.git`),
    join("/work/.mirror", `${owner}+${name}`, "repo"),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, "HEAD")));
  if (found) return found;
  if (!values.fetch) {
    process.stderr.write(`eval: no clone of ${repo}; run with --fetch (clones ${repoUrls[repo]} into eval/.repos) or --mirrors <dir>\n`);
    process.exit(2);
  }
  const target = join(here, ".repos", `${owner}__${name}.git`);
  mkdirSync(join(here, ".repos"), { recursive: true });
  execFileSync("git", ["clone", "--mirror", "--quiet", repoUrls[repo]!, target], { stdio: "inherit" });
  return target;
}

async function evaluateRepo(file: LabelFile, gitDir: string): Promise<RepoResult> {
  const result: RepoResult = {
    repo: file.repo,
    commits: 0,
    exact: 0,
    withinOne: 0,
    typeLabelled: 0,
    typeAgree: 0,
    mustClaims: 0,
    mustHit: 0,
    forbiddenMade: 0,
    falseApiRemovals: 0,
    claimsChecked: 0,
    claimsTrue: 0,
    confusion: {},
    rows: [],
  };
  const labels = new Map(file.commits.map((commit) => [commit.sha, commit]));
  const reader = new FactReader(new GitBlobReader(gitDir));
  try {
    for await (const commit of readCommitsFromGit([...labels.keys()], { gitDir })) {
      const label = labels.get(commit.sha)!;
      const facts = await reader.read(commit, { criticalPaths: [], ignorePaths: [] });
      const analysis = analyzeWithRules({ commit, facts, lang: "en" }, { scoring: DEFAULT_SCORING, criticalPaths: [] });
      scoreCommit(result, label, commit, facts, analysis, gitDir);
    }
  } finally {
    await reader.close();
  }
  return result;
}

function scoreCommit(result: RepoResult, label: LabelledCommit, commit: Commit, facts: CommitFacts, analysis: CommitAnalysis, gitDir: string): void {
  result.commits += 1;
  const distance = Math.abs(RANK[label.tier] - RANK[analysis.importance]);
  if (distance === 0) result.exact += 1;
  if (distance <= 1) result.withinOne += 1;
  const cell = `${label.tier}→${analysis.importance}`;
  result.confusion[cell] = (result.confusion[cell] ?? 0) + 1;
  if (label.type) {
    result.typeLabelled += 1;
    if (label.type === analysis.changeType) result.typeAgree += 1;
  }
  const claims = listClaims(facts, analysis);
  const missed: LabelClaim[] = [];
  for (const wanted of label.mustClaim ?? []) {
    result.mustClaims += 1;
    if (claims.some((claim) => matches(claim, wanted, facts))) result.mustHit += 1;
    else missed.push(wanted);
  }
  const forbidden: Claim[] = [];
  for (const banned of label.mustNotClaim ?? []) {
    const made = claims.find((claim) => matches(claim, banned, facts));
    if (made) {
      result.forbiddenMade += 1;
      forbidden.push(made);
    }
  }
  const untrue: Claim[] = [];
  for (const claim of claims) {
    // A claim the labels require is true by the labeller's reading of the diff; the rest are checked mechanically.
    const required = (label.mustClaim ?? []).some((wanted) => matches(claim, wanted, facts));
    const verdict = required ? true : checkClaim(claim, commit, facts, gitDir);
    if (verdict === undefined) continue;
    result.claimsChecked += 1;
    if (verdict) result.claimsTrue += 1;
    else {
      untrue.push(claim);
      if (claim.kind === "api" && claim.change === "removed") result.falseApiRemovals += 1;
    }
  }
  const mismatch = distance > 0 || missed.length > 0 || forbidden.length > 0 || untrue.length > 0;
  if (values.show === "all" || (values.show === "mismatches" && mismatch)) {
    result.rows.push({
      sha: commit.sha.slice(0, 9),
      subject: commit.subject.slice(0, 90),
      label: label.tier,
      got: analysis.importance,
      type: `${label.type ?? "?"}/${analysis.changeType}`,
      reasons: analysis.reasons.map((reason) => `${reason.code}(${reason.weight})`).join(" "),
      why: label.why,
      ...(missed.length ? { missed } : {}),
      ...(forbidden.length ? { forbidden } : {}),
      ...(untrue.length ? { untrue } : {}),
    });
  }
}

/** What the report says, as claims in the labels' vocabulary. */
function listClaims(facts: CommitFacts, analysis: CommitAnalysis): Claim[] {
  const claims: Claim[] = [];
  const api = classifyPublicApi(facts);
  for (const [change, list] of [
    ["added", api.added],
    ["removed", api.removed],
    ["renamed", api.renamed],
    ["signature", api.signature],
  ] as const) {
    for (const symbol of list) {
      // Public before and private after: removed from the public API, though still defined.
      const hidden = change === "signature" && symbol.signature?.visibility?.from === "public";
      claims.push({ kind: "api", name: symbol.name, change: hidden ? "removed" : change, ...(hidden ? { detail: "hidden" } : {}), file: symbol.origin.file, ...(symbol.origin.line ? { line: symbol.origin.line } : {}) });
    }
  }
  for (const moved of api.moved) claims.push({ kind: "api", name: moved.name, change: "moved", file: moved.to });
  for (const entry of facts.surface) {
    if (entry.wellKnown) continue;
    if (entry.area !== "product" && !(entry.area === "build" && entry.kind === "env-var")) continue;
    if (entry.kind === "env-var" && entry.access !== "read") continue;
    claims.push({ kind: entry.kind, name: entry.name, change: entry.change, file: entry.origin.file, ...(entry.origin.line ? { line: entry.origin.line } : {}) });
  }
  for (const dependency of listDependencies(facts)) {
    if (dependency.internal) continue;
    claims.push({
      kind: "dependency",
      name: dependency.name,
      change: dependency.change,
      // As the report groups them (fact-queries.ts listThirdPartyDependencies): runtime, build, dev.
      detail: dependency.scope === "runtime" || dependency.scope === "optional" || dependency.scope === "peer" ? "runtime" : dependency.scope === "build" ? "build" : "dev",
      file: dependency.origin.file,
      ...(dependency.to ? { text: dependency.to } : {}),
    });
  }
  for (const signal of facts.signals) {
    claims.push({ kind: "signal", name: signal.kind, change: signal.change, file: signal.origin.file, ...(signal.origin.line ? { line: signal.origin.line } : {}), text: signal.text });
  }
  if (facts.message.breaking || analysis.reasons.some((reason) => reason.code === "breaking-change" || reason.code === "api-break" || reason.code === "cli-break")) claims.push({ kind: "breaking" });
  const analysed = facts.files.filter((file) => !file.ignored);
  if (analysed.length > 0 && analysed.every((file) => file.formattingOnly)) claims.push({ kind: "formatting" });
  // A release as the report calls one (its type, its reason): a version line that moves, even
  // down (`0.2.1 → 0.2.0` beside a benchmark), is listed under "Versions" and claims no release.
  const release = findRelease(facts);
  if (release !== undefined || analysis.changeType === "release") claims.push({ kind: "release", ...(release ? { name: release } : {}) });
  if (facts.message.isRevert) claims.push({ kind: "revert", ...(facts.message.revertedSha ? { name: facts.message.revertedSha } : {}) });
  for (const test of facts.tests) claims.push({ kind: "test", name: test.name, change: test.change });
  for (const point of facts.message.points) claims.push({ kind: "words", name: point });
  if (facts.message.prTitle) claims.push({ kind: "words", name: facts.message.prTitle });
  return claims;
}

function matches(claim: Claim, label: LabelClaim, facts: CommitFacts): boolean {
  if (claim.kind !== label.kind) return false;
  if (label.change !== undefined && claim.change !== label.change) {
    // A label's "changed" flag covers renamed and changed; "upgraded" covers any version move.
    const loose = (label.change === "changed" && claim.change === "renamed") || (label.kind === "dependency" && label.change !== "added" && label.change !== "removed" && claim.change !== "added" && claim.change !== "removed");
    if (!loose) return false;
  }
  if (label.detail !== undefined && label.kind === "dependency" && claim.detail !== label.detail) return false;
  if (label.name === undefined) return true;
  if (claim.name === undefined) return false;
  const wanted = label.name.toLowerCase();
  const got = claim.name.toLowerCase();
  switch (label.kind) {
    case "api":
      // A member's claim (`CliRunner.__init__`) is a claim about its class (`CliRunner`).
      return (
        got === wanted ||
        got.endsWith(`.${wanted}`) ||
        got.endsWith(`::${wanted}`) ||
        wanted.endsWith(`.${got}`) ||
        wanted.endsWith(`::${got}`) ||
        got.startsWith(`${wanted}.`) ||
        got.startsWith(`${wanted}::`)
      );
    case "words":
      return got.includes(wanted) || wanted.includes(got);
    case "release":
      return got.replace(/^v/, "") === wanted.replace(/^v/, "");
    case "revert":
      return got.startsWith(wanted) || wanted.startsWith(got);
    case "test":
      return got === wanted || got.endsWith(wanted) || got.includes(wanted);
    case "dependency":
      return normaliseDependency(got) === normaliseDependency(wanted);
    default:
      return got === wanted;
  }
  void facts;
}

function normaliseDependency(name: string): string {
  return name.replace(/[-_.]+/g, "-");
}

/**
 * Whether a claim holds against the commit: true, false, or undefined where no mechanical
 * check applies. A public-API removal is false when git still finds the definition after
 * the commit; a claim about a line must point at a line the commit changed, in a file of
 * the kind the claim needs.
 */
function checkClaim(claim: Claim, commit: Commit, facts: CommitFacts, gitDir: string): boolean | undefined {
  const file = claim.file ? facts.files.find((f) => f.path === claim.file) : undefined;
  const change = claim.file ? commit.files.find((f) => f.path === claim.file) : undefined;
  switch (claim.kind) {
    case "api": {
      if (!file || file.kind !== "source") return false;
      if (claim.change === "signature" || claim.detail === "hidden") return change && claim.line ? changedNear(change.patch, claim.line, 25) : undefined;
      if (claim.change !== "removed" && claim.change !== "renamed") return change ? patchMentions(change.patch, shortName(claim.name!)) : undefined;
      if (claim.change === "renamed") return undefined;
      // A member (`Agent.connect`) is still there only if its container is, and the member with it.
      const parts = claim.name!.split(/::|\./).filter((part) => part !== "" && !part.startsWith("<"));
      const container = parts.length > 1 ? parts[parts.length - 2]! : undefined;
      if (container !== undefined) {
        const files = filesDefining(gitDir, commit.sha, container);
        return files.length === 0 || !definedAfter(gitDir, commit.sha, shortName(claim.name!), files);
      }
      return !definedAfter(gitDir, commit.sha, shortName(claim.name!));
    }
    case "env-var":
    case "cli-flag":
    case "config-key": {
      if (!file || !change) return false;
      if (!["source", "config", "other", "build"].includes(file.kind) || file.formattingOnly) return false;
      const bare = claim.name!.replace(/^-+/, "");
      return changedLineMentions(change.patch, bare) || (claim.change === "changed" && claim.line !== undefined && changedNear(change.patch, claim.line, 12));
    }
    case "dependency": {
      if (!change) return false;
      const version = claim.text === undefined || claim.text === "*" ? undefined : claim.text;
      return patchMentions(change.patch, claim.name!.split("/").pop()!) && (version === undefined || patchMentions(change.patch, version));
    }
    case "signal": {
      if (!file || !change || file.formattingOnly) return false;
      if (claim.name !== "secret" && file.kind !== "source" && file.kind !== "config") return false;
      return claim.line === undefined ? undefined : lineChanged(change.patch, claim.line, claim.change === "removed");
    }
    default:
      return undefined;
  }
}

function shortName(name: string): string {
  return name.split(/::|\./).pop()!.replace(/^<.*>$/, "");
}

function definitionPattern(name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return `(def|class|fn|struct|enum|trait|type|interface|func|function|const|let|var|impl|namespace|macro_rules!)[[:space:]]+(\\([^)]*\\)[[:space:]]*)?${escaped}\\b|[[:space:]*&:]${escaped}[[:space:]]*[(<]`;
}

const definedCache = new Map<string, boolean>();
/** A definition of `name` in the tree after the commit (any of the languages' definition forms), in `files` when given. */
function definedAfter(gitDir: string, sha: string, name: string, files: readonly string[] = []): boolean {
  const key = `${sha}:${name}:${files.join(",")}`;
  const known = definedCache.get(key);
  if (known !== undefined) return known;
  let found = false;
  try {
    execFileSync("git", ["--git-dir", gitDir, "grep", "-q", "-E", definitionPattern(name), sha, "--", ...files], { stdio: "ignore" });
    found = true;
  } catch {
    found = false;
  }
  definedCache.set(key, found);
  return found;
}

/** Files that define a class, struct, trait, interface, impl or namespace `name` after the commit. */
function filesDefining(gitDir: string, sha: string, name: string): string[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  try {
    const out = execFileSync("git", ["--git-dir", gitDir, "grep", "-l", "-E", `(class|struct|trait|interface|impl|namespace|type|enum)[[:space:]]+${escaped}\\b|impl(<[^>]*>)?[[:space:]]+([[:alnum:]_:]+[[:space:]]+for[[:space:]]+)?${escaped}\\b`, sha, "--"], { encoding: "utf8" });
    return out.split("\n").filter(Boolean).map((line) => line.slice(sha.length + 1));
  } catch {
    return [];
  }
}

function patchMentions(patch: string, text: string): boolean {
  return patch.includes(text);
}

function changedLineMentions(patch: string, text: string): boolean {
  return patch.split("\n").some((line) => (line.startsWith("+") || line.startsWith("-")) && line.includes(text));
}

/** Whether an added line stands within `span` lines after `line` of the new side (a declaration spread over lines). */
function changedNear(patch: string, line: number, span: number): boolean {
  for (let at = line; at <= line + span; at++) if (lineChanged(patch, at, false)) return true;
  return false;
}

/** Whether line `line` of the new (or old) side is an added (or removed) line of the patch. */
function lineChanged(patch: string, line: number, oldSide: boolean): boolean {
  let oldLine = 0;
  let newLine = 0;
  for (const raw of patch.split("\n")) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      continue;
    }
    if (raw.startsWith("+")) {
      if (!oldSide && newLine === line) return true;
      newLine += 1;
    } else if (raw.startsWith("-")) {
      if (oldSide && oldLine === line) return true;
      oldLine += 1;
    } else if (raw.startsWith(" ")) {
      oldLine += 1;
      newLine += 1;
    }
  }
  return false;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "  —  " : `${((100 * part) / whole).toFixed(1)}%`;
}

function printResults(all: RepoResult[]): void {
  const total = all.reduce(
    (sum, r) => {
      for (const key of Object.keys(sum) as Array<keyof typeof sum>) (sum[key] as number) += r[key] as number;
      return sum;
    },
    { commits: 0, exact: 0, withinOne: 0, typeLabelled: 0, typeAgree: 0, mustClaims: 0, mustHit: 0, forbiddenMade: 0, falseApiRemovals: 0, claimsChecked: 0, claimsTrue: 0 },
  );
  const line = (name: string, r: typeof total) =>
    [
      name.padEnd(26),
      String(r.commits).padStart(5),
      percent(r.exact, r.commits).padStart(7),
      percent(r.withinOne, r.commits).padStart(7),
      percent(r.typeAgree, r.typeLabelled).padStart(7),
      `${r.mustHit}/${r.mustClaims}`.padStart(8),
      String(r.forbiddenMade).padStart(6),
      String(r.falseApiRemovals).padStart(6),
      `${r.claimsTrue}/${r.claimsChecked} ${percent(r.claimsTrue, r.claimsChecked)}`.padStart(15),
    ].join(" ");
  const out: string[] = [];
  out.push(["repository".padEnd(26), "n".padStart(5), "exact".padStart(7), "±1".padStart(7), "type".padStart(7), "must".padStart(8), "false".padStart(6), "apiRm✗".padStart(6), "claims true".padStart(15)].join(" "));
  for (const r of all) out.push(line(r.repo, r));
  out.push(line("total", total));
  out.push("");
  const cells = new Map<string, number>();
  for (const r of all) for (const [cell, n] of Object.entries(r.confusion)) cells.set(cell, (cells.get(cell) ?? 0) + n);
  out.push(`tiers (label→ours): ${[...cells].sort().map(([cell, n]) => `${cell} ${n}`).join(", ")}`);
  out.push(`false = claims the labels forbid that the report makes; apiRm✗ = public-API removals git shows are not removals`);
  process.stdout.write(`${out.join("\n")}\n`);
  for (const r of all) {
    for (const row of r.rows) process.stdout.write(`\n${r.repo} ${JSON.stringify(row, null, 1).replace(/\n\s*/g, " ")}`);
  }
  if (all.some((r) => r.rows.length > 0)) process.stdout.write("\n");
}

const results: RepoResult[] = [];
for (const file of labelFiles) {
  const gitDir = locateMirror(file.repo);
  results.push(await evaluateRepo(file, gitDir));
}
printResults(results);
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
