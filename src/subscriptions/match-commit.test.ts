import { describe, expect, it } from "vitest";
import { makeAnalysedCommit, makeRepo, makeReport, type CommitSpec } from "../../test/support/report/fixtures.js";
import type { AnalysedCommit } from "../report/build-report.js";
import type { ReportCommit } from "../report/types.js";
import { changesDependencies, isBreaking, matchCommit } from "./match-commit.js";
import type { SubscriptionFilterInput } from "./subscription-config.js";

const DATE = "2026-01-17T10:00:00+08:00";

/** One commit of a built report (as filterReport sees it), its facts and PR shaped by `tweak`. */
function commit(spec: Partial<CommitSpec> = {}, tweak: (item: AnalysedCommit) => void = () => undefined): ReportCommit {
  const item = makeAnalysedCommit({ sha: "a1", subject: "feat: add the thing", date: DATE, ...spec });
  tweak(item);
  const report = makeReport([{ ...makeRepo("demo/app", []), commits: [item] }]);
  return report.repos[0]!.commits[0]!;
}

const match = (filter: SubscriptionFilterInput, subject: ReportCommit, repo = "demo/app") => matchCommit(filter, subject, repo);

describe("matchCommit", () => {
  it("an empty filter takes every commit but bots'", () => {
    expect(match({}, commit())).toBe(true);
    const bot = commit({ author: "dependabot[bot]" }, (item) => (item.facts.message.isBot = true));
    expect(match({}, bot)).toBe(false);
    expect(match({ bots: true }, bot)).toBe(true);
  });

  it("a bot's PR merged by a person is a bot's commit", () => {
    const merged = commit({}, (item) => (item.pullRequest = { number: 7, title: "Bump x", url: "https://x/7", author: "renovate[bot]", labels: [], reviewers: [], linkedIssues: [] }));
    expect(match({}, merged)).toBe(false);
    expect(match({ bots: true }, merged)).toBe(true);
  });

  it("affects: only commits that can break the user's code, of any used-by folder or of the ones named", () => {
    const affected = (label: string, breaking: boolean) =>
      commit({}, (item) => {
        item.affects = [{ kind: "symbol", name: "Engine.start", change: "removed", detail: "removed", breaking, origin: { file: "acme/engine.py" }, uses: [{ label, site: { file: "app.py", line: 5, text: "e.start()" } }], totalUses: 1 }];
      });
    expect(match({ affects: true }, affected("../svc", true))).toBe(true);
    expect(match({ affects: true }, affected("../svc", false))).toBe(false);
    expect(match({ affects: true }, commit())).toBe(false);
    expect(match({ affects: ["../svc/"] }, affected("../svc", true))).toBe(true);
    expect(match({ affects: ["../other"] }, affected("../svc", true))).toBe(false);
  });

  it("repos: names or globs on the repository's name, case-insensitive", () => {
    const subject = commit();
    expect(match({ repos: ["demo/app"] }, subject)).toBe(true);
    expect(match({ repos: ["Demo/*"] }, subject)).toBe(true);
    expect(match({ repos: ["demo/other", "acme/*"] }, subject)).toBe(false);
  });

  it("paths: picomatch globs against every changed path, a rename's old path too", () => {
    const subject = commit({ files: [{ path: "docs/guide.md", additions: 1, deletions: 0, kind: "docs" }, { path: "lib/runtime/src/engine.rs", additions: 4, deletions: 1 }] });
    expect(match({ paths: ["lib/runtime/**"] }, subject)).toBe(true);
    expect(match({ paths: ["lib/llm/**"] }, subject)).toBe(false);
    // Not a prefix match: a glob names files, so `lib` alone is the file lib.
    expect(match({ paths: ["lib"] }, subject)).toBe(false);
    expect(match({ paths: [".github/**"] }, commit({ files: [{ path: ".github/workflows/ci.yml", additions: 1, deletions: 0, kind: "ci" }] }))).toBe(true);
    const renamed = commit({ files: [{ path: "lib/new/engine.rs", additions: 0, deletions: 0, status: "renamed" }] }, (item) => (item.facts.files[0]!.oldPath = "lib/runtime/engine.rs"));
    expect(match({ paths: ["lib/runtime/**"] }, renamed)).toBe(true);
  });

  it("excludePaths: a commit whose every changed path is excluded is left out; one with another path is kept", () => {
    const docsOnly = commit({ files: [{ path: "lib/runtime/README.md", additions: 3, deletions: 0, kind: "docs" }] });
    const mixed = commit({ files: [{ path: "lib/runtime/README.md", additions: 3, deletions: 0, kind: "docs" }, { path: "lib/runtime/a.rs", additions: 1, deletions: 0 }] });
    expect(match({ excludePaths: ["**/*.md"] }, docsOnly)).toBe(false);
    expect(match({ excludePaths: ["**/*.md"] }, mixed)).toBe(true);
    expect(match({ paths: ["lib/runtime/**"], excludePaths: ["**/*.md"] }, docsOnly)).toBe(false);
    expect(match({ paths: ["lib/runtime/**"], excludePaths: ["**/*.md"] }, mixed)).toBe(true);
  });

  it("minImportance: that tier and above", () => {
    const [high, medium, low] = (["high", "medium", "low"] as const).map((importance) => commit({ importance }));
    expect([high, medium, low].map((subject) => match({ minImportance: "high" }, subject!))).toEqual([true, false, false]);
    expect([high, medium, low].map((subject) => match({ minImportance: "medium" }, subject!))).toEqual([true, true, false]);
    expect([high, medium, low].map((subject) => match({ minImportance: "low" }, subject!))).toEqual([true, true, true]);
  });

  it("types: the analysis's change type, any of them", () => {
    expect(match({ types: ["bugfix", "feature"] }, commit({ changeType: "feature" }))).toBe(true);
    expect(match({ types: ["bugfix"] }, commit({ changeType: "feature" }))).toBe(false);
  });

  it("labels: the PR's labels, case-insensitive; a commit without a PR has none", () => {
    const labelled = commit({}, (item) => (item.pullRequest = { number: 3, title: "t", url: "https://x/3", labels: ["Area: KV-Cache"], reviewers: [], linkedIssues: [] }));
    expect(match({ labels: ["area: kv-cache"] }, labelled)).toBe(true);
    expect(match({ labels: ["area: router"] }, labelled)).toBe(false);
    expect(match({ labels: ["area: kv-cache"] }, commit())).toBe(false);
  });

  it("keywords: in the title, the body, the PR title or the analysis, case-insensitive", () => {
    expect(match({ keywords: ["THING"] }, commit())).toBe(true);
    expect(match({ keywords: ["etcd"] }, commit({ body: "Moves the lease to ETCD." }))).toBe(true);
    expect(match({ keywords: ["lease"] }, commit({ narrative: { summary: "Renews the lease before it expires." } }))).toBe(true);
    expect(match({ keywords: ["回退"] }, commit({ narrative: { risks: ["旧客户端会回退到轮询"] } }))).toBe(true);
    expect(match({ keywords: ["nixl"] }, commit({}, (item) => (item.pullRequest = { number: 1, title: "NIXL transfer", url: "https://x/1", labels: [], reviewers: [], linkedIssues: [] })))).toBe(true);
    expect(match({ keywords: ["etcd"] }, commit())).toBe(false);
  });

  it("authors: name, e-mail or the PR author's login, case-insensitive, globs allowed", () => {
    const subject = commit({ author: "Grace Hopper" });
    expect(match({ authors: ["grace hopper"] }, subject)).toBe(true);
    expect(match({ authors: ["GRACE.HOPPER@example.com"] }, subject)).toBe(true);
    expect(match({ authors: ["*@example.com"] }, subject)).toBe(true);
    expect(match({ authors: ["ada lovelace"] }, subject)).toBe(false);
    const viaPr = commit({}, (item) => (item.pullRequest = { number: 2, title: "t", url: "https://x/2", author: "ghopper", labels: [], reviewers: [], linkedIssues: [] }));
    expect(match({ authors: ["GHopper"] }, viaPr)).toBe(true);
  });

  it("every condition must hold", () => {
    const subject = commit({ importance: "high", changeType: "bugfix", files: [{ path: "lib/runtime/a.rs", additions: 1, deletions: 0 }] });
    expect(match({ minImportance: "high", types: ["bugfix"], paths: ["lib/runtime/**"] }, subject)).toBe(true);
    expect(match({ minImportance: "high", types: ["feature"], paths: ["lib/runtime/**"] }, subject)).toBe(false);
    expect(match({ minImportance: "high", paths: ["lib/runtime/**"] }, subject, "demo/app")).toBe(true);
    expect(match({ repos: ["acme/*"], minImportance: "high" }, subject)).toBe(false);
  });
});

