/**
 * Search entries of commits read the way the pipeline reads them (one `git log`, the
 * FactReader, the rules analyzer) from repositories built with git: every field must say
 * what the commit did, and nothing it did not.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../../test/helpers/make-repo.js";
import { analyzeWithRules } from "../../analysis/rules/rules-analyzer.js";
import { DEFAULT_SCORING } from "../../analysis/rules/weights.js";
import type { CommitAnalysis } from "../../analysis/types.js";
import { FactReader } from "../../facts/fact-reader.js";
import type { CommitFacts } from "../../facts/types.js";
import type { Lang } from "../../i18n/lang.js";
import { GitBlobReader } from "../../sources/git/blob-reader.js";
import { readCommitsFromGit } from "../../sources/git/read-log.js";
import type { Commit } from "../../sources/types.js";
import { searchEntriesOf, toSearchEntry, type SearchEntryInput } from "./search-entry.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

function repo(): TestRepo {
  const r = makeRepo();
  repos.push(r);
  return r;
}

interface Read {
  commit: Commit;
  facts: CommitFacts;
  analysis: CommitAnalysis;
}

/** The commit, its facts and its rules analysis, as the pipeline makes them. */
async function readCommit(r: TestRepo, sha: string, lang: Lang = "en", pullRequest?: SearchEntryInput["pullRequest"]): Promise<Read> {
  const gitDir = `${r.dir}/.git`;
  const reader = new FactReader(new GitBlobReader(gitDir));
  try {
    for await (const commit of readCommitsFromGit([sha], { gitDir })) {
      const facts = await reader.read(commit, { criticalPaths: [], ignorePaths: [] });
      const analysis = analyzeWithRules({ commit, facts, lang, ...(pullRequest ? { pullRequest } : {}) }, { scoring: DEFAULT_SCORING, criticalPaths: [] });
      return { commit, facts, analysis };
    }
  } finally {
    await reader.close();
  }
  throw new Error(`${sha} not read`);
}

async function entryOf(r: TestRepo, sha: string, options: { lang?: Lang; pullRequest?: SearchEntryInput["pullRequest"] } = {}) {
  const lang = options.lang ?? "en";
  const read = await readCommit(r, sha, lang, options.pullRequest);
  return { ...read, entry: toSearchEntry({ ...read, lang, ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}) }) };
}

/** Lines added + deleted per path, as git itself counts them. */
function numstat(r: TestRepo, sha: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of r.git(["show", "--numstat", "--format=", sha]).trim().split("\n")) {
    const [added, deleted, path] = line.split("\t");
    out.set(path!, Number(added) + Number(deleted));
  }
  return out;
}

const PYPROJECT = (deps: string[]) =>
  `[project]\nname = "pkg"\nversion = "1.0.0"\ndependencies = [\n${deps.map((dep) => `  "${dep}",`).join("\n")}\n]\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n`;

const CLI_BASE = `import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n    parser.add_argument("--host")\n    return parser.parse_args()\n`;

/** A small Python project: a package under src/, its CLI, its tests and docs. */
function baseProject(r: TestRepo): string {
  r.write("pyproject.toml", PYPROJECT(["requests>=2.31"]));
  r.write("src/pkg/__init__.py", "");
  r.write("src/pkg/api.py", "def make_agent(name):\n    agent = {'name': name}\n    agent['ready'] = True\n    return agent\n");
  r.write("src/pkg/cli.py", CLI_BASE);
  r.write("tests/test_api.py", "from pkg.api import make_agent\n\n\ndef test_make_agent():\n    assert make_agent('a')\n");
  r.write("docs/guide.md", "# Guide\n");
  return r.commit({ message: "feat: first version", date: "2026-01-10T09:00:00+00:00" });
}

