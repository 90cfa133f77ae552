/**
 * `repo-digest daemon`: at each tick of the schedule, report the previous day (and any
 * day missed while it was down), deliver, and send again what failed to deliver before.
 * One instance per data dir (a lock file); on SIGTERM or SIGINT the running day finishes
 * and is recorded, nothing new starts, the lock is released. A second signal aborts.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { InputError, isKnownError } from "../errors.js";
import type { Logger } from "../logger.js";
import { daysToRun, nextTick, previousDay } from "./schedule-days.js";

/** The days finished, so that a restart neither skips nor repeats one. */
export interface DayLedger {
  lastCompletedDay(): string | undefined;
  isDayCompleted(day: string): boolean;
  markDayCompleted(day: string, at: Date): void;
}

/** Where stop requests come from: the process in production, an emitter in tests. */
export interface SignalSource {
  on(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  off(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface DaemonOptions {
  cron: string;
  timezone: string;
  catchUpDays: number;
  dataDir: string;
  ledger: DayLedger;
  /** Fetch, report and deliver one day. A throw leaves the day to the next tick. */
  runDay(day: string, signal: AbortSignal): Promise<void>;
  /** Sends again what failed to deliver on earlier ticks. */
  retryDeliveries(): Promise<void>;
  logger: Logger;
  clock?: Clock;
  signals?: SignalSource;
  /** Run once (catch up, retry deliveries) and return, for cron lines and tests. */
  once?: boolean;
  /** Told about each step, for the progress display. */
  onEvent?(event: DaemonEvent): void;
}

export type DaemonEvent =
  | { kind: "waiting"; until: Date }
  | { kind: "day-started"; day: string }
  | { kind: "day-finished"; day: string }
  | { kind: "day-failed"; day: string; reason: string }
  | { kind: "days-skipped"; days: string[] }
  | { kind: "stopping" };

const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
    }),
};

export async function runDaemon(options: DaemonOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const signals = options.signals ?? process;
  const release = await acquireLock(options.dataDir);
  // First signal: finish the day at hand, then stop. Second: abort it too.
  const stopping = new AbortController();
  const aborting = new AbortController();
  const onSignal = () => {
    if (stopping.signal.aborted) aborting.abort();
    else {
      options.onEvent?.({ kind: "stopping" });
      stopping.abort();
    }
  };
  signals.on("SIGTERM", onSignal);
  signals.on("SIGINT", onSignal);
  try {
    for (;;) {
      // Earlier failures first: what fails this tick waits for the next one, not seconds.
      await retryDeliveries(options);
      await runDueDays(options, clock, stopping.signal, aborting.signal);
      if (options.once || stopping.signal.aborted) return;
      const until = nextTick(options.cron, options.timezone, clock.now());
      options.onEvent?.({ kind: "waiting", until });
      await clock.sleep(Math.max(0, until.getTime() - clock.now().getTime()), stopping.signal);
      if (stopping.signal.aborted) return;
    }
  } finally {
    signals.off("SIGTERM", onSignal);
    signals.off("SIGINT", onSignal);
    await release();
  }
}

async function runDueDays(options: DaemonOptions, clock: Clock, stopping: AbortSignal, aborting: AbortSignal): Promise<void> {
  const target = previousDay(clock.now(), options.timezone);
  const { days, skipped } = daysToRun(options.ledger.lastCompletedDay(), target, options.catchUpDays);
  if (skipped.length > 0) options.onEvent?.({ kind: "days-skipped", days: skipped });
  for (const day of days) {
    if (stopping.aborted) return;
    if (options.ledger.isDayCompleted(day)) continue;
    options.onEvent?.({ kind: "day-started", day });
    try {
      await options.runDay(day, aborting);
    } catch (error) {
      const reason = isKnownError(error) ? error.message : String(error);
      options.logger.error({ day, reason }, "the day's report failed; the next tick tries again");
      options.onEvent?.({ kind: "day-failed", day, reason });
      // Later days wait too: the ledger's last day must never pass a day not done.
      return;
    }
    options.ledger.markDayCompleted(day, clock.now());
    options.onEvent?.({ kind: "day-finished", day });
  }
}

async function retryDeliveries(options: DaemonOptions): Promise<void> {
  try {
    await options.retryDeliveries();
  } catch (error) {
    options.logger.warn({ reason: isKnownError(error) ? error.message : String(error) }, "resending failed deliveries failed; the next tick tries again");
  }
}

/** One daemon per data dir: the store and the ledger are not for two writers' schedules. */
async function acquireLock(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const lockfilePath = join(dataDir, "daemon.lock");
  try {
    // The lock's mtime is refreshed while we live; one older than `stale` was left by a crash.
    return await lockfile.lock(dataDir, { lockfilePath, stale: 30_000, update: 10_000, realpath: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new InputError(`another repo-digest daemon is running for ${dataDir}`, {
        hint: `stop it first, or give this one another --data-dir (lock: ${lockfilePath})`,
      });
    }
    throw error;
  }
}
