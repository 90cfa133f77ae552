import { spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisFailuresError, DeliveryFailuresError, EnvironmentError, ExternalServiceError, IncompleteReportError, InputError } from "../errors.js";
import { silentLogger } from "../logger.js";
import { openStore } from "../store/open-store.js";
import { classifyDayError, isWorse, OUTCOME_SEVERITY, runDaemon, type Clock, type DaemonEvent, type DayLedger } from "./run-daemon.js";
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

function memoryLedger(done: string[] = []): DayLedger & { done: string[]; abandoned: string[]; attempts: Map<string, number> } {
  const abandoned: string[] = [];
  const attempts = new Map<string, number>();
  return {
    done,
    abandoned,
    attempts,
    lastCompletedDay: async () => [...done, ...abandoned].sort().at(-1),
    isDayCompleted: async (day) => done.includes(day) || abandoned.includes(day),
    markDayCompleted: async (day) => void done.push(day),
    markDayAbandoned: async (day) => void abandoned.push(day),
    recordDayFailure: async (day, _at, _reason, counted) => {
      attempts.set(day, (attempts.get(day) ?? 0) + (counted ? 1 : 0));
      return attempts.get(day)!;
    },
    firstPendingDay: async () => [...attempts.keys()].filter((day) => !done.includes(day) && !abandoned.includes(day)).sort()[0],
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
    expect(events).toContainEqual({ kind: "day-failed", day: "2026-01-17", exitCode: 1, reason: "git fetch failed", attempt: 1, maxAttempts: 3 });
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
    // The holder is this very process here: its pid is named, and how to stop it.
    expect((error as Error).message).toBe(`another repo-digest daemon (pid ${process.pid} on host ${hostname()}) is running for ${first.dataDir}`);
    expect((error as InputError).hint).toContain(`kill ${process.pid}`);
    first.signals.emit("SIGTERM");
    release();
    await running;
  });

  it("keeps its days in the store, across processes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repo-digest-ledger-"));
    const store = openStore(join(dir, "store.sqlite"));
    const { base, ran } = setup("2026-01-18T02:00:00Z", store);
    await runDaemon({ ...base, once: true });
    await store.close();
    const reopened = openStore(join(dir, "store.sqlite"));
    expect(ran).toEqual(["2026-01-17"]);
    expect(await reopened.lastCompletedDay()).toBe("2026-01-17");
    await reopened.close();
  });
});

