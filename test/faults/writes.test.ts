/**
 * Replacing files under real faults, through the CLI as a user runs it: a full disk (a real
 * tmpfs), a symbolic link at the report path, temporary files left by a dead run, and a
 * `kill -9` in the middle of writing. Each time the file under its final name is the old
 * one or the whole new one, never a part, and a failure is one line and a non-zero exit.
 */
import { execFileSync, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tempPathFor } from "../../src/delivery/file/write-file.js";
import { makeRepo, makeTempDir, type TestRepo } from "../helpers/make-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { mountTmpfs, type Tmpfs } from "../helpers/tmpfs.js";
import { fillDisk } from "./fill-disk.js";

const DAY = "2026-01-17";
const REPORT = `${DAY}--demo-app.json`;
const TMP_NAME = /\.repo-digest-\d+-[0-9a-z]+\.tmp$/;

/** A Python module with `count` public functions: each is a fact in the JSON report. */
function bigModule(index: number, count: number): string {
  return Array.from({ length: count }, (_, j) => `def handler_${index}_${j}(request, retries=${j % 7}):\n    return request.send(${j})\n`).join("\n");
}

let small: TestRepo;
let big: TestRepo;
let tmpfs: Tmpfs;

beforeAll(() => {
  // The same name (demo/app) and day in both: the big repository's report replaces the small one's.
  small = makeRepo();
  small.write("src/app.py", "def main():\n    return 1\n");
  small.commit({ message: "feat: add the app", date: `${DAY}T09:00:00+00:00` });
  big = makeRepo();
  big.write("src/app.py", "def main():\n    return 1\n");
  big.commit({ message: "feat: add the app", date: `${DAY}T09:00:00+00:00` });
  for (let index = 1; index <= 3; index++) {
    big.write(`src/handlers_${index}.py`, bigModule(index, 1200));
    big.commit({ message: `feat: handlers, part ${index}`, date: `${DAY}T1${index}:00:00+00:00` });
  }
  tmpfs = mountTmpfs(12 * 1024);
});

afterAll(() => {
  tmpfs?.unmount();
  small?.cleanup();
  big?.cleanup();
});

afterEach(() => {
  for (const name of readdirSync(tmpfs.dir)) rmSync(join(tmpfs.dir, name), { recursive: true, force: true });
});

interface Setup {
  cwd: string;
  dataDir: string;
  /** Points the config's demo/app at `repo`, with the rest of the config. */
  config(repo: TestRepo, extra?: string[]): void;
}

function setup(): Setup {
  const cwd = makeTempDir();
  const dataDir = makeTempDir();
  return {
    cwd,
    dataDir,
    config(repo, extra = []) {
      writeFileSync(join(cwd, "repo-digest.yaml"), ["timezone: UTC", ...extra, "repos:", `  - { name: demo/app, path: ${repo.dir} }`, ""].join("\n"));
    },
  };
}

