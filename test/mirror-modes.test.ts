/**
 * `mirror: blobless | shallow` against `mirror: full`, through the real CLI and a real
 * remote: a bare repository served over file:// with `uploadpack.allowFilter`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli, type CliRun } from "./helpers/run-cli.js";

const DAY = 24 * 3600 * 1000;
/** Days relative to today: the shallow clone keeps the last 30 days, so the history is dated from now. */
const day = (ago: number) => new Date(Date.now() - ago * DAY).toISOString().slice(0, 10);
const at = (ago: number, hour: number) => `${day(ago)}T${String(hour).padStart(2, "0")}:00:00+00:00`;

const OLD = 45; // before the shallow clone's 30 days
const BOUNDARY = 10; // the oldest commit a 30-day shallow clone holds: its parent is 35 days older
const RECENT = 3;
const NEWER = 2;

let work: TestRepo;
let served: string;
let url: string;

function git(gitDir: string, args: string[], input?: string): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

beforeAll(() => {
  work = makeRepo();
  const fn = (name: string, body: string) => `export function ${name}(a: number): number {\n  return ${body};\n}\n`;
  work.write("src/math.ts", fn("double", "a * 2")).write("src/untouched.ts", fn("same", "a")).write("README.md", "# demo\n");
  work.commit({ message: "feat: math", date: at(OLD + 1, 9) });
  work.write("src/math.ts", fn("double", "a * 2") + fn("triple", "a * 3"));
  work.commit({ message: "feat: triple", date: at(OLD, 10) });
  work.write("src/big-untouched.txt", "x".repeat(50_000));
  work.commit({ message: "chore: data", date: at(OLD - 1, 10) });
  work.write("src/math.ts", fn("double", "a + a") + fn("triple", "a * 3"));
  work.commit({ message: "refactor: double by addition", date: at(BOUNDARY, 11) });
  work.write("src/math.ts", fn("double", "a + a") + fn("triple", "a * 3", ) + fn("quad", "a * 4"));
  work.move("README.md", "docs/README.md");
  work.commit({ message: "feat: quad", date: at(RECENT, 12) });
  work.write("src/other.ts", fn("other", "a - 1"));
  work.commit({ message: "feat: other", date: at(NEWER, 12) });
  const dir = makeTempDir();
  served = join(dir, "served.git");
  execFileSync("git", ["clone", "-q", "--bare", work.dir, served]);
  git(served, ["config", "uploadpack.allowFilter", "true"]);
  url = `file://${served}`;
});

afterAll(() => work?.cleanup());

interface Run {
  run: CliRun;
  json: { repos: Array<{ commits: Array<{ sha: string; facts: { unseen: { unreadableFiles?: string[] }; files: Array<{ path: string; status: string }> } }>; notices: string[] }> };
  mirror: string;
}

