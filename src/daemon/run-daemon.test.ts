import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { silentLogger } from "../logger.js";
import { openStore } from "../store/open-store.js";
import { runDaemon, type Clock, type DaemonEvent, type DayLedger } from "./run-daemon.js";
import { daysToRun, nextTick, previousDay } from "./schedule-days.js";


/** A clock that jumps: sleeping moves time forward at once, and may stop the daemon after some sleeps. */
function fakeClock(start: string, signals: EventEmitter, stopAfterSleeps = 1): Clock & { sleeps: Date[] } {
  let now = new Date(start).getTime();
  const sleeps: Date[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    async sleep(ms) {
      now += ms;
      sleeps.push(new Date(now));
      if (sleeps.length >= stopAfterSleeps) signals.emit("SIGTERM");
    },
  };
}

function memoryLedger(done: string[] = []): DayLedger & { done: string[] } {
  return {
    done,
    lastCompletedDay: () => [...done].sort().at(-1),
    isDayCompleted: (day) => done.includes(day),
    markDayCompleted: (day) => void done.push(day),
  };
}

function setup(start: string, ledger: DayLedger, stopAfterSleeps = 1) {
  const signals = new EventEmitter();
  const clock = fakeClock(start, signals, stopAfterSleeps);
  const ran: string[] = [];
  const events: DaemonEvent[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "repo-digest-daemon-"));
  const base = {
    cron: "0 8 * * *",
    timezone: "Asia/Shanghai",
    catchUpDays: 7,
    dataDir,
    ledger,
    logger: silentLogger,
    clock,
    signals,
    retryDeliveries: async () => undefined,
    onEvent: (event: DaemonEvent) => void events.push(event),
    runDay: async (day: string) => void ran.push(day),
  };
  return { base, ran, events, clock, signals, dataDir };
}

describe("schedule days", () => {
  it("reports the day before the tick in the zone, across UTC midnight", () => {
    // 08:00 in Shanghai on the 18th is 00:00 UTC on the 18th: the day reported is the 17th.
    expect(previousDay(new Date("2026-01-18T00:00:00Z"), "Asia/Shanghai")).toBe("2026-01-17");
    expect(previousDay(new Date("2026-01-17T23:00:00Z"), "Asia/Shanghai")).toBe("2026-01-17");
    expect(previousDay(new Date("2026-01-17T23:00:00Z"), "UTC")).toBe("2026-01-16");
    expect(nextTick("0 8 * * *", "Asia/Shanghai", new Date("2026-01-17T01:00:00Z")).toISOString()).toBe("2026-01-18T00:00:00.000Z");
  });

  it("keeps to the calendar day across a daylight-saving change", () => {
    // New York springs forward on 2026-03-08: 08:00 local is 13:00 UTC before, 12:00 UTC after.
    expect(nextTick("0 8 * * *", "America/New_York", new Date("2026-03-07T14:00:00Z")).toISOString()).toBe("2026-03-08T12:00:00.000Z");
    expect(previousDay(new Date("2026-03-08T12:00:00Z"), "America/New_York")).toBe("2026-03-07");
    expect(previousDay(new Date("2026-03-09T04:30:00Z"), "America/New_York")).toBe("2026-03-08");
  });

  it("catches up missed days oldest first, bounded, and runs only yesterday on a first start", () => {
    expect(daysToRun(undefined, "2026-01-17", 7)).toEqual({ days: ["2026-01-17"], skipped: [] });
    expect(daysToRun("2026-01-14", "2026-01-17", 7).days).toEqual(["2026-01-15", "2026-01-16", "2026-01-17"]);
    expect(daysToRun("2026-01-17", "2026-01-17", 7).days).toEqual([]);
    expect(daysToRun("2026-01-01", "2026-01-17", 3)).toEqual({
      days: ["2026-01-15", "2026-01-16", "2026-01-17"],
      skipped: Array.from({ length: 13 }, (_, i) => `2026-01-${String(i + 2).padStart(2, "0")}`),
    });
  });
});