function lastRun(dataDir: string): { id: number; status: string; error: string | null; reports: number } {
  const db = new Database(join(dataDir, "repo-digest.sqlite"), { readonly: true });
  try {
    const run = db.prepare("SELECT id, status, error FROM runs ORDER BY id DESC LIMIT 1").get() as { id: number; status: string; error: string | null };
    const { reports } = db.prepare("SELECT count(*) AS reports FROM reports WHERE run_id = ?").get(run.id) as { reports: number };
    return { ...run, reports };
  } finally {
    db.close();
  }
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

describe("a full disk", () => {
  it("keeps the old report, removes the temporary file, exits 3 with one line, and fails the run", { timeout: 120_000 }, async () => {
    const { cwd, dataDir, config } = setup();
    const out = join(tmpfs.dir, "reports");
    config(small);
    const first = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir });
    expect(first.status, first.stderr).toBe(0);
    const old = readFileSync(join(out, REPORT));

    config(big);
    // Room for a part of the new report only: write(2) returns a short count, then ENOSPC.
    fillDisk(tmpfs.dir, 256 * 1024);
    const run = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(3);
    expect(lines(run.stderr)).toEqual([
      `repo-digest: writing the report: no space left on the device (${join(out, REPORT)}) (free space on that filesystem or choose another folder)`,
    ]);
    expect(run.stdout).toBe("");
    expect(readFileSync(join(out, REPORT)).equals(old)).toBe(true);
    expect(readdirSync(out)).toEqual([REPORT]);
    const row = lastRun(dataDir);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/no space left/);
    expect(row.reports).toBe(0);

    // With room again, the same command writes the whole new report.
    rmSync(join(tmpfs.dir, "filler.bin"));
    const again = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir });
    expect(again.status, again.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, REPORT), "utf8")) as { repos: Array<{ commits: unknown[] }> };
    expect(report.repos[0]!.commits).toHaveLength(4);
    expect(readFileSync(join(out, REPORT)).length).toBeGreaterThan(256 * 1024);
  });

  it("keeps the feed and its entry list whole when they cannot be written, and deliver --retry writes them later", { timeout: 120_000 }, async () => {
    const { cwd, dataDir, config } = setup();
    const feedDir = join(tmpfs.dir, "feed");
    const feed = join(feedDir, "feed.atom");
    const entries = join(feedDir, "feed.entries.json");
    // The reports go to an ordinary folder; only the feed is on the small filesystem.
    const extra = ["output: { dir: reports, formats: [md] }", "delivery:", `  feed: { path: ${feed}, title: Demo }`];
    config(small, extra);
    const first = await runCli(["report", "--date", DAY], { cwd, dataDir });
    expect(first.status, first.stderr).toBe(0);
    const oldFeed = readFileSync(feed);
    const oldEntries = readFileSync(entries);

    config(big, extra);
    fillDisk(tmpfs.dir, 0);
    const run = await runCli(["report", "--date", DAY], { cwd, dataDir });
    // The report is written; a channel that failed is exit 5 and kept for deliver --retry.
    expect(run.status, run.stderr).toBe(5);
    expect(lines(run.stderr).filter((line) => line.startsWith("repo-digest: ") && line.includes("feed"))).toEqual([
      `repo-digest: feed: not delivered: writing the feed's entry list: no space left on the device (${entries})`,
      "repo-digest: delivery failed for feed (the report was written; `repo-digest deliver --retry` sends it again)",
    ]);
    expect(readFileSync(feed).equals(oldFeed)).toBe(true);
    expect(readFileSync(entries).equals(oldEntries)).toBe(true);
    expect(readdirSync(feedDir).sort()).toEqual(["feed.atom", "feed.entries.json"]);

    rmSync(join(tmpfs.dir, "filler.bin"));
    const retry = await runCli(["deliver", "--retry"], { cwd, dataDir });
    expect(retry.status, retry.stderr).toBe(0);
    const state = JSON.parse(readFileSync(entries, "utf8")) as { entries: Array<{ contentHtml: string }> };
    expect(state.entries).toHaveLength(1);
    expect(state.entries[0]!.contentHtml).toContain("handlers, part 3");
    expect(readFileSync(feed, "utf8")).toContain("handlers, part 3");
    // No "entry list is damaged" on the next run.
    const next = await runCli(["report", "--date", DAY], { cwd, dataDir });
    expect(next.status, next.stderr).toBe(0);
  });

  it("says a read-only feed folder is read-only, not that another run holds the feed", { timeout: 60_000 }, async () => {
    const { cwd, dataDir, config } = setup();
    const feed = join(tmpfs.dir, "feed.atom");
    config(small, ["output: { dir: reports, formats: [md] }", "delivery:", `  feed: { path: ${feed}, title: Demo }`]);
    execFileSync("mount", ["-o", "remount,ro", tmpfs.dir]);
    try {
      const run = await runCli(["report", "--date", DAY], { cwd, dataDir });
      expect(run.status, run.stderr).toBe(5);
      expect(lines(run.stderr)).toContain(`repo-digest: feed: not delivered: locking the feed: the filesystem is read-only (${feed})`);
    } finally {
      execFileSync("mount", ["-o", "remount,rw", tmpfs.dir]);
    }
  });

  it("leaves the config untouched when `repos add` or `init --force` cannot write it", async () => {
    const file = join(tmpfs.dir, "repo-digest.yaml");
    const text = "# my settings\ntimezone: UTC\nrepos:\n  - { name: demo/app, path: /srv/app }\n";
    writeFileSync(file, text);
    fillDisk(tmpfs.dir, 0);
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    const add = await runCli(["repos", "add", small.dir, "--name", "demo/other", "-c", file], { cwd, dataDir });
    expect(add.status, add.stderr).toBe(3);
    expect(lines(add.stderr)).toEqual([
      `repo-digest: writing the config: no space left on the device (${file}) (free space on that filesystem or choose another folder)`,
    ]);
    const init = await runCli(["init", "--force", "-c", file], { cwd, dataDir });
    expect(init.status, init.stderr).toBe(3);
    expect(lines(init.stderr)).toHaveLength(1);
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(readdirSync(tmpfs.dir).sort()).toEqual(["filler.bin", "repo-digest.yaml"]);
  });
});

