/**
 * Whether a run's process is gone (a reused pid, a reboot), and the migration that added the
 * run's process, which keeps every run, report and delivery. Which runs are marked interrupted
 * is every store's behaviour: test/store-contract.test.ts.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentProcessOwner, isProcessGone } from "../process-owner.js";
import { MIGRATIONS, migrateDatabase } from "./migrations.js";
import { openDatabase, openStore } from "./open-store.js";
import { makeTempDir } from "../../test/support/store/fixtures.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, "repo-digest.sqlite");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

describe("interrupted runs", () => {
  it("tells a reused pid and a reboot from the process that started the run", () => {
    const here = currentProcessOwner();
    expect(isProcessGone(here)).toBe(false);
    expect(isProcessGone({ ...here, pid: deadPid() })).toBe(true);
    expect(isProcessGone({ ...here, host: "another-host", pid: deadPid() })).toBe(false);
    // Linux: this pid, but a process that started at another time, or before a reboot.
    if (here.processStart === undefined || here.bootId === undefined) throw new Error("this test needs /proc (Linux)");
    expect(isProcessGone({ ...here, processStart: String(Number(here.processStart) - 1) })).toBe(true);
    expect(isProcessGone({ ...here, bootId: "00000000-0000-0000-0000-000000000000" })).toBe(true);
  });

  it("upgrades a version 4 store without losing a run's reports and deliveries (foreign keys on)", async () => {
    const v4 = new Database(file);
    v4.pragma("foreign_keys = ON");
    migrateDatabase(v4, file, MIGRATIONS.slice(0, 4));
    v4.exec(`
      INSERT INTO runs (started_at, status, command, params) VALUES ('2026-01-18T00:00:00Z', 'running', 'report', '{}');
      INSERT INTO reports (run_id, format, path, period_label, repos, created_at) VALUES (1, 'md', '/r.md', '2026-01-17', '[]', 'now');
      INSERT INTO deliveries (run_id, channel, period_label, status, attempts, report_json, report_name, updated_at)
        VALUES (1, 'slack', '2026-01-17', 'failed', 1, '{}', 'r', 'now');
      INSERT INTO daemon_days (day, completed_at) VALUES ('2026-01-17', 'now');`);
    migrateDatabase(v4, file);
    expect(v4.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(v4.prepare("SELECT COUNT(*) AS n FROM reports").get()).toEqual({ n: 1 });
    expect(v4.prepare("SELECT COUNT(*) AS n FROM deliveries").get()).toEqual({ n: 1 });
    expect(v4.prepare("SELECT outcome FROM daemon_days").get()).toEqual({ outcome: "completed" });
    v4.close();

    const store = openStore(file);
    // A run from before the upgrade has no process recorded: it cannot be judged, and is left alone.
    expect(await store.getRun(1)).toMatchObject({ status: "running" });
    expect((await store.getRun(1))!.owner).toBeUndefined();
    expect(await store.interruptAbandonedRuns(() => true, new Date())).toEqual([]);
    expect(await store.listDeliveries(1)).toHaveLength(1);
    await store.close();
    expect(openDatabase(file).pragma("foreign_key_check")).toEqual([]);
  });
});
