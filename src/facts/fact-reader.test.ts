/**
 * The facts of commits read the way the CLI reads them (one `git log`, one `git cat-file`),
 * on repositories built with git, for each class of false claim the facts once made.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../test/helpers/make-repo.js";
import { GitBlobReader } from "../sources/git/blob-reader.js";
import { readCommitsFromGit } from "../sources/git/read-log.js";
import { FactReader } from "./fact-reader.js";
import type { CommitFacts } from "./types.js";
import { classifyPublicApi, listSettings } from "../analysis/rules/fact-queries.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

function repo(): TestRepo {
  const r = makeRepo();
  repos.push(r);
  return r;
}

/** Facts of the given commits, newest first as the pipeline reads them. */
async function factsOf(r: TestRepo, shas: string[]): Promise<Map<string, CommitFacts>> {
  const gitDir = `${r.dir}/.git`;
  const reader = new FactReader(new GitBlobReader(gitDir));
  const out = new Map<string, CommitFacts>();
  try {
    for await (const commit of readCommitsFromGit(shas, { gitDir })) out.set(commit.sha, await reader.read(commit, { criticalPaths: [], ignorePaths: [] }));
  } finally {
    await reader.close();
  }
  return out;
}

async function factsOfHead(r: TestRepo): Promise<CommitFacts> {
  return (await factsOf(r, [r.head()])).get(r.head())!;
}

const filler = (n: number) => Array.from({ length: n }, (_, i) => `    # line ${i}`).join("\n");

