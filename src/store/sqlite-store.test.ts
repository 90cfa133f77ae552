/**
 * What only the SQLite store does. Every store's behaviour, this one's included, is tested
 * once for both databases in test/store-contract.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./open-store.js";
import { makeTempDir } from "../../test/support/store/fixtures.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, "repo-digest.sqlite");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("runs", () => {
  it("never writes parameters whose names look like secrets to the file or its WAL", async () => {
    const store = openStore(file);
    await store.startRun(
      "run",
      {
        lang: "zh-CN",
        token: "ghp_secret1",
        llm: { model: "m", apiKey: "sk-secret2", headers: [{ Authorization: "x", CLIENT_SECRET: "secret3" }] },
        dbPassword: "secret4",
      },
      new Date("2026-01-18T08:00:00Z"),
    );
    // Read before closing, too: a checkpoint at close moves the WAL's pages into the file.
    const whileOpen = fs.readFileSync(file, "latin1") + readIfExists(`${file}-wal`);
    await store.close();
    const afterClose = fs.readFileSync(file, "latin1") + readIfExists(`${file}-wal`);
    expect(whileOpen).toContain("zh-CN");
    expect(whileOpen + afterClose).not.toMatch(/ghp_secret1|sk-secret2|secret3|secret4/);
  });
});

function readIfExists(target: string): string {
  return fs.existsSync(target) ? fs.readFileSync(target, "latin1") : "";
}
