import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentError, ExitCode, InputError } from "../../errors.js";
import { fillDisk, freeBytes } from "../../../test/faults/fill-disk.js";
import { makeTempDir } from "../../../test/helpers/make-repo.js";
import { mountTmpfs, type Tmpfs } from "../../../test/helpers/tmpfs.js";
import { removeStaleTemps, tempPathFor, writeFileAtomically } from "./write-file.js";

/** A pid that was alive a moment ago and is not any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid;
}

function caught(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the write to fail");
}

describe("writeFileAtomically", () => {
  it("writes a new file and replaces an old one, keeping its mode", () => {
    const dir = makeTempDir();
    const path = join(dir, "report.md");
    writeFileAtomically(path, "first\n");
    expect(readFileSync(path, "utf8")).toBe("first\n");
    writeFileSync(path, "old\n");
    chmodSync(path, 0o600);
    writeFileAtomically(path, Buffer.from("second\n"));
    expect(readFileSync(path, "utf8")).toBe("second\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["report.md"]);
  });

  it("refuses a directory at the path with one line naming it", () => {
    const dir = makeTempDir();
    const path = join(dir, "report.md");
    mkdirSync(path);
    const error = caught(() => writeFileAtomically(path, "x", { doing: "writing the report" }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`writing the report: is a directory, not a file (${path})`);
    expect(readdirSync(dir)).toEqual(["report.md"]);
  });
});

describe("writeFileAtomically on a full disk (a real tmpfs)", () => {
  let tmpfs: Tmpfs;
  beforeAll(() => {
    tmpfs = mountTmpfs(1024);
  });
  afterAll(() => tmpfs.unmount());
  afterEach(() => {
    for (const name of readdirSync(tmpfs.dir)) spawnSync("rm", ["-rf", join(tmpfs.dir, name)]);
  });

  it("keeps the old file and removes the temporary one when only part of the new one fits", () => {
    const path = join(tmpfs.dir, "report.json");
    const old = Buffer.from(`{"old":true}\n`);
    writeFileSync(path, old);
    // 16 KiB free, 200 KiB to write: write(2) takes what fits (a short count), then ENOSPC.
    fillDisk(tmpfs.dir, 16 * 1024);
    const before = freeBytes(tmpfs.dir);
    const error = caught(() => writeFileAtomically(path, "x".repeat(200 * 1024), { doing: "writing the report" }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(ExitCode.external);
    expect((error as Error).message).toBe(`writing the report: no space left on the device (${path})`);
    expect(readFileSync(path)).toEqual(old);
    expect(readdirSync(tmpfs.dir).sort()).toEqual(["filler.bin", "report.json"]);
    expect(freeBytes(tmpfs.dir)).toBe(before);
  });

  it("fails the same way when not one byte fits", () => {
    const path = join(tmpfs.dir, "repo-digest.yaml");
    writeFileSync(path, "repos: []\n");
    fillDisk(tmpfs.dir, 0);
    const error = caught(() => writeFileAtomically(path, "repos: [x]\n", { doing: "writing the config" }));
    expect((error as Error).message).toBe(`writing the config: no space left on the device (${path})`);
    expect(readFileSync(path, "utf8")).toBe("repos: []\n");
    expect(readdirSync(tmpfs.dir).sort()).toEqual(["filler.bin", "repo-digest.yaml"]);
  });

  it("writes the whole file when it fits beside the old one", () => {
    const path = join(tmpfs.dir, "report.json");
    writeFileSync(path, "old");
    fillDisk(tmpfs.dir, 64 * 1024);
    const data = "y".repeat(40 * 1024);
    writeFileAtomically(path, data);
    expect(readFileSync(path, "utf8")).toBe(data);
  });
});

describe("writeFileAtomically and links", () => {
  it("refuses a symbolic link at the path, and leaves the link and its target alone", () => {
    const dir = makeTempDir();
    const outside = join(makeTempDir(), "precious.txt");
    writeFileSync(outside, "precious\n");
    const link = join(dir, "report.md");
    symlinkSync(outside, link);
    const error = caught(() => writeFileAtomically(link, "overwritten\n", { doing: "writing the report" }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).toBe(`writing the report: ${link} is a symbolic link; repo-digest never writes through one`);
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("never follows a link planted at the temporary file's name", () => {
    const dir = makeTempDir();
    const outside = join(makeTempDir(), "precious.txt");
    writeFileSync(outside, "precious\n");
    const path = join(dir, "report.md");
    writeFileSync(path, "old report\n");
    // A live pid's temporary file is never cleaned up as stale: the plant survives until the open.
    const temp = tempPathFor(path, process.pid, "planted");
    symlinkSync(outside, temp);
    const error = caught(() => writeFileAtomically(path, "new report\n", { doing: "writing the report", random: () => "planted" }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`writing the report: already exists (${temp})`);
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(readFileSync(path, "utf8")).toBe("old report\n");
  });
});

describe("stale temporary files", () => {
  it("removes those of dead writers on the next write in the folder, and keeps live ones and others' files", () => {
    const dir = makeTempDir();
    const dead = tempPathFor(join(dir, "2026-01-17--demo.md"), deadPid(), "0a1b2c");
    const live = tempPathFor(join(dir, "2026-01-17--demo.json"), process.pid, "3d4e5f");
    writeFileSync(dead, "half a report");
    writeFileSync(live, "a report being written");
    // Not ours: a user's hidden file, and write-file-atomic's old `<name>.<hash>` leftovers.
    writeFileSync(join(dir, ".notes.tmp"), "mine");
    writeFileSync(join(dir, "2026-01-16--demo.md.1234567"), "old style");
    writeFileAtomically(join(dir, "other.md"), "x");
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([".notes.tmp", live.slice(dir.length + 1), "2026-01-16--demo.md.1234567", "other.md"].sort());
  });

  it("names the temporary file after the destination, recognisably ours, within a file name's length", () => {
    const temp = tempPathFor(join("/out", `${"n".repeat(300)}.md`), 42, "abc123");
    const name = temp.slice("/out/".length);
    expect(name).toMatch(/^\.n+\.repo-digest-42-abc123\.tmp$/);
    expect(Buffer.byteLength(name)).toBeLessThan(256);
    expect(removeStaleTemps(makeTempDir())).toEqual([]);
  });
});
