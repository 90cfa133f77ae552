/**
 * What `npm pack` publishes, installed the way a user installs the tool: the tarball holds
 * the bundle, the schema, README and package.json and nothing of the sources or tests; every
 * package the bundle leaves outside is a runtime dependency; `npm install -g` of the tarball
 * gives a `repo-digest` command that prints its version (loading nothing but its entry) and
 * writes a real report of a local repository without network.
 *
 * The package is packed from a copy of this working tree inside test-artifacts/ (its
 * `prepack` builds dist/ there, so the tree's own dist/ is left alone, and the build finds
 * this tree's node_modules). The install reads the registry through npm's cache
 * (--prefer-offline); without a reachable registry for what the cache lacks, the test fails
 * with npm's error line. better-sqlite3's binary for this Node is given to its installer
 * as a local prebuild (its `npm_config_better_sqlite3_local_prebuilds`), so that the install
 * does not compile it again: that takes minutes on a small machine.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "./helpers/make-repo.js";

const ROOT = resolve(import.meta.dirname, "..");
const MANIFEST = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; dependencies: Record<string, string> };
/** Left out of the copy that is packed: installs, build output, this test's own artifacts, git. */
const NOT_COPIED = new Set(["node_modules", "dist", "test-artifacts", ".git"]);

let work: string;
let prefix: string;
let tarball: string;
let entries: string[];
let installed: string;
let repo: TestRepo;

function npm(args: string[], options: { cwd: string; env?: Record<string, string> }): string {
  const result = spawnSync("npm", args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: "utf8" });
  if (result.status !== 0) {
    // npm's own summary line: the FetchError of a registry it cannot reach, else its first error line.
    const lines = `${result.stderr}`.split("\n").filter((line) => /^npm (error|ERR!)/.test(line));
    const reason = lines.find((line) => /FetchError|network/.test(line)) ?? lines[0] ?? result.error?.message ?? `exit ${result.status}`;
    const hint = args[0] === "install" ? " (is the npm registry reachable?)" : "";
    throw new Error(`npm ${args[0]} failed${hint}: ${reason.replace(/^npm (error|ERR!)\s*/, "").trim()}`);
  }
  return result.stdout;
}

/** better-sqlite3's own compiled binary, packed as the prebuild its installer looks for first. */
function localPrebuilds(into: string): Record<string, string> {
  const binary = join(ROOT, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  if (!existsSync(binary)) return {};
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules", "better-sqlite3", "package.json"), "utf8")) as { version: string };
  const stage = join(into, "stage");
  mkdirSync(join(stage, "build", "Release"), { recursive: true });
  cpSync(binary, join(stage, "build", "Release", "better_sqlite3.node"));
  mkdirSync(join(into, "prebuilds"));
  // prebuild-install's default name: {name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz (glibc: no libc part).
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync("tar", ["-czf", join(into, "prebuilds", name), "-C", stage, "build"]);
  return { npm_config_better_sqlite3_local_prebuilds: join(into, "prebuilds") };
}

beforeAll(() => {
  mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
  work = mkdtempSync(join(ROOT, "test-artifacts", "package-"));
  const source = join(work, "source");
  for (const name of readdirSync(ROOT).filter((entry) => !NOT_COPIED.has(entry))) cpSync(join(ROOT, name), join(source, name), { recursive: true });
  mkdirSync(join(work, "packed"));
  npm(["pack", "--pack-destination", join(work, "packed"), "--silent"], { cwd: source });
  tarball = join(work, "packed", readdirSync(join(work, "packed")).find((name) => name.endsWith(".tgz"))!);
  entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean).sort();

  prefix = join(work, "prefix");
  npm(["install", "--global", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error", tarball], {
    cwd: work,
    env: localPrebuilds(work),
  });
  installed = join(prefix, "lib", "node_modules", MANIFEST.name);

  repo = makeRepo();
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  repo.write("pkg/api.py", "def handler(request):\n    return 1\n").commit({ message: "feat: a handler", date: `${yesterday}T09:00:00+00:00` });
  repo.write("pkg/api.py", "def handler(request, strict=False):\n    return 2\n").commit({ message: "feat: strict handlers", date: `${yesterday}T10:00:00+00:00` });
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  repo?.cleanup();
});