describe("runDaemon", () => {
  it("on a first start reports yesterday only, then waits for the next tick", async () => {
    const ledger = memoryLedger();
    const { base, ran, clock } = setup("2026-01-18T02:00:00Z", ledger);
    await runDaemon(base);
    expect(ran).toEqual(["2026-01-17"]);
    expect(ledger.done).toEqual(["2026-01-17"]);
    expect(clock.sleeps[0]!.toISOString()).toBe("2026-01-19T00:00:00.000Z");
  });

  it("after a gap runs each missed day once, oldest first; a restart runs none again", async () => {
    const ledger = memoryLedger(["2026-01-14"]);
    const first = setup("2026-01-18T02:00:00Z", ledger, 2);
    await runDaemon(first.base);
    // Catch-up at start, then the next tick (the 19th at 08:00) reports the 18th.
    expect(first.ran).toEqual(["2026-01-15", "2026-01-16", "2026-01-17", "2026-01-18"]);

    const restart = setup("2026-01-19T03:00:00Z", ledger);
    await runDaemon(restart.base);
    expect(restart.ran).toEqual([]);
  });

  it("retries a failed day at the next tick and keeps running", async () => {
    const ledger = memoryLedger(["2026-01-16"]);
    const { base, ran, events } = setup("2026-01-18T02:00:00Z", ledger, 2);
    let failures = 1;
    await runDaemon({
      ...base,
      runDay: async (day) => {
        if (failures-- > 0) throw new Error("git fetch failed");
        ran.push(day);
      },
    });
    expect(events).toContainEqual({ kind: "day-failed", day: "2026-01-17", reason: "Error: git fetch failed" });
    expect(ran).toEqual(["2026-01-17", "2026-01-18"]);
    expect(ledger.done).toEqual(["2026-01-16", "2026-01-17", "2026-01-18"]);
  });

  it("lets the running day finish on SIGTERM, records it, starts nothing new and releases the lock", async () => {
    const ledger = memoryLedger(["2026-01-14"]);
    const { base, ran, signals, dataDir } = setup("2026-01-18T02:00:00Z", ledger, 99);
    let sawAbort = false;
    await runDaemon({
      ...base,
      runDay: async (day, signal) => {
        if (day === "2026-01-15") signals.emit("SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 20));
        sawAbort ||= signal.aborted;
        ran.push(day);
      },
    });
    expect(ran).toEqual(["2026-01-15"]);
    expect(ledger.done).toEqual(["2026-01-14", "2026-01-15"]);
    expect(sawAbort).toBe(false);
    // The lock is free: another daemon starts.
    const next = setup("2026-01-18T02:00:00Z", ledger);
    await runDaemon({ ...next.base, dataDir, once: true });
    expect(next.ran).toEqual(["2026-01-16", "2026-01-17"]);
  });

  it("refuses a second daemon on the same data dir with one line", async () => {
    const ledger = memoryLedger();
    const first = setup("2026-01-18T02:00:00Z", ledger, 99);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const running = runDaemon({ ...first.base, runDay: () => held });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = setup("2026-01-18T02:00:00Z", ledger);
    const error = await runDaemon({ ...second.base, dataDir: first.dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/another repo-digest daemon is running for/);
    first.signals.emit("SIGTERM");
    release();
    await running;
  });

  it("keeps its days in the store, across processes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repo-digest-ledger-"));
    const store = openStore(join(dir, "store.sqlite"));
    const { base, ran } = setup("2026-01-18T02:00:00Z", store);
    await runDaemon({ ...base, once: true });
    store.close();
    const reopened = openStore(join(dir, "store.sqlite"));
    expect(ran).toEqual(["2026-01-17"]);
    expect(reopened.lastCompletedDay()).toBe("2026-01-17");
    reopened.close();
  });
});