describe("runDaemon outcomes", () => {
  it("orders outcomes worst first: no report, then a wrong one, one with gaps, one not delivered", () => {
    expect(OUTCOME_SEVERITY).toEqual([1, 2, 3, 4, 6, 5, 0]);
    expect(isWorse(4, 6)).toBe(true);
    expect(isWorse(5, 4)).toBe(false);
    expect(classifyDayError(new AnalysisFailuresError("6/6 failed"))).toMatchObject({ exitCode: 4, settles: false, counted: true });
    expect(classifyDayError(new DeliveryFailuresError("slack"))).toMatchObject({ exitCode: 5, settles: true });
    expect(classifyDayError(new IncompleteReportError("2 files unread"))).toMatchObject({ exitCode: 6, settles: true });
    expect(classifyDayError(new ExternalServiceError("git", "fetch failed"))).toMatchObject({ exitCode: 3, settles: false, counted: false });
    expect(classifyDayError(new EnvironmentError("disk full"))).toMatchObject({ exitCode: 3, counted: false });
    // An OS error no call site named is the machine's, as at the CLI's top-level catch; anything else is a bug.
    expect(classifyDayError(Object.assign(new Error("write failed"), { code: "ENOSPC" }))).toMatchObject({ exitCode: 3, counted: false });
    expect(classifyDayError(new TypeError("x is undefined"))).toMatchObject({ exitCode: 1, counted: true, reason: "x is undefined" });
    expect(classifyDayError(new AnalysisFailuresError("line one\n  line two")).reason).toBe("line one line two");
  });

  it("--once: a day whose analyses failed is not settled, the outcome is 4, and the next run tries it again", async () => {
    const ledger = memoryLedger(["2026-01-16"]);
    const failure = new AnalysisFailuresError("LLM 分析失败 6/6");
    const first = setup("2026-01-18T02:00:00Z", ledger);
    const outcome = await runDaemon({ ...first.base, once: true, runDay: async () => Promise.reject(failure) });
    expect(outcome).toEqual({ exitCode: 4, error: failure, done: [], pending: "2026-01-17" });
    expect(ledger.done).toEqual(["2026-01-16"]);
    expect(first.events).toContainEqual({ kind: "day-failed", day: "2026-01-17", exitCode: 4, reason: "LLM 分析失败 6/6", attempt: 1, maxAttempts: 3 });

    const second = setup("2026-01-18T03:00:00Z", ledger);
    expect(await runDaemon({ ...second.base, once: true })).toEqual({ exitCode: 0, done: ["2026-01-17"] });
    expect(second.ran).toEqual(["2026-01-17"]);
    expect(ledger.done).toEqual(["2026-01-16", "2026-01-17"]);
  });

  it("retries a day that failed on the very first start, before the day after it", async () => {
    const ledger = memoryLedger();
    const first = setup("2026-01-18T02:00:00Z", ledger);
    await runDaemon({ ...first.base, once: true, runDay: async () => Promise.reject(new AnalysisFailuresError("failed")) });
    expect(ledger.done).toEqual([]);
    // A day later: nothing settled yet, but the 17th was tried; it comes first.
    const next = setup("2026-01-19T02:00:00Z", ledger);
    await runDaemon({ ...next.base, once: true });
    expect(next.ran).toEqual(["2026-01-17", "2026-01-18"]);
  });

  it("gives a day up after its attempts, then goes on with the newer days", async () => {
    const ledger = memoryLedger(["2026-01-15"]);
    const runDay = async (day: string) => {
      if (day === "2026-01-16") throw new AnalysisFailuresError("the model refuses this day");
    };
    const outcomes = [];
    for (const at of ["2026-01-18T02:00:00Z", "2026-01-18T03:00:00Z"]) {
      const tick = setup(at, ledger);
      outcomes.push(await runDaemon({ ...tick.base, once: true, maxAttemptsPerDay: 2, runDay: async (day) => (await runDay(day), void tick.ran.push(day)) }));
    }
    // First run: the 16th fails (attempt 1 of 2), the 17th waits. Second: the 16th fails again and is given up; the 17th runs.
    expect(outcomes.map((outcome) => outcome.exitCode)).toEqual([4, 4]);
    expect(ledger.abandoned).toEqual(["2026-01-16"]);
    expect(ledger.done).toEqual(["2026-01-15", "2026-01-17"]);
    const last = setup("2026-01-18T04:00:00Z", ledger);
    await runDaemon({ ...last.base, once: true });
    expect(last.ran).toEqual([]);
  });

  it("counts no attempt for a failure of git, a remote or the machine: later days wait, nothing is given up", async () => {
    const ledger = memoryLedger(["2026-01-16"]);
    for (let run = 0; run < 5; run++) {
      const tick = setup("2026-01-18T02:00:00Z", ledger);
      const outcome = await runDaemon({ ...tick.base, once: true, maxAttemptsPerDay: 2, runDay: async () => Promise.reject(new ExternalServiceError("git", "fetch failed")) });
      expect(outcome.exitCode).toBe(3);
      expect(tick.events).toContainEqual({ kind: "day-failed", day: "2026-01-17", exitCode: 3, reason: "git: fetch failed", maxAttempts: 2 });
    }
    expect(ledger.abandoned).toEqual([]);
    expect(ledger.done).toEqual(["2026-01-16"]);
  });

  it("settles a day written with a channel left for later (5) or with gaps (6), and keeps the worst outcome", async () => {
    const ledger = memoryLedger(["2026-01-14"]);
    const { base, events } = setup("2026-01-18T02:00:00Z", ledger);
    const errors: Record<string, Error> = {
      "2026-01-15": new DeliveryFailuresError("delivery failed for slack"),
      "2026-01-16": new IncompleteReportError("2 files unread"),
    };
    const outcome = await runDaemon({ ...base, once: true, runDay: async (day) => { if (errors[day]) throw errors[day]; } });
    expect(ledger.done).toEqual(["2026-01-14", "2026-01-15", "2026-01-16", "2026-01-17"]);
    expect(outcome).toEqual({ exitCode: 6, error: errors["2026-01-16"], done: ["2026-01-15", "2026-01-16", "2026-01-17"] });
    expect(events).toContainEqual({ kind: "day-finished", day: "2026-01-15", exitCode: 5, reason: "delivery failed for slack" });
  });

  it("counts deliveries that fail again in the outcome, and reports the days all the same", async () => {
    const ledger = memoryLedger(["2026-01-16"]);
    const { base, ran, events } = setup("2026-01-18T02:00:00Z", ledger);
    const outcome = await runDaemon({ ...base, once: true, retryDeliveries: async () => Promise.reject(new DeliveryFailuresError("1 earlier delivery failed again")) });
    expect(outcome.exitCode).toBe(5);
    expect(ran).toEqual(["2026-01-17"]);
    expect(events).toContainEqual({ kind: "deliveries-failed", exitCode: 5, reason: "1 earlier delivery failed again" });
  });

  it("resident: says each tick's outcome and retries the unsettled day at the next tick", async () => {
    const ledger = memoryLedger(["2026-01-16"]);
    const { base, events, ran } = setup("2026-01-18T02:00:00Z", ledger, 2);
    let failures = 1;
    await runDaemon({
      ...base,
      runDay: async (day) => {
        if (failures-- > 0) throw new AnalysisFailuresError("failed");
        ran.push(day);
      },
    });
    const ticks = events.filter((event) => event.kind === "tick-finished").map((event) => event.outcome);
    expect(ticks.map(({ exitCode, done, pending }) => ({ exitCode, done, pending }))).toEqual([
      { exitCode: 4, done: [], pending: "2026-01-17" },
      { exitCode: 0, done: ["2026-01-17", "2026-01-18"], pending: undefined },
    ]);
  });

  it("keeps attempts and given-up days in the store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repo-digest-ledger-"));
    const store = openStore(join(dir, "store.sqlite"));
    expect(await store.recordDayFailure("2026-01-17", new Date(), "failed", true)).toBe(1);
    expect(await store.recordDayFailure("2026-01-17", new Date(), "git down", false)).toBe(1);
    expect(await store.recordDayFailure("2026-01-17", new Date(), "failed", true)).toBe(2);
    await store.recordDayFailure("2026-01-18", new Date(), "failed", true);
    expect(await store.firstPendingDay()).toBe("2026-01-17");
    expect(await store.isDayCompleted("2026-01-17")).toBe(false);
    await store.markDayAbandoned("2026-01-17", new Date());
    expect(await store.isDayCompleted("2026-01-17")).toBe(true);
    expect(await store.lastCompletedDay()).toBe("2026-01-17");
    expect(await store.firstPendingDay()).toBe("2026-01-18");
    await store.markDayCompleted("2026-01-18", new Date());
    expect(await store.firstPendingDay()).toBeUndefined();
    expect(await store.lastCompletedDay()).toBe("2026-01-18");
    await store.close();
  });
});

