/**
 * The CLI under faults a user meets, as a real process: a damaged store, a full disk (a real
 * tmpfs), a config that is a folder or hostile YAML, a repository name too long for a file
 * name, and usage errors of every command. Each time: the documented exit code, exactly one
 * line on stderr that names the problem and the fix, no stack trace, and the files that
 * existed before byte for byte as they were.
 */
import { randomFillSync } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Command, type Option } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram, main } from "../../src/cli/program.js";
import { reportName } from "../../src/pipeline/run-report.js";
import type { Period } from "../../src/time/period.js";
import { makeRepo, makeTempDir, type TestRepo } from "../helpers/make-repo.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { mountTmpfs, type Tmpfs } from "../helpers/tmpfs.js";
import { fillDisk } from "./fill-disk.js";

const DAY = "2026-01-17";
const STORE = "repo-digest.sqlite";

let repo: TestRepo;
/** A store holding the repository's day, written by a real run: copied into each case. */
let goodStore: Buffer;
let tmpfs: Tmpfs;

beforeAll(async () => {
  repo = makeRepo();
  repo.write("src/app.py", "def main():\n    return 1\n");
  repo.commit({ message: "feat: add the app", date: `${DAY}T09:00:00+00:00` });
  repo.write("src/app.py", "def main(retries=3):\n    return retries\n");
  repo.commit({ message: "fix: retry", date: `${DAY}T10:00:00+00:00` });
  const dataDir = makeTempDir();
  const first = await report(dataDir);
  expect(first.status, first.stderr).toBe(0);
  goodStore = readFileSync(join(dataDir, STORE));
  // Fails the suite, never skips it, where a tmpfs cannot be mounted.
  tmpfs = mountTmpfs(4 * 1024);
});

afterAll(() => {
  tmpfs?.unmount();
  repo?.cleanup();
});

function report(dataDir: string, extra: string[] = [], cwd = makeTempDir()): Promise<CliRun> {
  return runCli(["report", "--repo", repo.dir, "--date", DAY, "--tz", "UTC", "--out", join(cwd, "reports"), ...extra], { cwd, dataDir });
}

/** The one line, the exit code, and nothing of an internal error. */
function expectOneLine(run: CliRun, exitCode: number, pattern: RegExp): string {
  expect(run.status, run.stderr).toBe(exitCode);
  const lines = run.stderr.split("\n").filter((line) => line.length > 0);
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
  expect(lines[0]).toMatch(/^repo-digest: /);
  expect(lines[0]).toMatch(pattern);
  return lines[0]!;
}

/** A data dir whose store is `bytes`. */
function dataDirWith(bytes: Buffer): { dataDir: string; file: string } {
  const dataDir = makeTempDir();
  const file = join(dataDir, STORE);
  writeFileSync(file, bytes);
  return { dataDir, file };
}