describe("FactReader on real commits", () => {
  it("a test function removed is a test change, never public API", async () => {
    const r = repo();
    r.write("src/pkg/api.py", "def make_agent():\n    return 1\n");
    r.write("tests/test_api.py", "def test_invalid_backend_name():\n    assert True\n\ndef test_ok():\n    assert True\n");
    r.commit("feat: api");
    r.write("tests/test_api.py", "def test_ok():\n    assert True\n");
    r.commit("test: drop a test");
    const facts = await factsOfHead(r);
    expect(classifyPublicApi(facts).removed).toEqual([]);
    expect(facts.tests).toEqual([expect.objectContaining({ name: "test_invalid_backend_name", change: "removed" })]);
  });

  it("a CLI's exports are not public API: its package.json names no entry point and has a bin", async () => {
    const r = repo();
    r.write("package.json", JSON.stringify({ name: "tool", version: "1.0.0", bin: { tool: "dist/main.js" } }));
    r.write("src/usage/config.ts", "export const USES_SHOWN = 5;\nexport function shown(): number {\n  return USES_SHOWN;\n}\n");
    // A library beside it, in the same repository, is imported through its `exports`.
    r.write("packages/lib/package.json", JSON.stringify({ name: "lib", exports: "./src/index.ts" }));
    r.write("packages/lib/src/index.ts", "export const LIMIT = 5;\n");
    r.commit("feat: config");
    r.write("src/usage/config.ts", "const USES_SHOWN = 5;\nexport function shown(): number {\n  return USES_SHOWN;\n}\n");
    r.write("packages/lib/src/index.ts", "const LIMIT = 5;\nexport const limit = () => LIMIT;\n");
    r.commit("refactor: constants not exported");
    const facts = await factsOfHead(r);
    const api = classifyPublicApi(facts);
    // The library's constant is no longer public (a change of its signature's visibility); the CLI's is no API at all.
    expect([...api.removed, ...api.signature].map((symbol) => symbol.name)).toEqual(["LIMIT"]);
    expect(api.added.map((symbol) => symbol.name)).toEqual(["limit"]);
    expect(facts.symbols).toContainEqual(expect.objectContaining({ name: "USES_SHOWN", exported: false }));
    expect(facts.unseen.structureFallback).toEqual([]);
  });

  it("a method moved 600 lines down the same file is a move, not a removal", async () => {
    const r = repo();
    const method = "    pub fn set_notification_message(&mut self, m: &[u8]) {\n        self.m = m.to_vec();\n    }\n";
    const head = "pub struct OptArgs { m: Vec<u8> }\n\nimpl OptArgs {\n";
    r.write("src/lib.rs", `${head}${method}${"    // pad\n".repeat(600)}}\n`);
    r.commit("feat: opt args");
    r.write("src/lib.rs", `${head}${"    // pad\n".repeat(600)}${method}}\n`);
    r.commit("refactor: reorder APIs to match python");
    const facts = await factsOfHead(r);
    const api = classifyPublicApi(facts);
    expect(api.removed).toEqual([]);
    expect(facts.symbols).toContainEqual(expect.objectContaining({ name: "OptArgs::set_notification_message", change: "moved", basis: "structure" }));
    expect(facts.unseen.structureFallback).toEqual([]);
  });

  it("a function moved to another module is a move with where it came from", async () => {
    const r = repo();
    r.write("src/pkg/a.py", "def helper(x):\n    return x\n\ndef keep():\n    pass\n");
    r.write("src/pkg/b.py", "def other():\n    pass\n");
    r.commit("feat: a and b");
    r.write("src/pkg/a.py", "def keep():\n    pass\n");
    r.write("src/pkg/b.py", "def other():\n    pass\n\ndef helper(x):\n    return x\n");
    r.commit("refactor: move helper");
    const api = classifyPublicApi(await factsOfHead(r));
    expect(api.removed).toEqual([]);
    expect(api.moved).toEqual([{ name: "helper", kind: "function", from: "src/pkg/a.py", to: "src/pkg/b.py" }]);
  });

  it("a signature change says what changed and whether old callers still fit", async () => {
    const r = repo();
    r.write("src/pkg/api.py", "def connect(host, port=80):\n    return host\n\ndef close(handle):\n    pass\n");
    r.write("src/lib.ts", "export function parse(text: string): number {\n  return 1;\n}\n");
    r.commit("feat: api");
    r.write("src/pkg/api.py", "def connect(host, port=8080, timeout=None):\n    return host\n\ndef close(handle, force):\n    pass\n");
    r.write("src/lib.ts", "export function parse(text: string): string {\n  return \"1\";\n}\n");
    r.commit("feat: options");
    const facts = await factsOfHead(r);
    const signatureOf = (name: string) => facts.symbols.find((symbol) => symbol.name === name && symbol.change === "signature")?.signature;
    expect(signatureOf("connect")).toMatchObject({
      parametersAdded: [{ name: "timeout", required: false }],
      parametersRemoved: [],
      defaultsChanged: [{ name: "port", from: "80", to: "8080" }],
    });
    // A default changed: calls still fit, so it is not a break of the signature itself.
    expect(signatureOf("connect")?.breaking).toBe(false);
    expect(signatureOf("close")).toMatchObject({ parametersAdded: [{ name: "force", required: true }], breaking: true });
    // The return type has no name: the change carries only the two types.
    expect(signatureOf("parse")?.returnsChanged).toEqual({ from: "number", to: "string" });
  });

  it("a whitespace-only commit is formatting and fires no signal and no symbol change", async () => {
    const r = repo();
    const code = "fn run() {\n\tlet out = Command::new(\"git\").output();\n\tlet token = env::var(\"GITHUB_TOKEN\");\n}\n";
    r.write("src/main.rs", code);
    r.commit("feat: run");
    r.write("src/main.rs", code.replace(/\t/g, "    "));
    r.commit("style(formatting): use spaces instead of tabs");
    const facts = await factsOfHead(r);
    expect(facts.files[0]).toMatchObject({ path: "src/main.rs", formattingOnly: true });
    expect(facts.signals).toEqual([]);
    expect(facts.symbols).toEqual([]);
    expect(facts.surface).toEqual([]);
  });

  it("`ENV PATH` in a Dockerfile sets a variable; it is no setting users give", async () => {
    const r = repo();
    r.write("Dockerfile", "FROM rust:1.85\n");
    r.commit("build: image");
    r.write("Dockerfile", "FROM rust:1.85\nENV PATH=/opt/bin:$PATH NIXL_HOME=/opt/nixl\n");
    r.commit("build: env");
    const facts = await factsOfHead(r);
    expect(facts.surface.map((entry) => [entry.name, entry.access, entry.area, entry.wellKnown ?? false])).toEqual([
      ["PATH", "set", "build", true],
      ["NIXL_HOME", "set", "build", false],
    ]);
    expect(listSettings(facts, "added")).toEqual([]);
  });

  it("a variable read only in tests is the tests' business; one read by product code is configuration", async () => {
    const r = repo();
    r.write("src/pkg/conf.py", "import os\n");
    r.write("tests/test_conf.py", "import os\n");
    r.commit("chore: init");
    r.write("tests/test_conf.py", 'import os\nROOT = os.environ.get("TEST_DATA_ROOT")\n');
    r.write("src/pkg/conf.py", 'import os\nLEVEL = os.getenv("PKG_LOG_LEVEL", "info")\nHOME = os.environ["HOME"]\n');
    r.commit("feat: settings");
    const facts = await factsOfHead(r);
    expect(listSettings(facts, "added").map((entry) => entry.name)).toEqual(["PKG_LOG_LEVEL"]);
    expect(facts.surface.find((entry) => entry.name === "TEST_DATA_ROOT")).toMatchObject({ area: "test", access: "read" });
    expect(facts.surface.find((entry) => entry.name === "HOME")).toMatchObject({ wellKnown: true });
  });

  it("a release commit bumps the project's own version, and its own crate pins are internal", async () => {
    const r = repo();
    r.write("core/Cargo.toml", '[package]\nname = "tool-core"\nversion = "2.9.0"\n\n[dependencies]\nserde = "1.0.1"\n');
    r.write("cli/Cargo.toml", '[package]\nname = "tool"\nversion = "2.9.0"\n\n[dependencies]\ntool-core = { version = "2.9.0", path = "../core" }\n\n[dependencies.tokio]\nversion = "1.38"\n');
    r.commit("feat: start");
    r.write("core/Cargo.toml", '[package]\nname = "tool-core"\nversion = "2.10.0"\n\n[dependencies]\nserde = "1.0.1"\n');
    r.write("cli/Cargo.toml", '[package]\nname = "tool"\nversion = "2.10.0"\n\n[dependencies]\ntool-core = { version = "2.10.0", path = "../core" }\n\n[dependencies.tokio]\nversion = "1.39"\n');
    r.commit("chore(release): prepare for v2.10.0");
    const facts = await factsOfHead(r);
    expect(facts.message.releaseVersion).toBe("2.10.0");
    expect(facts.versions.filter((v) => v.kind === "project-version").map((v) => [v.origin.file, v.from, v.to])).toEqual([
      ["cli/Cargo.toml", "2.9.0", "2.10.0"],
      ["core/Cargo.toml", "2.9.0", "2.10.0"],
    ]);
    const deps = Object.fromEntries(facts.dependencies.map((d) => [d.name, [d.internal, d.scope, d.from, d.to]]));
    expect(deps).toEqual({ "tool-core": [true, "runtime", "2.9.0", "2.10.0"], tokio: [false, "runtime", "1.38", "1.39"] });
  });

  it("a revert names the commit it reverts", async () => {
    const r = repo();
    r.write("src/a.py", "x = 1\n");
    const first = r.commit("feat: x");
    r.write("src/a.py", "x = 2\n");
    const change = r.commit("ci: change");
    r.git(["revert", "--no-edit", change], { env: { GIT_AUTHOR_NAME: "A", GIT_AUTHOR_EMAIL: "a@e", GIT_COMMITTER_NAME: "A", GIT_COMMITTER_EMAIL: "a@e" } });
    const facts = await factsOfHead(r);
    expect(facts.message).toMatchObject({ isRevert: true, revertedSha: change });
    void first;
  });

  it("a bors merge body gives the PR title and number, and a squash body its points", async () => {
    const r = repo();
    r.write("src/a.py", "x = 1\n");
    r.commit("feat: x");
    r.write("src/a.py", "x = 2\n");
    r.commit({ message: "Merge #5120\n\n5120: Fix panic when the config has no [git] table r=orhun a=someone\n\nThe parser now treats a missing table as empty.\n" });
    const facts = await factsOfHead(r);
    expect(facts.message).toMatchObject({ prNumber: 5120, prTitle: "Fix panic when the config has no [git] table", isMerge: true });
  });

  it("parses incrementally along the history and gets the same structure as a full parse", async () => {
    const r = repo();
    const body = (n: number) => `def f${n}(a, b=${n}):\n    return a + b\n\n`;
    let text = "";
    const shas: string[] = [];
    for (let i = 0; i < 6; i++) {
      text += body(i);
      r.write("src/pkg/mod.py", `${text}${filler(3)}\n`);
      shas.push(r.commit(`feat: f${i}`));
    }
    const gitDir = `${r.dir}/.git`;
    const reader = new FactReader(new GitBlobReader(gitDir));
    const newestFirst = [...shas].reverse();
    const incremental: CommitFacts[] = [];
    for await (const commit of readCommitsFromGit(newestFirst, { gitDir })) incremental.push(await reader.read(commit, { criticalPaths: [], ignorePaths: [] }));
    expect(reader.stats.incrementalParses).toBeGreaterThan(0);
    await reader.close();
    // Each commit read alone (full parses only) says the same.
    for (const [index, sha] of newestFirst.entries()) {
      const alone = (await factsOf(r, [sha])).get(sha)!;
      expect(incremental[index]!.symbols).toEqual(alone.symbols);
    }
    expect(incremental[0]!.symbols).toEqual([expect.objectContaining({ name: "f5", change: "added", exported: true })]);
  });
});