async function report(mode: string, ago: number, dataDir: string, options: { fetch?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  const cwd = makeTempDir();
  writeFileSync(join(cwd, "repo-digest.yaml"), `timezone: UTC\nlanguage: en\noutput: { dir: reports, formats: [json] }\ngithub: { enabled: false }\nrepos:\n  - { name: demo/x, url: "${url}", mirror: ${mode} }\n`);
  const run = await runCli(["report", "--date", day(ago), "--analyzer", "rules", ...(options.fetch === false ? ["--no-fetch"] : [])], {
    cwd,
    dataDir,
    ...(options.env ? { env: options.env } : {}),
  });
  const out = join(cwd, "reports");
  const file = existsSync(out) ? readdirSync(out).find((name) => name.endsWith(".json")) : undefined;
  const json = file ? JSON.parse(readFileSync(join(out, file), "utf8")) : { repos: [] };
  const mirrors = join(dataDir, "mirrors");
  const mirror = existsSync(mirrors) ? join(mirrors, readdirSync(mirrors).find((name) => name.endsWith(".git"))!) : "";
  return { run, json, mirror };
}

/** The period's commits and their facts: what must not depend on how the mirror was made. */
const facts = (r: Run) => r.json.repos[0]?.commits.map((commit) => ({ sha: commit.sha, facts: commit.facts }));

const full = new Map<number, Run>();
async function fullReport(ago: number): Promise<Run> {
  if (!full.has(ago)) {
    const result = await report("full", ago, makeTempDir());
    expect(result.run.status, result.run.stderr).toBe(0);
    full.set(ago, result);
  }
  return full.get(ago)!;
}

function presentBlobs(gitDir: string): Set<string> {
  const out = git(gitDir, ["cat-file", "--batch-check=%(objecttype) %(objectname)", "--batch-all-objects"]);
  return new Set(out.split("\n").filter((line) => line.startsWith("blob ")).map((line) => line.slice(5)));
}

/** Both sides of every file the commits of that day change (what the report reads). */
function blobsOfDay(ago: number): Set<string> {
  const out = work.git(["log", "--first-parent", "--raw", "--no-abbrev", "--no-renames", "--format=", `--since=${day(ago)}T00:00:00Z`, `--until=${day(ago)}T23:59:59Z`]);
  const blobs = new Set<string>();
  for (const line of out.split("\n").filter((l) => l.startsWith(":"))) {
    const [, , a, b] = line.slice(1).split(/[ \t]/);
    for (const oid of [a, b]) if (oid && !/^0+$/.test(oid)) blobs.add(oid);
  }
  return blobs;
}

/** `git fetch`es the CLI's git processes made, from a GIT_TRACE_PACKET log (protocol v2: one `command=fetch` each). */
function fetchRequests(trace: string): number {
  return readFileSync(trace, "utf8").split("\n").filter((line) => /fetch> command=fetch/.test(line)).length;
}

describe("mirror: blobless", () => {
  it("clones no file contents, fetches the period's in one request, and reports what a full mirror does", { timeout: 120_000 }, async () => {
    const dataDir = makeTempDir();
    const first = await report("blobless", RECENT, dataDir);
    expect(first.run.status, first.run.stderr).toBe(0);
    expect(git(first.mirror, ["config", "remote.origin.partialclonefilter"]).trim()).toBe("blob:none");
    // Only the blobs of the reported day's commits are in the mirror (the 50 kB file is not).
    const present = presentBlobs(first.mirror);
    const needed = blobsOfDay(RECENT);
    expect(needed.size).toBeGreaterThan(0);
    expect([...present].sort()).toEqual([...needed].sort());
    expect(facts(first)).toEqual(facts(await fullReport(RECENT)));

    // Another day, the mirror as it is: exactly one fetch for all its blobs, none lazily per object.
    const trace = join(makeTempDir(), "packet.log");
    const older = await report("blobless", BOUNDARY, dataDir, { fetch: false, env: { GIT_TRACE_PACKET: trace } });
    expect(older.run.status, older.run.stderr).toBe(0);
    expect(fetchRequests(trace)).toBe(1);
    expect(facts(older)).toEqual(facts(await fullReport(BOUNDARY)));
    for (const oid of blobsOfDay(BOUNDARY)) expect(presentBlobs(older.mirror).has(oid)).toBe(true);
  });

  it("offline: writes the report with the unread files named, exit 6", { timeout: 120_000 }, async () => {
    const dataDir = makeTempDir();
    expect((await report("blobless", NEWER, dataDir)).run.status).toBe(0);
    const away = `${served}.away`;
    renameSync(served, away);
    try {
      const trace = join(makeTempDir(), "packet.log");
      const offline = await report("blobless", RECENT, dataDir, { env: { GIT_TRACE_PACKET: trace } });
      expect(offline.run.status, offline.run.stderr).toBe(6);
      const unread = offline.json.repos[0]!.commits.flatMap((commit) => commit.facts.unseen.unreadableFiles ?? []);
      expect(unread).toContain("src/math.ts");
      // It says the fetch failed, and no lazy fetch per object was tried behind its back.
      expect(offline.json.repos[0]!.notices.join("\n")).toMatch(/fetch/i);
      expect(existsSync(trace) ? fetchRequests(trace) : 0).toBe(0);
    } finally {
      renameSync(away, served);
    }
  });
});

describe("mirror: shallow", () => {
  it("reports a recent day, deepens for an older one, and never reports the boundary as adding everything", { timeout: 180_000 }, async () => {
    const dataDir = makeTempDir();
    const recent = await report("shallow", RECENT, dataDir);
    expect(recent.run.status, recent.run.stderr).toBe(0);
    expect(existsSync(join(recent.mirror, "shallow"))).toBe(true);
    // Shallow: the oldest commits are not in the mirror.
    const oldest = work.git(["rev-list", "--max-parents=0", "HEAD"]).trim();
    expect(() => git(recent.mirror, ["cat-file", "-e", `${oldest}^{commit}`])).toThrow();
    expect(facts(recent)).toEqual(facts(await fullReport(RECENT)));

    // The boundary commit's own day: its parent is fetched first, so it modifies src/math.ts, not adds it.
    const boundary = await report("shallow", BOUNDARY, dataDir);
    expect(boundary.run.status, boundary.run.stderr).toBe(0);
    const files = boundary.json.repos[0]!.commits.flatMap((commit) => commit.facts.files);
    expect(files.map((file) => `${file.status} ${file.path}`)).toEqual(["modified src/math.ts"]);
    expect(facts(boundary)).toEqual(facts(await fullReport(BOUNDARY)));

    // Older than the shallow clone: deepened first.
    const old = await report("shallow", OLD, dataDir);
    expect(old.run.status, old.run.stderr).toBe(0);
    expect(old.json.repos[0]!.commits).toHaveLength(1);
    expect(facts(old)).toEqual(facts(await fullReport(OLD)));
  });
});

describe("a mirror fetched by the report", () => {
  it("reads from the fetched tip, not the one it had before fetching", { timeout: 120_000 }, async () => {
    const dataDir = makeTempDir();
    const tip = git(served, ["rev-parse", "main"]).trim();
    git(served, ["update-ref", "refs/heads/main", `${tip}~1`]);
    try {
      expect((await report("full", RECENT, dataDir)).run.status).toBe(0);
    } finally {
      git(served, ["update-ref", "refs/heads/main", tip]);
    }
    const next = await report("full", NEWER, dataDir);
    expect(next.run.status, next.run.stderr).toBe(0);
    expect(next.json.repos[0]!.commits.map((commit) => commit.sha)).toEqual([tip]);
  });
});

describe("mirror: shallow of a quiet repository", () => {
  it("clones the newest commit when nothing is younger than 30 days, and deepens for the day asked", { timeout: 120_000 }, async () => {
    const dataDir = makeTempDir();
    const tip = git(served, ["rev-parse", "main"]).trim();
    // Every commit of the branch older than the shallow clone's 30 days.
    git(served, ["update-ref", "refs/heads/main", `${tip}~3`]);
    try {
      const old = await report("shallow", OLD, dataDir);
      // Without the fallback the clone itself fails ("no commits selected for shallow requests").
      expect(old.run.status, old.run.stderr).toBe(0);
      expect(old.json.repos[0]!.commits).toHaveLength(1);
      expect(facts(old)).toEqual(facts(await fullReport(OLD)));
    } finally {
      git(served, ["update-ref", "refs/heads/main", tip]);
    }
  });
});