describe("a damaged store", () => {
  it("cut to half its size: refused at open, left as it was", async () => {
    const { dataDir, file } = dataDirWith(goodStore.subarray(0, goodStore.length / 2));
    const before = readFileSync(file);
    const line = expectOneLine(await report(dataDir), 3, /^repo-digest: opening the store: the database file is damaged/);
    expect(line).toContain(`(${file})`);
    expect(line).toMatch(/\(move it aside and run again to start a new store\)$/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("cut inside its last page, which SQLite itself would open: refused", async () => {
    const { dataDir, file } = dataDirWith(goodStore.subarray(0, goodStore.length - 1));
    expectOneLine(await report(dataDir), 3, /opening the store: the database file is damaged, cut short inside a page .*move it aside/);
    expect(readFileSync(file).equals(goodStore.subarray(0, goodStore.length - 1))).toBe(true);
  });

  it("overwritten with random bytes: refused, left as it was", async () => {
    const noise = randomFillSync(Buffer.alloc(goodStore.length));
    const { dataDir, file } = dataDirWith(noise);
    expectOneLine(await report(dataDir), 3, /^repo-digest: opening the store: the file is not an SQLite database \(.*repo-digest\.sqlite\) \(move it aside/);
    expect(readFileSync(file).equals(noise)).toBe(true);
  });

  it("random bytes after the header page: refused, left as it was", async () => {
    const damaged = Buffer.from(goodStore);
    randomFillSync(damaged, 4096);
    const { dataDir, file } = dataDirWith(damaged);
    expectOneLine(await report(dataDir), 3, /the database file is damaged \(.*\) \(move it aside/);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it("a damaged table met in the middle of a run: one line naming the file, the page not repaired", async () => {
    const { dataDir, file } = dataDirWith(goodStore);
    const db = new Database(file, { readonly: true });
    const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'commits'").get() as { rootpage: number };
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.close();
    const damaged = readFileSync(file);
    randomFillSync(damaged, (rootpage - 1) * pageSize, pageSize);
    writeFileSync(file, damaged);
    const page = () => readFileSync(file).subarray((rootpage - 1) * pageSize, rootpage * pageSize);
    const before = page();
    expectOneLine(await report(dataDir), 3, /^repo-digest: reading the store: the database file is damaged \(.*repo-digest\.sqlite\) \(move it aside/);
    expect(page().equals(before)).toBe(true);
  });

  it("a folder where the store file belongs", async () => {
    const dataDir = makeTempDir();
    mkdirSync(join(dataDir, STORE, "inside"), { recursive: true });
    expectOneLine(await report(dataDir), 3, /opening the store: .*repo-digest\.sqlite is a directory, not a database file \(move it aside/);
    expect(readdirSync(join(dataDir, STORE))).toEqual(["inside"]);
  });

  it("is refused by the other commands that open it too", async () => {
    const { dataDir, file } = dataDirWith(goodStore.subarray(0, goodStore.length / 2));
    const run = await runCli(["deliver"], { cwd: makeTempDir(), dataDir });
    expectOneLine(run, 3, /opening the store: the database file is damaged/);
    expect(readFileSync(file).length).toBe(goodStore.length / 2);
  });
});

describe("a full disk", () => {
  function emptyTmpfs(): void {
    for (const name of readdirSync(tmpfs.dir)) rmSync(join(tmpfs.dir, name), { recursive: true, force: true });
  }

  it("under a new data dir: exit 3, no space left, naming the store", async () => {
    emptyTmpfs();
    fillDisk(tmpfs.dir, 0);
    const dataDir = join(tmpfs.dir, "data");
    expectOneLine(await report(dataDir), 3, /^repo-digest: opening the store: no space left for the database \(.*data\/repo-digest\.sqlite\) \(free space .* --data-dir\)$/);
  });

  it("under a data dir with a store: exit 3, the store as it was", async () => {
    emptyTmpfs();
    const dataDir = join(tmpfs.dir, "data");
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, STORE), goodStore);
    fillDisk(tmpfs.dir, 0);
    // -f json: work the store has not done yet (its analyses are the same, its run is new).
    expectOneLine(await report(dataDir, ["-f", "json"]), 3, /no space left for the database/);
    expect(readFileSync(join(dataDir, STORE)).equals(goodStore)).toBe(true);
  });

  it("filling up during the run: exit 3, naming the store", { timeout: 120_000 }, async () => {
    emptyTmpfs();
    const big = makeRepo();
    try {
      for (let part = 1; part <= 4; part++) {
        big.write(`src/part_${part}.py`, Array.from({ length: 1500 }, (_, j) => `def handler_${part}_${j}(request):\n    return request.send(${j})\n`).join("\n"));
        big.commit({ message: `feat: part ${part}`, date: `${DAY}T1${part}:00:00+00:00` });
      }
      // Room to open a new store, not for the commits' patches and facts.
      fillDisk(tmpfs.dir, 256 * 1024);
      const cwd = makeTempDir();
      const run = await runCli(["report", "--repo", big.dir, "--date", DAY, "--tz", "UTC", "--out", join(cwd, "reports")], { cwd, dataDir: join(tmpfs.dir, "data") });
      expectOneLine(run, 3, /^repo-digest: writing to the store: no space left for the database \(.*repo-digest\.sqlite\) \(free space/);
    } finally {
      big.cleanup();
    }
  });

  it("under --out: exit 3, the old report as it was", async () => {
    emptyTmpfs();
    const out = join(tmpfs.dir, "reports");
    mkdirSync(out);
    const old = join(out, `${DAY}--${repo.dir.split("/").at(-1)!.replace(/[^A-Za-z0-9._-]+/g, "-")}.md`);
    writeFileSync(old, "the report of an earlier run\n");
    fillDisk(tmpfs.dir, 0);
    const { dataDir } = dataDirWith(goodStore);
    const run = await runCli(["report", "--repo", repo.dir, "--date", DAY, "--tz", "UTC", "--out", out], { cwd: makeTempDir(), dataDir });
    expectOneLine(run, 3, /^repo-digest: writing the report: no space left on the device \(.*\) \(free space/);
    expect(readFileSync(old, "utf8")).toBe("the report of an earlier run\n");
  });
});

describe("a config that cannot be read", () => {
  async function withConfig(text: string, args: string[] = ["report"]): Promise<{ run: CliRun; file: string }> {
    const cwd = makeTempDir();
    const file = join(cwd, "repo-digest.yaml");
    writeFileSync(file, text);
    const run = await runCli(args, { cwd, dataDir: makeTempDir() });
    // Read, never rewritten.
    expect(readFileSync(file, "utf8")).toBe(text);
    return { run, file };
  }

  it("-c naming a folder: exit 2, the path and the fix", async () => {
    const folder = makeTempDir();
    const run = await runCli(["-c", folder, "report"], { cwd: makeTempDir(), dataDir: makeTempDir() });
    expectOneLine(run, 2, new RegExp(`^repo-digest: reading the config: is a directory, not a file \\(${folder}\\) \\(give the path of a file\\)$`));
  });

  it("an alias inside the value it names: exit 2 at its line and column", async () => {
    const { run, file } = await withConfig("timezone: UTC\nrepos: &a [*a]\n");
    expectOneLine(run, 2, new RegExp(`^repo-digest: ${file}:2:12: the alias \\*a is inside the value it names`));
  });

  it("the same cycle when `repos add` edits the file: exit 2, the file untouched", async () => {
    const { run } = await withConfig("a: &a [*a]\n", ["repos", "add", repo.dir]);
    expectOneLine(run, 2, /repo-digest\.yaml:1:8: the alias \*a is inside the value it names/);
  });

  it("an alias bomb (billion laughs): exit 2 at the alias that expands most", async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [index, name] of [..."bcdefghi"].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${"abcdefghi"[index]}`).join(",")}]`);
    const { run, file } = await withConfig(`${levels.join("\n")}\n`);
    expectOneLine(run, 2, new RegExp(`^repo-digest: ${file}:9:\\d+: the aliases expand the config to [\\d,]+ values \\(\\*h alone to [\\d,]+\\); at most 100,000 are allowed`));
  });

  it("an alias without its anchor: exit 2 at its line", async () => {
    const { run, file } = await withConfig("timezone: UTC\nrepos: *nowhere\n");
    expectOneLine(run, 2, new RegExp(`^repo-digest: ${file}:2:8: the alias \\*nowhere has no anchor &nowhere before it`));
  });

  it("one anchor used by 150 repositories is a config, not an attack", async () => {
    const repos = Array.from({ length: 150 }, (_, i) => `  - { name: r${i}, path: ${repo.dir}, criticalPaths: *critical }`);
    const { run } = await withConfig(["timezone: UTC", 'critical: &critical ["src/**"]', "repos:", ...repos, ""].join("\n"), ["repos", "list"]);
    // Not "internal error": yaml's own alias count (100) stopped this before.
    expect(run.stderr).toMatch(/repo-digest\.yaml:2:1: critical: no such key here/);
    const listed = await withConfig(["timezone: UTC", "repos:", `  - { name: r0, path: ${repo.dir}, criticalPaths: &critical ["src/**"] }`, ...repos.slice(1), ""].join("\n"), ["repos", "list"]);
    expect(listed.run.stderr).toBe("");
    expect(listed.run.status).toBe(0);
    expect(listed.run.stdout.split("\n").filter(Boolean)).toHaveLength(150);
  });

  it("a YAML syntax error: exit 2 at its line and column", async () => {
    const { run, file } = await withConfig("timezone: UTC\nlanguage: en\noutput: { dir: reports\nrepos: []\n");
    expectOneLine(run, 2, new RegExp(`^repo-digest: ${file}:\\d+:\\d+: not valid YAML: .+ \\(fix the YAML syntax`));
    expect(run.stderr).toMatch(/:[34]:\d+: not valid YAML/);
  });
});

describe("a repository name too long for a file name", () => {
  it("gets a shortened, still readable report file name of at most 255 bytes", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    const long = `acme/${"very-long-name-".repeat(20)}end`;
    expect(long.length).toBeGreaterThanOrEqual(300);
    expect((await runCli(["init"], { cwd, dataDir })).status).toBe(0);
    const added = await runCli(["repos", "add", repo.dir, "--name", long], { cwd, dataDir });
    expect(added.status, added.stderr).toBe(0);
    const run = await runCli(["report", "--date", DAY, "--tz", "UTC", "--lang", "en", "--period", "day", "-f", "md", "-f", "html", "-f", "json"], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(0);
    const names = readdirSync(join(cwd, "reports"));
    expect(names).toHaveLength(3);
    for (const name of names) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^2026-01-17--acme-very-long-name-very-long-name-.*-[0-9a-f]{8}\.en\.(md|html|json)$/);
      expect(run.stdout).toContain(join(cwd, "reports", name));
    }
    expect(readFileSync(join(cwd, "reports", names.find((name) => name.endsWith(".md"))!), "utf8")).toContain("feat: add the app");
  });

  it("keeps two long names that start alike apart", () => {
    const period = { label: DAY, since: new Date(), until: new Date(), timezone: "UTC" } as Period;
    const name = (repoName: string) => reportName({ period, repos: [{ name: repoName }] as never, lang: "zh-CN" });
    const first = name(`${"x".repeat(300)}-one`);
    const second = name(`${"x".repeat(300)}-two`);
    expect(first).not.toBe(second);
    expect(first.length).toBeLessThanOrEqual(DAY.length + 2 + 100);
    expect(name("ai-dynamo/dynamo")).toBe(`${DAY}--ai-dynamo-dynamo`);
  });
});

describe("usage errors of every command", () => {
  /** Every command of the real program, at every depth, with its path from the root. */
  function commands(): Array<{ path: string[]; command: Command }> {
    const found: Array<{ path: string[]; command: Command }> = [];
    const walk = (command: Command, path: string[]) => {
      found.push({ path, command });
      for (const child of command.commands) walk(child, [...path, child.name()]);
    };
    walk(buildProgram(), []);
    return found;
  }
  /** Placeholder values for a command's required arguments, so that only the option is wrong. */
  const operands = (command: Command) => command.registeredArguments.filter((argument) => argument.required).map(() => "x");
  const usage = (path: string[]) => new RegExp(`\\(run \`${["repo-digest", ...path, "--help"].join(" ")}\` for usage\\)$`);
  const dataDir = makeTempDir();

  it("finds every command", () => {
    expect(commands().map(({ path }) => path.join(" "))).toEqual(["", "report", "init", "repos", "repos add", "repos import", "repos list", "repos remove", "config", "config validate", "config path", "fetch", "deliver", "daemon", "worker", "subscriptions", "subscriptions list", "serve"]);
  });

  it("an unknown option: exit 2 and one usage line, for each", { timeout: 120_000 }, async () => {
    for (const { path, command } of commands()) {
      const run = await runCli([...path, ...operands(command), "--frobnicate"], { cwd: makeTempDir(), dataDir });
      const where = path.length > 0 ? `${path.join(" ")}: ` : "";
      const line = expectOneLine(run, 2, new RegExp(`^repo-digest: ${where}unknown option '--frobnicate'`));
      expect(line).toMatch(usage(path));
    }
  });

  it("a value outside an option's choices: exit 2 and one usage line, for each", { timeout: 120_000 }, async () => {
    const withChoices = commands().flatMap(({ path, command }) =>
      (command.options as Option[]).filter((option) => option.argChoices).map((option) => ({ path, command, flag: option.long! })),
    );
    expect(withChoices.map(({ flag }) => flag)).toEqual(expect.arrayContaining(["--lang", "--format", "--period", "--analyzer"]));
    for (const { path, command, flag } of withChoices) {
      const run = await runCli([...path, ...operands(command), flag, "fr"], { cwd: makeTempDir(), dataDir });
      const where = path.length > 0 ? `${path.join(" ")}: ` : "";
      const line = expectOneLine(run, 2, new RegExp(`^repo-digest: ${where}option '.*${flag} <\\w+>' argument 'fr' is invalid\\. Allowed choices are `));
      expect(line).toMatch(usage(path));
    }
  });

  it("a missing argument, an extra argument, an unknown command: exit 2 and one line", { timeout: 120_000 }, async () => {
    for (const { path, command } of commands()) {
      if (operands(command).length === 0) continue;
      expectOneLine(await runCli(path, { cwd: makeTempDir(), dataDir }), 2, /: missing required argument '[\w-]+' \(run `.*--help` for usage\)$/);
    }
    expectOneLine(await runCli(["repos", "list", "extra"], { cwd: makeTempDir(), dataDir }), 2, /^repo-digest: repos list: too many arguments/);
    expectOneLine(await runCli(["reprot"], { cwd: makeTempDir(), dataDir }), 2, /^repo-digest: unknown command 'reprot'; did you mean report\? \(run `repo-digest --help` for usage\)$/);
  });

  it("--help and --version still exit 0", async () => {
    const help = await runCli(["repos", "add", "--help"], { cwd: makeTempDir(), dataDir });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: repo-digest repos add/);
    expect((await runCli(["--version"], { cwd: makeTempDir(), dataDir })).status).toBe(0);
  });
});

describe("an internal error (a bug)", () => {
  /** The real program with one more command whose action has a real bug: a TypeError, no mock. */
  async function runBuggy(args: string[]): Promise<{ code: number; stderr: string }> {
    const program = buildProgram().addCommand(
      new Command("buggy").action(() => {
        const settings = JSON.parse("null") as { retries: number };
        console.log(settings.retries);
      }),
    );
    let stderr = "";
    const code = await main(["node", "repo-digest", ...args], { program, writeErr: (text) => (stderr += text) });
    return { code, stderr };
  }

  it("prints one line and says how to see the stack", async () => {
    const { code, stderr } = await runBuggy(["buggy"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^repo-digest: internal error \(please report it\): TypeError: Cannot read properties of null \(reading 'retries'\) \(run with --verbose for the stack trace\)\n$/);
  });

  it("prints the stack with --verbose", async () => {
    const { code, stderr } = await runBuggy(["--verbose", "buggy"]);
    expect(code).toBe(1);
    const [first, ...rest] = stderr.split("\n");
    expect(first).toBe("repo-digest: internal error (please report it): TypeError: Cannot read properties of null (reading 'retries')");
    expect(rest.join("\n")).toMatch(/^TypeError: .*\n\s+at .*cli-errors\.test\.ts/);
  });

  it("a known error with --verbose adds what caused it, below its line", async () => {
    const { dataDir } = dataDirWith(goodStore.subarray(0, goodStore.length / 2));
    const run = await report(dataDir, ["--verbose"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^repo-digest: opening the store: the database file is damaged .*\ncaused by \(SQLITE_CORRUPT\): SqliteError: database disk image is malformed\n\s+at /m);
  });
});