describe("toSearchEntry on real commits", () => {
  it("names what a feature commit adds: its public function (not the private helper or the test), env var, flag, config key and dependency", async () => {
    const r = repo();
    baseProject(r);
    r.write("pyproject.toml", PYPROJECT(["requests>=2.31", "httpx>=0.27"]));
    r.write(
      "src/pkg/api.py",
      [
        "import os",
        "",
        "",
        "def make_agent(name):",
        "    agent = {'name': name}",
        "    agent['ready'] = True",
        "    return agent",
        "",
        "",
        "def _backoff(attempt):",
        "    return 2 ** attempt",
        "",
        "",
        "def connect(host, config):",
        '    timeout = float(os.environ.get("PKG_CONNECT_TIMEOUT", "5"))',
        '    retries = config.get("connect_retries")',
        "    return host, timeout, retries, _backoff(1)",
        "",
      ].join("\n"),
    );
    r.write("src/pkg/cli.py", CLI_BASE.replace('    parser.add_argument("--host")\n', '    parser.add_argument("--host")\n    parser.add_argument("--connect-timeout", type=float)\n'));
    r.write("tests/test_api.py", "from pkg.api import connect, make_agent\n\n\ndef test_make_agent():\n    assert make_agent('a')\n\n\ndef test_connect():\n    assert connect('h', {})\n");
    r.write("docs/guide.md", "# Guide\n\nConnect with `connect(host)`.\n");
    const sha = r.commit({ message: "feat(api): connect with a timeout (#12)\n\nAdds connect().", date: "2026-01-17T06:06:33+08:00", author: { name: "Grace Hopper", email: "grace@example.com" } });

    const { entry, facts, analysis } = await entryOf(r, sha);

    // The facts saw the private helper and the test; the entry names neither.
    expect(facts.symbols.map((symbol) => symbol.name)).toEqual(expect.arrayContaining(["_backoff", "connect"]));
    expect(facts.tests.map((test) => test.name)).toContain("test_connect");
    // connect() added; main() of the CLI is public and its code changed (a flag more); the helper and the test, neither.
    expect(entry.symbols).toEqual(["connect", "main"]);
    expect(entry.apiAdded).toBe(1);
    expect(entry.apiRemoved).toBe(0);
    expect(entry.envVars).toEqual(["PKG_CONNECT_TIMEOUT"]);
    expect(entry.flags).toEqual(["--connect-timeout"]);
    expect(entry.configKeys).toEqual(["connect_retries"]);
    expect(entry.dependencies).toEqual(["httpx"]);
    expect(entry.breaking).toBe(false);
    expect(entry.bot).toBe(false);
    expect(entry).toMatchObject({
      sha,
      // UTC: ranges and days compare as strings, whatever the committer's offset.
      committedAt: "2026-01-16T22:06:33.000Z",
      author: "Grace Hopper",
      title: "feat(api): connect with a timeout (#12)",
      body: "Adds connect().",
      prNumber: 12,
      labels: [],
      lang: "en",
      importance: analysis.importance,
      changeType: "feature",
    });
    expect(entry.prTitle).toBeUndefined();
    expect(entry.prBody).toBeUndefined();
    expect([...entry.paths].sort()).toEqual(["docs/guide.md", "pyproject.toml", "src/pkg/api.py", "src/pkg/cli.py", "tests/test_api.py"]);
    expect([...entry.modules].sort()).toEqual([...new Set(facts.files.map((file) => file.module))].sort());
    // Churn: product code only, as git counts it; the test and the docs are left out.
    const lines = numstat(r, sha);
    const productLines = lines.get("src/pkg/api.py")! + lines.get("src/pkg/cli.py")!;
    expect(entry.churn.reduce((sum, item) => sum + item.lines, 0)).toBe(productLines);
    expect(entry.churn.map((item) => item.module)).toEqual([facts.files.find((file) => file.path === "src/pkg/api.py")!.module]);
  });

  it("gives the analysis's summary, impact, risks and recommendations as its text", async () => {
    const r = repo();
    baseProject(r);
    r.write("src/pkg/api.py", "def make_agent(name):\n    return {'name': name}\n");
    r.remove("src/pkg/cli.py");
    const sha = r.commit({ message: "refactor: drop the CLI", date: "2026-01-17T10:00:00+00:00" });
    for (const lang of ["en", "zh-CN"] as const) {
      const { entry, analysis } = await entryOf(r, sha, { lang });
      const { narrative } = analysis;
      expect(narrative.risks.length + narrative.recommendations.length).toBeGreaterThan(0);
      expect(entry.analysisText.split("\n")).toEqual([narrative.summary, ...narrative.impact, ...narrative.risks, ...narrative.recommendations.map((item) => item.text)]);
      expect(entry.lang).toBe(lang);
    }
  });

  it("a renamed file gives both paths; a renamed public function both names, one added and one removed, and breaks callers", async () => {
    const r = repo();
    baseProject(r);
    r.move("src/pkg/api.py", "src/pkg/agents.py");
    r.write("src/pkg/agents.py", "def create_agent(name):\n    agent = {'name': name}\n    agent['ready'] = True\n    return agent\n");
    r.write("tests/test_api.py", "from pkg.agents import create_agent\n\n\ndef test_make_agent():\n    assert create_agent('a')\n");
    const sha = r.commit({ message: "refactor: rename make_agent to create_agent", date: "2026-01-17T10:00:00+00:00" });

    const { entry, facts } = await entryOf(r, sha);

    expect(facts.files.find((file) => file.path === "src/pkg/agents.py")).toMatchObject({ status: "renamed", oldPath: "src/pkg/api.py" });
    expect(entry.paths).toEqual(expect.arrayContaining(["src/pkg/api.py", "src/pkg/agents.py", "tests/test_api.py"]));
    expect(entry.paths).toHaveLength(3);
    expect(facts.symbols).toEqual([expect.objectContaining({ name: "create_agent", change: "renamed", exported: true, from: expect.objectContaining({ name: "make_agent" }) })]);
    expect([...entry.symbols].sort()).toEqual(["create_agent", "make_agent"]);
    expect(entry.apiAdded).toBe(1);
    expect(entry.apiRemoved).toBe(1);
    // Not declared in the message: the facts found the break.
    expect(facts.message.breaking).toBe(false);
    expect(entry.breaking).toBe(true);
  });

  it("a code change inside a public function names it; a moved one, or a private helper changed, names nothing", async () => {
    const r = repo();
    baseProject(r);
    r.write("src/pkg/api.py", "def make_agent(name):\n    agent = {'name': name.strip()}\n    agent['ready'] = True\n    return agent\n\n\ndef _helper():\n    return 1\n");
    const changed = r.commit({ message: "fix: strip names", date: "2026-01-17T10:00:00+00:00" });
    expect((await entryOf(r, changed)).entry).toMatchObject({ symbols: ["make_agent"], apiAdded: 0, apiRemoved: 0, breaking: false });

    r.write("src/pkg/api.py", "def make_agent(name):\n    agent = {'name': name.strip()}\n    agent['ready'] = True\n    return agent\n\n\ndef _helper():\n    return 2\n");
    const helper = r.commit({ message: "fix: helper", date: "2026-01-17T11:00:00+00:00" });
    expect((await entryOf(r, helper)).entry).toMatchObject({ symbols: [], apiAdded: 0, apiRemoved: 0 });

    // Moved, unchanged, to another module of the package: neither added nor removed.
    r.write("src/pkg/api.py", "def _helper():\n    return 2\n");
    r.write("src/pkg/agents.py", "def make_agent(name):\n    agent = {'name': name.strip()}\n    agent['ready'] = True\n    return agent\n");
    const moved = r.commit({ message: "refactor: agents in their own module", date: "2026-01-17T12:00:00+00:00" });
    const { entry, facts } = await entryOf(r, moved);
    expect(facts.symbols).toEqual(expect.arrayContaining([expect.objectContaining({ name: "make_agent", exported: true })]));
    expect(entry).toMatchObject({ symbols: [], apiAdded: 0, apiRemoved: 0, breaking: false });
  });

  it("a public type that changes kind under the same name (typedef enum → enum) is changed, not removed: nothing breaks", async () => {
    const r = repo();
    const header = (types: string) => `#pragma once\n#include <string>\n\n${types}\n\nclass Palette {\n  public:\n    color_t pick(int index) const;\n};\n`;
    r.write("meson.build", "project('colors', 'cpp')\n");
    r.write("include/colors.h", header("typedef enum { RED, GREEN } color_t;\ntypedef std::string name_t;"));
    r.write("src/colors.cpp", '#include "colors.h"\ncolor_t Palette::pick(int index) const { return index ? GREEN : RED; }\n');
    r.commit({ message: "feat: colors", date: "2026-01-17T10:00:00+00:00" });
    r.write("include/colors.h", header("enum color_t { RED, GREEN };\nusing name_t = std::string;"));
    const sha = r.commit({ message: "refactor: prefer using over typedef", date: "2026-01-17T11:00:00+00:00" });

    const { entry, facts } = await entryOf(r, sha);

    // The facts see a type removed and an enum added; callers still write `color_t`.
    expect(facts.symbols).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "color_t", kind: "type", change: "removed", exported: true }),
        expect.objectContaining({ name: "color_t", kind: "enum", change: "added", exported: true }),
      ]),
    );
    expect(entry).toMatchObject({ apiAdded: 0, apiRemoved: 0, breaking: false });
    expect([...entry.symbols].sort()).toEqual(["color_t", "name_t"]);
  });

  it("a removed CLI flag and a removed public function are breaking; so is a `!` in the message, or a PR labelled breaking", async () => {
    const r = repo();
    baseProject(r);
    r.write("src/pkg/cli.py", CLI_BASE.replace('    parser.add_argument("--host")\n', ""));
    const flag = r.commit({ message: "chore: tidy the CLI", date: "2026-01-17T10:00:00+00:00" });
    expect((await entryOf(r, flag)).entry).toMatchObject({ flags: ["--host"], breaking: true });

    // Renamed (the same destination under a new name): a search for either name finds it, and scripts with the old one break.
    r.write("src/pkg/cli.py", CLI_BASE.replace('    parser.add_argument("--host")\n', '    parser.add_argument("--url", dest="endpoint")\n'));
    r.commit({ message: "chore: --url", date: "2026-01-17T10:30:00+00:00" });
    r.write("src/pkg/cli.py", CLI_BASE.replace('    parser.add_argument("--host")\n', '    parser.add_argument("--endpoint", dest="endpoint")\n'));
    const renamed = r.commit({ message: "chore: --url is --endpoint", date: "2026-01-17T10:40:00+00:00" });
    const flagRename = await entryOf(r, renamed);
    expect(flagRename.facts.surface).toEqual([expect.objectContaining({ kind: "cli-flag", name: "--endpoint", change: "renamed", detail: { renamedFrom: "--url" } })]);
    expect(flagRename.entry).toMatchObject({ flags: ["--url", "--endpoint"], breaking: true });

    r.write("src/pkg/api.py", "\n");
    const removed = r.commit({ message: "chore: remove make_agent", date: "2026-01-17T11:00:00+00:00" });
    expect((await entryOf(r, removed)).entry).toMatchObject({ symbols: ["make_agent"], apiAdded: 0, apiRemoved: 1, breaking: true });

    r.write("docs/guide.md", "# Guide\n\nPython 3.10 or later.\n");
    const declared = r.commit({ message: "docs!: Python 3.10 or later", date: "2026-01-17T12:00:00+00:00" });
    expect((await entryOf(r, declared)).entry).toMatchObject({ symbols: [], breaking: true });

    r.write("docs/guide.md", "# Guide\n\nPython 3.11 or later.\n");
    const labelled = r.commit({ message: "docs: Python 3.11 or later", date: "2026-01-17T13:00:00+00:00" });
    expect((await entryOf(r, labelled)).entry.breaking).toBe(false);
    const pullRequest = { number: 40, title: "Require Python 3.11", body: "Drops 3.10.", labels: ["breaking-change", "docs"] };
    const { entry } = await entryOf(r, labelled, { pullRequest });
    expect(entry).toMatchObject({ breaking: true, prNumber: 40, prTitle: "Require Python 3.11", prBody: "Drops 3.10.", labels: ["breaking-change", "docs"] });
  });

  it("marks a bot's commit, and names the dependency it bumps", async () => {
    const r = repo();
    baseProject(r);
    r.write("pyproject.toml", PYPROJECT(["requests>=2.32"]));
    const sha = r.commit({
      message: "Bump requests from 2.31 to 2.32",
      date: "2026-01-17T10:00:00+00:00",
      author: { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" },
    });
    const { entry } = await entryOf(r, sha);
    expect(entry).toMatchObject({ bot: true, author: "dependabot[bot]", dependencies: ["requests"], symbols: [], churn: [] });
    for (const name of ["renovate[bot]", "github-actions[bot]", "pre-commit-ci[bot]", "Renovate Bot"]) {
      r.write("docs/guide.md", `# Guide ${name}\n`);
      const by = r.commit({ message: "chore: bot", date: "2026-01-17T11:00:00+00:00", author: { name, email: "noreply@example.com" } });
      expect((await entryOf(r, by)).entry.bot, name).toBe(true);
    }
  });

  it("indexes the period's commits with their PRs, and leaves out one read with gaps", async () => {
    const r = repo();
    baseProject(r);
    r.write("src/pkg/api.py", "def make_agent(name):\n    return {'name': name}\n");
    const whole = await readCommit(r, r.commit({ message: "fix: simpler agent", date: "2026-01-17T10:00:00+00:00" }));
    r.write("src/pkg/cli.py", CLI_BASE.replace("--host", "--server"));
    const gappy = await readCommit(r, r.commit({ message: "fix: --server", date: "2026-01-17T11:00:00+00:00" }));
    // As a partial clone that lost the file's objects reads it (test/mirror-modes.test.ts makes one for real).
    gappy.facts.unseen.unreadableFiles = ["src/pkg/cli.py"];
    const pullRequest = { number: 7, title: "Simpler agent", body: "", labels: ["bug"], url: "https://example.com/7", reviewers: [], linkedIssues: [], state: "MERGED" as const };
    const entries = searchEntriesOf({
      entries: [whole, gappy].map(({ commit, facts }) => ({ commit, facts })),
      analyses: [whole.analysis, gappy.analysis],
      pullRequests: new Map([[whole.commit.sha, pullRequest]]),
      lang: "zh-CN",
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ sha: whole.commit.sha, prNumber: 7, prTitle: "Simpler agent", labels: ["bug"], lang: "zh-CN", symbols: ["make_agent"] });
  });
});
