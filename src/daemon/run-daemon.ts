/**
 * `repo-digest daemon`: at each tick of the schedule, report the previous day (and any
 * day missed while it was down), deliver, and send again what failed to deliver before.
 * One instance per data dir (a lock); on SIGTERM or SIGINT the running day finishes
 * and is recorded, nothing new starts, the lock is released. A second signal aborts.
 *
 * Each tick has an outcome, the worst of its steps' (see {@link OUTCOME_SEVERITY}): a
 * cron line or a systemd unit running `--once` gets it as the exit code, the resident
 * daemon prints it. A day is settled (never run again) once its report is written whole
 * or with gaps no retry can fill; a day whose analyses failed, or that failed outright, is
 * run again at the next tick, and given up after {@link DEFAULT_MAX_ATTEMPTS} attempts that
 * were the day's own fault, so that it does not hold newer days back for ever.
 */
import type { Store } from "../store/types.js";
import { ExitCode } from "../errors.js";
import type { Logger } from "../logger.js";
import { fromOsError } from "../os-errors.js";
import type { ProcessOwner } from "../process-owner.js";
import { acquireDaemonLock } from "./daemon-lock.js";
import { daysToRun, nextTick, previousDay } from "./schedule-days.js";

/**
 * The days settled and the attempts at the others, so that a restart neither skips nor
 * repeats one: the store's ledger (see Store), or a list in tests.
 */
export type DayLedger = Pick<Store, "lastCompletedDay" | "isDayCompleted" | "markDayCompleted" | "markDayAbandoned" | "recordDayFailure" | "firstPendingDay">;

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
  /** Fetch, report and deliver one day; throws the report's error (its exit code decides what becomes of the day). */
  runDay(day: string, signal: AbortSignal): Promise<void>;
  /** Sends again what failed to deliver on earlier ticks; throws when some still fail. */
  retryDeliveries(): Promise<void>;
  logger: Logger;
  clock?: Clock;
  signals?: SignalSource;
  /** Run once (catch up, retry deliveries) and return, for cron lines and tests. */
  once?: boolean;
  /** Attempts at one day (failures that are the day's own: analyses, a bug) before it is given up. */
  maxAttemptsPerDay?: number;
  /** Told about each step, for the progress display. */
  onEvent?(event: DaemonEvent): void;
}

export type DaemonEvent =
  | { kind: "lock-taken-over"; from: ProcessOwner }
  | { kind: "waiting"; until: Date }
  | { kind: "day-started"; day: string }
  /** Settled: 0, or written with a channel left for later (5) or with gaps (6). */
  | { kind: "day-finished"; day: string; exitCode: ExitCode; reason?: string }
  /** Not settled: run again at the next tick. `attempt` is set when the failure counts against the day. */
  | { kind: "day-failed"; day: string; exitCode: ExitCode; reason: string; attempt?: number; maxAttempts: number }
  | { kind: "day-abandoned"; day: string; exitCode: ExitCode; reason: string; attempts: number }
  | { kind: "deliveries-failed"; exitCode: ExitCode; reason: string }
  | { kind: "days-skipped"; days: string[] }
  | { kind: "tick-finished"; outcome: TickOutcome }
  | { kind: "stopping" };

export interface TickOutcome {
  /** The worst of the tick's steps, by {@link OUTCOME_SEVERITY}. */
  exitCode: ExitCode;
  /** The error behind it, to end a `--once` run with its own line. */
  error?: unknown;
  /** Days settled this tick, and the day left for the next one. */
  done: string[];
  pending?: string;
}

/**
 * Worst first. No report (a bug, then a setup to fix, then git, a remote or the machine)
 * is worse than a report that is wrong (analyses fell back: retried), than one with gaps
 * (not retried), than one a channel did not get (resent at the next tick).
 */
export const OUTCOME_SEVERITY: readonly ExitCode[] = [
  ExitCode.internal,
  ExitCode.usage,
  ExitCode.external,
  ExitCode.analysisFailures,
  ExitCode.incomplete,
  ExitCode.deliveryFailures,
  ExitCode.ok,
];

export const DEFAULT_MAX_ATTEMPTS = 3;

/** True when `a` is worse than `b`. */
export function isWorse(a: ExitCode, b: ExitCode): boolean {
  return OUTCOME_SEVERITY.indexOf(a) < OUTCOME_SEVERITY.indexOf(b);
}

interface Classified {
  exitCode: ExitCode;
  reason: string;
  /** The report exists and running the day again would not make it better. */
  settles: boolean;
  /** The failure is the day's own (not the machine's, a remote's or the config's): it counts towards giving up. */
  counted: boolean;
}

/** What an error from a day's run means for the day, by its exit code. */
export function classifyDayError(error: unknown): Classified {
  const known = fromOsError(error);
  const exitCode = known?.exitCode ?? ExitCode.internal;
  const reason = oneLine(known ? known.message : error instanceof Error ? error.message : String(error));
  switch (exitCode) {
    // Written; what a channel missed is resent at each tick (and by `deliver --retry`).
    case ExitCode.deliveryFailures:
    // Written with every commit; the files that could not be read stay unread until the repository is repaired.
    case ExitCode.incomplete:
      return { exitCode, reason, settles: true, counted: false };
    // The analyses that succeeded are kept: the next attempt asks only for the ones that fell back.
    case ExitCode.analysisFailures:
    case ExitCode.internal:
      return { exitCode, reason, settles: false, counted: true };
    // The config, git, a remote or the machine: every day would fail alike; later days wait, nothing is counted.
    default:
      return { exitCode, reason, settles: false, counted: false };
  }
}

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