function runTool(args: string[], options: { env?: Record<string, string>; nodeOptions?: string[] } = {}): { status: number | null; stdout: string; stderr: string } {
  const bin = join(prefix, "bin", "repo-digest");
  const command = options.nodeOptions ? process.execPath : bin;
  const result = spawnSync(command, [...(options.nodeOptions ? [...options.nodeOptions, bin] : []), ...args], {
    cwd: work,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the published package", () => {
  it("holds the bundle, the schema, README and package.json, and no sources, tests, benchmarks or source maps", () => {
    expect(entries).toContain("package/package.json");
    expect(entries).toContain("package/README.md");
    expect(entries).toContain("package/LICENSE");
    expect(entries).toContain("package/dist/main.js");
    expect(entries).toContain("package/dist/structure-worker.js");
    const outside = entries.filter((entry) => !/^package\/(package\.json|README\.md|LICEN[CS]E(\.\w+)?|dist\/[^/]+\.js|schema\/.+)$/.test(entry));
    expect(outside).toEqual([]);
    if (existsSync(join(ROOT, "schema"))) expect(entries.some((entry) => entry.startsWith("package/schema/"))).toBe(true);
  });

  it("lists every package the bundle leaves outside as a runtime dependency", () => {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const imported = new Set<string>();
    for (const file of readdirSync(join(installed, "dist")).filter((name) => name.endsWith(".js"))) {
      const code = readFileSync(join(installed, "dist", file), "utf8");
      // Statements only: `from "x"` inside a string (BullMQ's Lua scripts say `requires code from "moveToFinished"`) is no import.
      for (const match of code.matchAll(/(?:^\s*(?:import|export)\b[^;\n]*?\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/gm)) {
        const specifier = match[1]!;
        if (builtins.has(specifier) || builtins.has(specifier.split("/")[0]!)) continue;
        imported.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);
      }
      // Loaded on demand through a require of its own (src/logger.ts: pino-pretty on a terminal only).
      for (const match of code.matchAll(/\bcreateRequire\([^()]*(?:\([^()]*\))?[^()]*\)\(\s*["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)["']\s*\)/g)) imported.add(match[1]!);
      // The grammars are found by name at run time (their .wasm files), not imported.
      for (const match of code.matchAll(/"(tree-sitter-[a-z]+)"/g)) imported.add(match[1]!);
    }
    expect([...imported].sort()).toEqual(expect.arrayContaining(["better-sqlite3", "pino", "pino-pretty", "tree-sitter-python", "web-tree-sitter"]));
    expect([...imported].filter((name) => !(name in MANIFEST.dependencies))).toEqual([]);
    for (const name of imported) expect(existsSync(join(installed, "node_modules", name, "package.json")), `${name} installed`).toBe(true);
  });

  it("installs a repo-digest command that prints its version and loads nothing else to do so", () => {
    const run = runTool(["--version"]);
    expect(run).toMatchObject({ status: 0, stdout: `${MANIFEST.version}\n` });

    // A module hook records every file the program loads.
    const hooks = join(work, "hooks");
    mkdirSync(hooks);
    writeFileSync(join(hooks, "register.mjs"), 'import { register } from "node:module";\nregister("./record.mjs", import.meta.url);\n');
    writeFileSync(join(hooks, "record.mjs"), 'import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  appendFileSync(process.env.LOADED_LOG, url + "\\n");\n  return next(url, context);\n}\n');
    const log = join(hooks, "loaded.log");
    const traced = runTool(["--version"], { nodeOptions: ["--import", join(hooks, "register.mjs")], env: { LOADED_LOG: log } });
    expect(traced).toMatchObject({ status: 0, stdout: `${MANIFEST.version}\n` });
    const loaded = readFileSync(log, "utf8").split("\n").filter((url) => url.startsWith("file:")).map((url) => fileURLToPath(url)).filter((path) => path.startsWith(installed));
    expect(loaded.some((path) => path.endsWith(join("dist", "main.js")))).toBe(true);
    // The command tree and its libraries are megabytes; the entry and the version reader, a few kilobytes.
    const bytes = loaded.reduce((sum, path) => sum + statSync(path).size, 0);
    expect(loaded.filter((path) => path.startsWith(join(installed, "node_modules")))).toEqual([]);
    expect(bytes).toBeLessThan(20_000);
  });

  it("writes a report of a local repository without network, structural pass included", () => {
    const out = mkdtempSync(join(tmpdir(), "repo-digest-package-out-"));
    const dataDir = mkdtempSync(join(tmpdir(), "repo-digest-package-data-"));
    try {
      const run = runTool(["report", "--repo", repo.dir, "--days", "7", "--tz", "UTC", "--out", out, "--format", "json", "--no-fetch", "-q"], {
        env: { REPO_DIGEST_DATA_DIR: dataDir },
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const files = readdirSync(out).filter((name) => name.endsWith(".json"));
      expect(files).toHaveLength(1);
      const report = JSON.parse(readFileSync(join(out, files[0]!), "utf8")) as { repos: Array<{ commits: Array<{ subject?: string; facts: { symbols: Array<{ name: string; basis: string }> } }> }> };
      const commits = report.repos[0]!.commits;
      expect(commits).toHaveLength(2);
      // The grammars are installed and found: the changed function comes from tree-sitter.
      expect(commits.flatMap((commit) => commit.facts.symbols)).toContainEqual(expect.objectContaining({ name: "handler", basis: "structure" }));
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
