import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createStoreVersion } from "./store-version.js";

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe("the store's version", () => {
  it("changes when the SQLite file or its write-ahead log does, looked at once per checkMs", () => {
    const folder = mkdtempSync(join(tmpdir(), "repo-digest-version-"));
    folders.push(folder);
    const file = join(folder, "repo-digest.sqlite");
    writeFileSync(file, "db");
    let now = 0;
    const version = createStoreVersion({ sqliteFile: file, checkMs: 1000, now: () => now });
    const first = version();
    appendFileSync(`${file}-wal`, "frame");
    // Within the second: the same answer, not looked at again.
    now = 999;
    expect(version()).toBe(first);
    now = 1000;
    const second = version();
    expect(second).not.toBe(first);
    appendFileSync(`${file}-wal`, "another frame");
    now = 2000;
    expect(version()).not.toBe(second);
    now = 3000;
    const third = version();
    expect(version()).toBe(third);
  });

  it("without a file (PostgreSQL), is a period of fallbackMs", () => {
    let now = 0;
    const version = createStoreVersion({ fallbackMs: 30_000, now: () => now });
    const first = version();
    now = 29_999;
    expect(version()).toBe(first);
    now = 30_000;
    expect(version()).not.toBe(first);
  });
});