/** Runs ticks until stopped (or one, with `once`); returns the last tick's outcome. */
export async function runDaemon(options: DaemonOptions): Promise<TickOutcome> {
  const clock = options.clock ?? realClock;
  const signals = options.signals ?? process;
  const lock = acquireDaemonLock(options.dataDir);
  if (lock.tookOverFrom) {
    options.logger.info({ pid: lock.tookOverFrom.pid }, "took over the lock of a daemon that ended without releasing it");
    options.onEvent?.({ kind: "lock-taken-over", from: lock.tookOverFrom });
  }
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
      const outcome = await runTick(options, clock, stopping.signal, aborting.signal);
      options.logger.info({ exitCode: outcome.exitCode, done: outcome.done, pending: outcome.pending }, "tick finished");
      options.onEvent?.({ kind: "tick-finished", outcome });
      if (options.once || stopping.signal.aborted) return outcome;
      const until = nextTick(options.cron, options.timezone, clock.now());
      options.onEvent?.({ kind: "waiting", until });
      await clock.sleep(Math.max(0, until.getTime() - clock.now().getTime()), stopping.signal);
      if (stopping.signal.aborted) return outcome;
    }
  } finally {
    signals.off("SIGTERM", onSignal);
    signals.off("SIGINT", onSignal);
    lock.release();
  }
}

async function runTick(options: DaemonOptions, clock: Clock, stopping: AbortSignal, aborting: AbortSignal): Promise<TickOutcome> {
  const outcome: TickOutcome = { exitCode: ExitCode.ok, done: [] };
  const worsen = (exitCode: ExitCode, error: unknown) => {
    if (!isWorse(exitCode, outcome.exitCode)) return;
    outcome.exitCode = exitCode;
    outcome.error = error;
  };
  // Earlier failures first: what fails this tick waits for the next one, not seconds.
  try {
    await options.retryDeliveries();
  } catch (error) {
    const { exitCode, reason } = classifyDayError(error);
    worsen(exitCode, error);
    options.onEvent?.({ kind: "deliveries-failed", exitCode, reason });
  }
  await runDueDays(options, clock, stopping, aborting, outcome, worsen);
  return outcome;
}

export interface TickPlan {
  /** The days a tick at `now` would report, oldest first (settled days left out). */
  days: string[];
  /** Missed days older than the catch-up bound, which it would skip. */
  skipped: string[];
}

/**
 * The days a tick at `now` would report, from the ledger alone: what each tick runs, and
 * what `daemon --dry-run` prints without taking the lock or running anything.
 */
export async function planTick(
  options: Pick<DaemonOptions, "timezone" | "catchUpDays"> & { ledger: Pick<DayLedger, "lastCompletedDay" | "isDayCompleted" | "firstPendingDay"> },
  now: Date,
): Promise<TickPlan> {
  const { ledger } = options;
  const { days, skipped } = daysToRun(await ledger.lastCompletedDay(), previousDay(now, options.timezone), options.catchUpDays, await ledger.firstPendingDay());
  const settled = await Promise.all(days.map((day) => ledger.isDayCompleted(day)));
  return { days: days.filter((_day, index) => !settled[index]), skipped };
}

async function runDueDays(
  options: DaemonOptions,
  clock: Clock,
  stopping: AbortSignal,
  aborting: AbortSignal,
  outcome: TickOutcome,
  worsen: (exitCode: ExitCode, error: unknown) => void,
): Promise<void> {
  const { ledger } = options;
  const maxAttempts = Math.max(1, options.maxAttemptsPerDay ?? DEFAULT_MAX_ATTEMPTS);
  const { days, skipped } = await planTick(options, clock.now());
  if (skipped.length > 0) options.onEvent?.({ kind: "days-skipped", days: skipped });
  for (const day of days) {
    if (stopping.aborted) return;
    if (await ledger.isDayCompleted(day)) continue;
    options.onEvent?.({ kind: "day-started", day });
    let failure: { error: unknown } | undefined;
    try {
      await options.runDay(day, aborting);
    } catch (error) {
      failure = { error };
    }
    if (failure === undefined) {
      await ledger.markDayCompleted(day, clock.now());
      outcome.done.push(day);
      options.onEvent?.({ kind: "day-finished", day, exitCode: ExitCode.ok });
      continue;
    }
    const { exitCode, reason, settles, counted } = classifyDayError(failure.error);
    worsen(exitCode, failure.error);
    options.logger.info({ day, exitCode, reason }, settles ? "the day's report was written with failures" : "the day is not done");
    if (settles) {
      await ledger.markDayCompleted(day, clock.now());
      outcome.done.push(day);
      options.onEvent?.({ kind: "day-finished", day, exitCode, reason });
      continue;
    }
    // A day aborted by a second signal is not the day's fault.
    const counts = counted && !aborting.aborted;
    const attempts = await ledger.recordDayFailure(day, clock.now(), reason, counts);
    if (counts && attempts >= maxAttempts) {
      await ledger.markDayAbandoned(day, clock.now());
      options.onEvent?.({ kind: "day-abandoned", day, exitCode, reason, attempts });
      continue;
    }
    outcome.pending = day;
    options.onEvent?.({ kind: "day-failed", day, exitCode, reason, ...(counts ? { attempt: attempts } : {}), maxAttempts });
    // Later days wait: they would most likely fail alike (a model or a remote down), and the
    // ledger's last day must never pass a day not settled.
    return;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