describe("the daemon lock", () => {
  it("is taken over at once from a daemon that died holding it, and says whose it was", async () => {
    const ledger = memoryLedger();
    const { base, dataDir, events } = setup("2026-01-18T02:00:00Z", ledger);
    // What a daemon killed with -9 leaves: its owner record, naming a pid that is gone.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const owner = { pid: Number(dead.stdout), host: hostname() };
    writeFileSync(join(dataDir, "daemon.lock.owner.json"), JSON.stringify(owner));
    await runDaemon({ ...base, once: true });
    expect(events[0]).toEqual({ kind: "lock-taken-over", from: owner });
    // Released cleanly: no record is left to be taken over from.
    const again = setup("2026-01-18T02:00:00Z", ledger);
    await runDaemon({ ...again.base, dataDir, once: true });
    expect(again.events.some((event) => event.kind === "lock-taken-over")).toBe(false);
  });
});

describe("days to run with a pending day", () => {
  it("starts at the oldest day tried and not settled", () => {
    expect(daysToRun(undefined, "2026-01-18", 7, "2026-01-17").days).toEqual(["2026-01-17", "2026-01-18"]);
    expect(daysToRun("2026-01-15", "2026-01-18", 7, "2026-01-16").days).toEqual(["2026-01-16", "2026-01-17", "2026-01-18"]);
    // Older than the last settled day (a day given up after it): from the pending day; the caller skips settled ones.
    expect(daysToRun("2026-01-17", "2026-01-18", 7, "2026-01-16").days).toEqual(["2026-01-16", "2026-01-17", "2026-01-18"]);
    expect(daysToRun(undefined, "2026-01-18", 2, "2026-01-10")).toEqual({
      days: ["2026-01-17", "2026-01-18"],
      skipped: ["2026-01-10", "2026-01-11", "2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"],
    });
  });
});