describe("a symbolic link at the report path", () => {
  it("is refused with one line naming it (exit 2), and its target is untouched", async () => {
    const { cwd, dataDir, config } = setup();
    config(small);
    const out = join(cwd, "reports");
    mkdirSync(out);
    const target = join(makeTempDir(), "authorized_keys");
    writeFileSync(target, "ssh-ed25519 AAAA... admin\n");
    const link = join(out, REPORT);
    symlinkSync(target, link);
    const run = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `repo-digest: writing the report: ${link} is a symbolic link; repo-digest never writes through one (remove the link, or choose a folder where nobody else can place links)`,
    ]);
    expect(readFileSync(target, "utf8")).toBe("ssh-ed25519 AAAA... admin\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(out)).toEqual([REPORT]);
    expect(lastRun(dataDir).status).toBe("failed");
  });
});

describe("temporary files left behind", () => {
  let out: string;
  beforeEach(() => {
    out = join(makeTempDir(), "reports");
    mkdirSync(out);
  });

  it("removes a dead run's on the next write in the folder, and leaves a live run's alone", async () => {
    const { cwd, dataDir, config } = setup();
    config(small);
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    const stale = tempPathFor(join(out, `${DAY}--demo-app.md`), deadPid, "5ca1ab1e");
    const live = tempPathFor(join(out, `${DAY}--demo-app.md`), process.pid, "a11ve");
    writeFileSync(stale, "# half a rep");
    writeFileSync(live, "# a report being written by another run");
    const run = await runCli(["report", "--date", DAY, "--out", out], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(out).sort()).toEqual([live.slice(out.length + 1), `${DAY}--demo-app.md`].sort());
  });

  it("after a kill -9 while the report is written, holds the old report or the whole new one, never a part", { timeout: 180_000 }, async () => {
    const { cwd, dataDir, config } = setup();
    config(small);
    const first = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir });
    expect(first.status, first.stderr).toBe(0);
    const old = readFileSync(join(out, REPORT));

    config(big);
    // Killed the moment its temporary file appears: between the open and the rename.
    let child: ChildProcess | undefined;
    let killedAt: string | undefined;
    const watcher = watch(out, (_event, name) => {
      if (!killedAt && name && TMP_NAME.test(name)) {
        killedAt = name;
        child?.kill("SIGKILL");
      }
    });
    const run = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir, onChild: (spawned) => (child = spawned) }).finally(() =>
      watcher.close(),
    );
    expect(killedAt, "the report was written before the watcher saw its temporary file").toBeDefined();
    expect(run.status).toBeNull();
    const after = readFileSync(join(out, REPORT));
    const leftovers = readdirSync(out).filter((name) => TMP_NAME.test(name));
    if (after.equals(old)) {
      // Killed between the open and the rename (the usual case): the part is under its temporary name only.
      expect(leftovers).toEqual([killedAt]);
    } else {
      // The rename happened before the signal landed: then it is the whole new report.
      expect((JSON.parse(after.toString("utf8")) as { repos: Array<{ commits: unknown[] }> }).repos[0]!.commits).toHaveLength(4);
    }

    // The next run clears what the killed one left and writes the whole report.
    const next = await runCli(["report", "--date", DAY, "-f", "json", "--out", out], { cwd, dataDir });
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(out)).toEqual([REPORT]);
    expect((JSON.parse(readFileSync(join(out, REPORT), "utf8")) as { repos: Array<{ commits: unknown[] }> }).repos[0]!.commits).toHaveLength(4);
  });
});