describe("breaking and dependencies, from the facts", () => {
  const removedApi = (item: AnalysedCommit) => {
    item.facts.symbols.push({ name: "connect", kind: "function", language: "Python", change: "removed", exported: true, basis: "structure", origin: { file: "src/app.py" } });
  };
  const bump = (internal: boolean) => (item: AnalysedCommit) => {
    item.facts.dependencies.push({ ecosystem: "npm", name: internal ? "@demo/core" : "zod", scope: "runtime", internal, from: "3.0.0", to: "4.0.0", change: "upgraded", major: true, origin: { file: "package.json" } });
  };

  it("breaking: declared by the author, a breaking PR label, a rules reason, or public API removed in the facts", () => {
    expect(isBreaking(commit())).toBe(false);
    expect(isBreaking(commit({}, (item) => (item.facts.message.breaking = true)))).toBe(true);
    expect(isBreaking(commit({}, (item) => (item.pullRequest = { number: 9, title: "t", url: "https://x/9", labels: ["breaking-change"], reviewers: [], linkedIssues: [] })))).toBe(true);
    expect(isBreaking(commit({ reasons: [{ code: "cli-break", weight: 60, text: "flag removed" }] }))).toBe(true);
    // No reason (the rule's weight set to 0), but the facts still say the API broke.
    expect(isBreaking(commit({ reasons: [] }, removedApi))).toBe(true);
    // A symbol that is not public API breaks nobody.
    expect(isBreaking(commit({}, (item) => { removedApi(item); item.facts.symbols[0]!.exported = false; }))).toBe(false);
    // Words are not facts: "breaking" in a title alone does not make it breaking.
    expect(isBreaking(commit({ subject: "fix: breaking the loop early" }))).toBe(false);
  });

  it("dependencies: a third-party dependency changed; the project's own package pins do not count", () => {
    expect(changesDependencies(commit())).toBe(false);
    expect(changesDependencies(commit({}, bump(false)))).toBe(true);
    expect(changesDependencies(commit({}, bump(true)))).toBe(false);
  });

  it("breaking and dependencies together select either kind (a release manager's view); each alone, that kind", () => {
    const broken = commit({}, removedApi);
    const bumped = commit({}, bump(false));
    const plain = commit();
    const both = { breaking: true, dependencies: true };
    expect([broken, bumped, plain].map((subject) => match(both, subject))).toEqual([true, true, false]);
    expect([broken, bumped, plain].map((subject) => match({ breaking: true }, subject))).toEqual([true, false, false]);
    expect([broken, bumped, plain].map((subject) => match({ dependencies: true }, subject))).toEqual([false, true, false]);
  });
});
