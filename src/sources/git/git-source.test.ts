import { afterEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeRepo, makeTempDir, type TestRepo } from "../../../test/helpers/make-repo.js";
import { silentLogger } from "../../logger.js";
import type { Commit } from "../types.js";
import { GitSource, isRemoteLocation, mirrorDirName } from "./git-source.js";
import { readHistoryFromGit } from "./read-log.js";

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = makeRepo();
  repos.push(r);
  return r;
}
afterEach(() => {
  while (repos.length) repos.pop()!.cleanup();
});

async function readAll(r: TestRepo, limits?: Parameters<typeof readHistoryFromGit>[1]["limits"]): Promise<Commit[]> {
  const commits: Commit[] = [];
  for await (const c of readHistoryFromGit("HEAD", { gitDir: join(r.dir, ".git"), ...(limits ? { limits } : {}) })) {
    commits.push(c);
  }
  return commits;
}

function source(r: TestRepo, branch?: string): GitSource {
  return new GitSource(
    { name: "test/repo", location: r.dir, ...(branch ? { branch } : {}) },
    { mirrorsDir: makeTempDir(), logger: silentLogger },
  );
}

describe("reading history with one git process", () => {
  it("reads messages, people, dates and files of ordinary commits", async () => {
    const r = repo();
    r.write("src/app.py", "def main():\n    return 1\n");
    r.commit({ message: "feat: first\n\nA body\nwith two lines\n", date: "2026-01-17T06:06:33+08:00" });
    r.write("src/app.py", "def main():\n    return 2\n\ndef other():\n    pass\n");
    const sha = r.commit({
      message: "fix(app): second (#12)",
      date: "2026-01-17T07:00:00+08:00",
      authorDate: "2026-01-10T01:02:03-05:00",
      author: { name: "Grace Hopper", email: "grace@example.com" },
      committer: { name: "GitHub", email: "noreply@github.com" },
    });

    const [latest, first] = await readAll(r);
    expect(latest!.sha).toBe(sha);
    expect(latest!.subject).toBe("fix(app): second (#12)");
    expect(latest!.author).toEqual({ name: "Grace Hopper", email: "grace@example.com", date: "2026-01-10T01:02:03-05:00" });
    expect(latest!.committer).toEqual({ name: "GitHub", email: "noreply@github.com", date: "2026-01-17T07:00:00+08:00" });
    expect(latest!.parents).toEqual([first!.sha]);
    expect(latest!.files).toHaveLength(1);
    expect(latest!.files[0]).toMatchObject({ path: "src/app.py", status: "modified", additions: 4, deletions: 1 });
    expect(latest!.files[0]!.patch).toContain("+def other():");
    expect(first!.body).toBe("A body\nwith two lines");
    expect(first!.parents).toEqual([]);
    expect(first!.files[0]).toMatchObject({ status: "added", oldMode: "000000", newMode: "100644", additions: 2 });
  });

  it("handles renames, copies, binary files, mode changes and deletions", async () => {
    const r = repo();
    const body = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const cSource = body.replace(/line/g, "int");
    r.write("old/name.ts", body).write("run.sh", "echo hi\n").write("gone.txt", "bye\n").write("base.c", cSource);
    r.commit("chore: base");
    r.move("old/name.ts", "new/name.ts");
    r.write("new/name.ts", body + "line 40\n");
    r.write("base.c", cSource + "extra\n");
    r.write("copy.c", cSource);
    r.write("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x00]));
    r.chmod("run.sh", 0o755);
    r.remove("gone.txt");
    r.commit("refactor: move things");

    const [c] = await readAll(r);
    const byPath = new Map(c!.files.map((f) => [f.path, f]));
    expect(byPath.get("new/name.ts")).toMatchObject({ status: "renamed", oldPath: "old/name.ts", additions: 1, deletions: 0 });
    expect(byPath.get("new/name.ts")!.similarity).toBeGreaterThan(90);
    expect(byPath.get("copy.c")).toMatchObject({ status: "copied", oldPath: "base.c", similarity: 100 });
    expect(byPath.get("image.png")).toMatchObject({ status: "added", binary: true, additions: 0, patch: "" });
    expect(byPath.get("run.sh")).toMatchObject({ status: "modified", oldMode: "100644", newMode: "100755", additions: 0 });
    expect(byPath.get("gone.txt")).toMatchObject({ status: "deleted", deletions: 1, newMode: "000000" });
    expect(byPath.get("base.c")).toMatchObject({ status: "modified", additions: 1 });
  });

  it("reads an empty commit, a submodule bump and a file turned into a symlink", async () => {
    const sub = repo();
    sub.write("README.md", "sub\n");
    sub.commit("init sub");
    const r = repo();
    r.write("target.txt", "t\n").write("link", "was a file\n");
    r.addSubmodule(sub, "deps/sub");
    r.commit("chore: add submodule");
    sub.write("README.md", "sub v2\n");
    const subTip = sub.commit("bump");
    r.git(["-C", "deps/sub", "pull", "-q", "origin", "main"]);
    r.remove("link");
    symlinkSync("target.txt", join(r.dir, "link"));
    r.commit("chore: bump submodule");
    r.commit({ message: "chore: nothing", allowEmpty: true });

    const [empty, bump] = await readAll(r);
    expect(empty!.subject).toBe("chore: nothing");
    expect(empty!.files).toEqual([]);
    const gitlink = bump!.files.find((f) => f.path === "deps/sub")!;
    expect(gitlink).toMatchObject({ submodule: true, oldMode: "160000", newMode: "160000", additions: 1, deletions: 1 });
    expect(gitlink.patch).toContain(`+Subproject commit ${subTip}`);
    const link = bump!.files.find((f) => f.path === "link")!;
    expect(link).toMatchObject({ status: "type-changed", oldMode: "100644", newMode: "120000" });
    // git shows a type change as a deletion and an addition; both count toward the one entry.
    expect(link.deletions).toBe(1);
    expect(link.additions).toBe(1);
  });

  it("keeps non-UTF-8 messages and file names, and paths git has to quote", async () => {
    const r = repo();
    r.write("caf\u00e9/\u6587\u4ef6.txt", "x\n");
    r.write('we"ird\tname.txt', "y\n");
    // A Latin-1 file name: bytes that are not UTF-8 on disk.
    writeFileSync(Buffer.concat([Buffer.from(`${r.dir}/latin`), Buffer.from([0xe9]), Buffer.from(".txt")]), "z\n");
    r.commit("feat: names");
    // A Latin-1 message with no encoding header, as old tools wrote them. `git commit`
    // would convert it, so the commit object is written by hand.
    r.write("a.txt", "1\n");
    r.git(["add", "-A"]);
    const tree = r.git(["write-tree"]).trim();
    const object = Buffer.concat([
      Buffer.from(`tree ${tree}\nparent ${r.head()}\nauthor A <a@x> 1768644000 +0000\ncommitter A <a@x> 1768644000 +0000\n\nfix: r`),
      Buffer.from([0xe9]),
      Buffer.from("sum\n"),
    ]);
    const sha = execFileSync("git", ["hash-object", "-t", "commit", "-w", "--stdin"], { cwd: r.dir, input: object }).toString().trim();
    r.git(["update-ref", "HEAD", sha]);

    const [latin1Commit, names] = await readAll(r);
    expect(latin1Commit!.subject).toBe("fix: r\u00e9sum");
    expect(latin1Commit!.messageLossy).toBe(true);
    const paths = names!.files.map((f) => f.path).sort();
    expect(paths).toContain("caf\u00e9/\u6587\u4ef6.txt");
    expect(paths).toContain('we"ird\tname.txt');
    expect(names!.files.find((f) => f.path === 'we"ird\tname.txt')!.additions).toBe(1);
    const latinName = names!.files.find((f) => f.path.startsWith("latin"))!;
    expect(latinName).toMatchObject({ path: "latin\ufffd.txt", pathLossy: true, additions: 1 });
    // Every file's patch was matched to its entry, quoted or not.
    expect(names!.files.every((f) => f.additions === 1)).toBe(true);
  });

  it("summarises a merge as one change against its first parent", async () => {
    const r = repo();
    r.write("a.txt", "a\n");
    r.commit({ message: "chore: base", date: "2026-01-16T10:00:00Z" });
    r.branch("topic");
    r.write("b.txt", "b\n");
    r.commit({ message: "feat: on topic 1", date: "2026-01-16T11:00:00Z" });
    r.write("c.txt", "c\nc\n");
    r.commit({ message: "feat: on topic 2", date: "2026-01-16T12:00:00Z" });
    r.checkout("main");
    const merge = r.merge("topic", { message: "Merge pull request #7 from x/topic", date: "2026-01-17T09:00:00Z" });

    const commits = await readAll(r);
    expect(commits.map((c) => c.subject)).toEqual(["Merge pull request #7 from x/topic", "chore: base"]);
    expect(commits[0]!.sha).toBe(merge);
    expect(commits[0]!.parents).toHaveLength(2);
    expect(commits[0]!.files.map((f) => [f.path, f.additions])).toEqual([
      ["b.txt", 1],
      ["c.txt", 2],
    ]);
  });

  it("counts every line of a huge file but keeps only capped patch text", async () => {
    const r = repo();
    const lines = 50_000;
    r.write("ATTRIBUTIONS.md", Array.from({ length: lines }, (_, i) => `dependency-${i} MIT License`).join("\n") + "\n");
    // One minified line far longer than the parser's line buffer.
    r.write("bundle.min.js", "x".repeat(3 * 1024 * 1024) + "\n");
    r.write("small.ts", "export const a = 1;\n");
    r.commit("chore: attributions");

    const [c] = await readAll(r, { maxPatchBytesPerFile: 4096, maxPatchBytesPerCommit: 16_384, maxLineBytes: 8192 });
    const attributions = c!.files.find((f) => f.path === "ATTRIBUTIONS.md")!;
    expect(attributions.additions).toBe(lines);
    expect(attributions.patchTruncated).toBe(true);
    expect(Buffer.byteLength(attributions.patch)).toBeLessThanOrEqual(4096);
    const bundle = c!.files.find((f) => f.path === "bundle.min.js")!;
    expect(bundle.additions).toBe(1);
    expect(bundle.patchTruncated).toBe(true);
    expect(c!.files.find((f) => f.path === "small.ts")!.patch).toContain("+export const a = 1;");
    expect(c!.patchBytesOmitted).toBeGreaterThan(3 * 1024 * 1024);
  });
});

describe("GitSource", () => {
  it("lists first-parent commits in a half-open time window by committer date", async () => {
    const r = repo();
    r.write("a", "1\n");
    r.commit({ message: "before", date: "2026-01-16T23:59:59+08:00" });
    r.write("a", "2\n");
    const first = r.commit({ message: "first second of the day", date: "2026-01-17T00:00:00+08:00", authorDate: "2025-12-01T00:00:00Z" });
    r.write("a", "3\n");
    const last = r.commit({ message: "last second of the day", date: "2026-01-17T23:59:59+08:00" });
    r.write("a", "4\n");
    r.commit({ message: "next day", date: "2026-01-18T00:00:00+08:00" });

    const s = source(r);
    const headers = await s.listCommits({ since: new Date("2026-01-17T00:00:00+08:00"), until: new Date("2026-01-18T00:00:00+08:00") });
    expect(headers.map((h) => h.sha)).toEqual([last, first]);

    const full: Commit[] = [];
    for await (const c of s.readCommits(headers.map((h) => h.sha))) full.push(c);
    expect(full.map((c) => c.subject)).toEqual(["last second of the day", "first second of the day"]);
  });

  it("follows a configured branch and names a missing one in its error", async () => {
    const r = repo();
    r.write("a", "1\n");
    r.commit("on main");
    r.branch("release");
    r.write("a", "2\n");
    const tip = r.commit("on release");
    r.checkout("main");
    expect(await source(r, "release").resolveBranch()).toBe(tip);
    await expect(source(r, "nope").resolveBranch()).rejects.toThrow(/no branch "nope"/);
  });

  it("refuses a folder that is not a repository, with a hint", async () => {
    const dir = makeTempDir();
    const s = new GitSource({ name: "x", location: dir }, { mirrorsDir: makeTempDir(), logger: silentLogger });
    await expect(s.prepare()).rejects.toThrow(/is not a git repository/);
  });

  it("keeps a remote as a bare mirror: cloned on first use, fetched on update", async () => {
    const upstream = repo();
    upstream.write("a", "1\n");
    upstream.commit({ message: "one", date: "2026-01-17T01:00:00Z" });
    const mirrors = makeTempDir();
    const url = `file://${upstream.dir}`;
    const s = new GitSource({ name: "up", location: url }, { mirrorsDir: mirrors, logger: silentLogger });
    const day = { since: new Date("2026-01-17T00:00:00Z"), until: new Date("2026-01-18T00:00:00Z") };
    await s.update();
    expect((await s.listCommits(day)).length).toBe(1);

    upstream.write("a", "2\n");
    upstream.commit({ message: "two", date: "2026-01-17T02:00:00Z" });
    const again = new GitSource({ name: "up", location: url }, { mirrorsDir: mirrors, logger: silentLogger });
    await again.update();
    expect((await again.listCommits(day)).length).toBe(2);
    expect(again.gitDir.startsWith(mirrors)).toBe(true);
  });

  it("tells remotes from local paths", () => {
    expect(isRemoteLocation("https://github.com/ai-dynamo/dynamo.git")).toBe(true);
    expect(isRemoteLocation("git@github.com:ai-dynamo/dynamo.git")).toBe(true);
    expect(isRemoteLocation("file:///srv/repo")).toBe(true);
    expect(isRemoteLocation("/srv/repo")).toBe(false);
    expect(isRemoteLocation("../repo")).toBe(false);
    expect(mirrorDirName("https://github.com/ai-dynamo/dynamo.git")).toMatch(/^ai-dynamo-dynamo-[0-9a-f]{10}\.git$/);
  });
});
