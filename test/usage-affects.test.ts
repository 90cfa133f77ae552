/**
 * Issue 14 end to end: a tracked project and a user project that uses five of its names in
 * different ways, both built with git; commits of the project that remove, rename, move,
 * re-default and merely touch them. The report (the real CLI) marks exactly the commits that
 * can break the user's code, with the user's own file and line, in JSON, Markdown and HTML.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/types.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";
import { startServe } from "./support/serve/serve-fixture.js";

const DAY = "2026-01-17";
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, "0")}:00:00+00:00`;

const ENGINE = (extra = "", startBody = "return True", size = "4") =>
  [
    "class Engine:",
    "    def __init__(self, workers=1):",
    "        self.workers = workers",
    "",
    "    def start(self):",
    `        ${startBody}`,
    extra,
    "",
    `def make_engine(size=${size}):`,
    "    return Engine(size)",
    "",
  ].join("\n");

const CLI = (choices = '["ucx", "gds"]', envRead = 'MODE = os.environ.get("ACME_MODE", "slow")') =>
  [
    "import argparse",
    "import os",
    "",
    envRead,
    "",
    "def main():",
    "    parser = argparse.ArgumentParser()",
    `    parser.add_argument("--backend", choices=${choices})`,
    '    parser.add_argument("--workers", type=int, default=1)',
    "    return parser.parse_args()",
    "",
  ].join("\n");

let project: TestRepo;
let user: TestRepo;
const shas: Record<string, string> = {};

beforeAll(() => {
  project = makeRepo();
  project.write("pyproject.toml", '[project]\nname = "acme"\nversion = "1.0.0"\n\n[project.scripts]\nacme = "acme.cli:main"\n');
  project.write("acme/__init__.py", "from .engine import Engine, make_engine\n");
  project.write("acme/engine.py", ENGINE());
  project.write("acme/cli.py", CLI());
  project.write("acme/util.py", "def fmt(value):\n    return str(value)\n\n\ndef helper_old(x):\n    return x * 2\n");
  project.write("tests/test_engine.py", "def test_start():\n    assert True\n");
  project.commit({ message: "initial", date: "2026-01-10T10:00:00+00:00" });

  project.write("acme/util.py", "def fmt(value):\n    return str(value)\n\n\ndef helper_new(x):\n    return x * 2\n");
  shas.rename = project.commit({ message: "refactor: rename helper_old to helper_new", date: at(1) });
  project.write("acme/engine.py", ENGINE("", "return True", "8"));
  shas.redefault = project.commit({ message: "feat: make_engine builds eight by default", date: at(2) });
  project.write("acme/util.py", "def helper_new(x):\n    return x * 2\n");
  project.write("acme/text.py", "def fmt(value):\n    return str(value)\n");
  shas.move = project.commit({ message: "refactor: move fmt to acme.text", date: at(3) });
  project.write("acme/engine.py", ENGINE("\n    def pause(self):\n        return False\n", "return True", "8"));
  shas.touch = project.commit({ message: "feat: Engine.pause", date: at(4) });
  project.write("acme/cli.py", CLI('["gds"]'));
  shas.choices = project.commit({ message: "fix: drop the ucx backend", date: at(5) });
  project.write("acme/cli.py", CLI('["gds"]', 'MODE = "slow"'));
  shas.env = project.commit({ message: "chore: stop reading ACME_MODE", date: at(6) });
  project.write("tests/test_engine.py", "def test_start():\n    assert 1 == 1\n");
  shas.unrelated = project.commit({ message: "test: tidy", date: at(7) });
  project.write("acme/engine.py", "class Engine:\n    def __init__(self, workers=1):\n        self.workers = workers\n\n    def pause(self):\n        return False\n\n\ndef make_engine(size=8):\n    return Engine(size)\n");
  shas.remove = project.commit({ message: "feat!: remove Engine.start", date: at(8) });
  project.write("acme/engine.py", "class Engine:\n    def __init__(self):\n        self.workers = 1\n\n    def pause(self):\n        return False\n\n\ndef make_engine(size=8):\n    return Engine()\n");
  shas.parameter = project.commit({ message: "refactor: Engine takes no workers", date: at(9) });

  user = makeRepo();
  user.write(
    "svc/app.py",
    [
      "import acme",
      "from acme.util import fmt, helper_old",
      "",
      "engine = acme.Engine(workers=2)",
      "engine.start()",
      "pool = acme.make_engine()",
      "print(fmt(helper_old(2)))",
      "",
      "class Engine:",
      "    def pause(self):",
      "        return 'mine'",
      "",
    ].join("\n"),
  );
  user.write("deploy/.env", "ACME_MODE=fast\nOPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD\n");
  user.write("deploy/run.sh", "#!/bin/sh\nacme --backend ucx --workers 4\n");
  user.commit("service");
});

afterAll(() => {
  project?.cleanup();
  user?.cleanup();
});

function writeConfig(dir: string): void {
  writeFileSync(
    join(dir, "repo-digest.yaml"),
    [
      "timezone: UTC",
      "language: en",
      "output: { dir: reports, formats: [md, json, html] }",
      "repos:",
      `  - name: acme/acme`,
      `    path: ${project.dir}`,
      "    usedBy:",
      `      - { path: ${user.dir}, label: ../svc }`,
      "",
    ].join("\n"),
  );
}

describe("what affects you", () => {
  it("marks exactly the commits that break the user's code, with the user's lines, in every format; a re-run re-uses the index", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeConfig(cwd);
    const run = await runCli(["report", "--date", DAY, "-v"], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/usage index built/);
    const report = JSON.parse(readFileSync(join(cwd, "reports", `${DAY}--acme-acme.en.json`), "utf8")) as Report;
    const [repo] = report.repos;
    const bySha = new Map(repo!.commits.map((commit) => [commit.sha, commit]));
    const breaking = (sha: string) => (bySha.get(sha)?.affects ?? []).filter((item) => item.breaking).map((item) => `${item.name} ${item.change} @${item.uses.map((use) => `${use.site.file}:${use.site.line}`).join(",")}`);

    expect(breaking(shas.rename!)).toEqual(["helper_old renamed @svc/app.py:2,svc/app.py:7"]);
    expect(breaking(shas.redefault!)).toEqual(["make_engine default @svc/app.py:6"]);
    expect(breaking(shas.move!)).toEqual(["fmt moved @svc/app.py:2,svc/app.py:7"]);
    expect(breaking(shas.choices!)).toEqual(["--backend choices @deploy/run.sh:2"]);
    expect(breaking(shas.env!)).toEqual(["ACME_MODE removed @deploy/.env:1"]);
    expect(breaking(shas.remove!)).toEqual(["Engine.start removed @svc/app.py:5"]);
    expect(breaking(shas.parameter!)).toEqual(["Engine.__init__ signature @svc/app.py:4"]);
    expect(bySha.get(shas.parameter!)?.affects?.[0]?.detail).toBe("parameter `workers` removed, which your code passes");
    // Merely touched: Engine gains a method the user's code does not call (its own Engine.pause is not acme's).
    expect(breaking(shas.touch!)).toEqual([]);
    expect(bySha.get(shas.touch!)?.affects?.map((item) => `${item.name} ${item.change} ${item.breaking}`)).toEqual(["Engine.pause added false"]);
    expect(bySha.get(shas.unrelated!)?.affects).toBeUndefined();

    // Lifted: the overview lists them first, newest first, whatever their tier.
    expect(report.overview.affectsYou?.map((item) => item.sha)).toEqual([shas.parameter, shas.remove, shas.env, shas.choices, shas.move, shas.redefault, shas.rename]);
    expect(repo!.usage).toEqual([expect.objectContaining({ label: "../svc", languages: ["python"], dynamic: 0 })]);
    expect(repo!.usage![0]!.kinds).toEqual(expect.arrayContaining(["symbol", "env-var", "cli-flag"]));

    const md = readFileSync(join(cwd, "reports", `${DAY}--acme-acme.en.md`), "utf8");
    expect(md).toContain("**⚠️ Affects your code (7)**");
    expect(md).toContain("### ⚠️ Affects your code (7)");
    expect(md).toMatch(/`helper_old`: renamed to `helper_new` — used at `\.\.\/svc\/svc\/app\.py:2`/);
    expect(md).toMatch(/Your code `\.\.\/svc` at `[0-9a-f]{7}`: \d+ files read \(code in Python\)/);
    // The secret of the user's .env reaches no report: a name, never its value.
    expect(md).not.toContain("sk-proj");
    expect(md).toContain("`ACME_MODE=…`");
    expect(md.indexOf("Affects your code (7)")).toBeLessThan(md.indexOf("| Repository"));
    // Under each commit: "affects" where something can break, "touches" where nothing does.
    const section = (title: string) => md.slice(md.indexOf(`#### ${title}`), md.indexOf("\n---", md.indexOf(`#### ${title}`)));
    expect(section("refactor: Engine takes no workers")).toContain("**⚠️ Affects your code**\n- `Engine.__init__`: parameter `workers` removed, which your code passes");
    expect(section("feat: Engine.pause")).toContain("**ℹ️ Touches what your code uses**\n- `Engine.pause`: new in `Engine`, which your code uses");
    const html = readFileSync(join(cwd, "reports", `${DAY}--acme-acme.en.html`), "utf8");
    expect(html).toContain("⚠️ Affects your code (7)");
    expect(html).toContain("<code>../svc/deploy/run.sh:2</code>");
    expect(html).not.toContain("sk-proj");
    expect(readFileSync(join(dataDir, "repo-digest.sqlite")).includes("sk-proj")).toBe(false);

    // The web app: "affects my code" finds exactly those commits, in the API and on the page.
    const server = await startServe(dataDir);
    try {
      const found = (await (await fetch(new URL("/api/v1/search?affects=1&limit=50&lang=en", server.url))).json()) as { total: number; hits: Array<{ sha: string }> };
      expect(found.hits.map((hit) => hit.sha).sort()).toEqual([...report.overview.affectsYou!.map((item) => item.sha)].sort());
      const all = (await (await fetch(new URL("/api/v1/search?limit=50&lang=en", server.url))).json()) as { total: number };
      expect(all.total).toBe(repo!.commits.length);
      const page = await (await fetch(new URL("/search?affects=1&lang=en", server.url))).text();
      expect(page).toMatch(/<input type="checkbox" name="affects" value="1" checked> Only what affects my code/);
      expect(page).toContain("remove Engine.start");
      expect(page).not.toContain("test: tidy");
    } finally {
      await server.stop();
    }

    // The user's HEAD has not moved: the index comes from the store.
    const again = await runCli(["report", "--date", DAY, "-v"], { cwd, dataDir });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/usage index from the store/);
    expect(again.stderr).not.toMatch(/usage index built/);
    // …and says the same as the index it was built from (nothing of it lost in the store).
    const reread = JSON.parse(readFileSync(join(cwd, "reports", `${DAY}--acme-acme.en.json`), "utf8")) as Report;
    expect(reread.repos[0]!.commits.map((commit) => commit.affects)).toEqual(repo!.commits.map((commit) => commit.affects));
    // It moves (the user stops passing the flag): scanned again, the flag's commit no longer marked.
    user.write("deploy/run.sh", "#!/bin/sh\nacme --workers 4\n");
    user.commit("drop the backend flag");
    const moved = await runCli(["report", "--date", DAY, "-v"], { cwd, dataDir });
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/usage index built/);
    const after = JSON.parse(readFileSync(join(cwd, "reports", `${DAY}--acme-acme.en.json`), "utf8")) as Report;
    expect(after.overview.affectsYou?.map((item) => item.sha)).not.toContain(shas.choices);
  });
});

describe("--used-by", () => {
  it("marks the commits of a --repo against the folder given, and asks for --repo without one", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    const run = await runCli(["report", "--repo", project.dir, "--used-by", user.dir, "--date", DAY, "--tz", "UTC", "--lang", "en", "-f", "json", "--out", "-", "--no-fetch"], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.overview.affectsYou?.map((item) => item.sha)).toContain(shas.remove);
    expect(report.repos[0]!.usage?.[0]?.label).toBe(user.dir);

    const missing = await runCli(["report", "--repo", project.dir, "--used-by", join(cwd, "nowhere"), "--date", DAY], { cwd, dataDir });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split("\n")).toEqual([`repo-digest: --used-by ${join(cwd, "nowhere")} is not a folder (give the path of your own code)`]);
    writeFileSync(join(cwd, "repo-digest.yaml"), `language: en\nrepos:\n  - { name: acme/acme, path: ${project.dir}, usedBy: [../gone] }\n`);
    const configured = await runCli(["report", "--date", DAY], { cwd, dataDir });
    expect(configured.status).toBe(2);
    expect(configured.stderr).toMatch(/^repo-digest: acme\/acme: usedBy \.\.\/gone is not a folder \(.*gone\) \(give the path of your own code, relative to the config file, or remove it from usedBy\)\n$/);
    expect(existsSync(join(cwd, "reports"))).toBe(false);

    const alone = await runCli(["report", "--used-by", user.dir, "--date", DAY], { cwd, dataDir });
    expect(alone.status).toBe(2);
    expect(alone.stderr.trim().split("\n")).toEqual(["repo-digest: --used-by is matched against the repositories given with --repo (give --repo too, or set `usedBy` for each repository in the config)"]);
  });
});
