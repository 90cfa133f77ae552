/**
 * Which days the daemon reports: the calendar day before each tick, in the configured
 * zone, and after downtime every day missed since the last one finished, once each,
 * oldest first, up to a bound.
 */
import { Cron } from "croner";
import { DateTime } from "luxon";
import { assertTimezone } from "../time/period.js";

/** The day before `at`, in the zone: what a report written at `at` covers. */
export function previousDay(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).startOf("day").minus({ days: 1 }).toISODate()!;
}

export interface DaysToRun {
  /** Oldest first. */
  days: string[];
  /** Missed days older than the catch-up bound, left out. */
  skipped: string[];
}

/**
 * Every day after `lastCompleted` up to `target`, from `firstPending` (a day tried and not
 * settled) when that is older; with no history, only `target`, so a first start does not
 * write a year of reports. The caller skips the days already settled.
 */
export function daysToRun(lastCompleted: string | undefined, target: string, catchUpDays: number, firstPending?: string): DaysToRun {
  const from =
    firstPending !== undefined && (lastCompleted === undefined || firstPending <= lastCompleted)
      ? DateTime.fromISO(firstPending, { zone: "UTC" })
      : lastCompleted !== undefined
        ? DateTime.fromISO(lastCompleted, { zone: "UTC" }).plus({ days: 1 })
        : undefined;
  if (from === undefined) return { days: [target], skipped: [] };
  const days: string[] = [];
  const end = DateTime.fromISO(target, { zone: "UTC" });
  for (let day = from; day <= end; day = day.plus({ days: 1 })) {
    days.push(day.toISODate()!);
  }
  const keep = Math.max(1, catchUpDays);
  return { days: days.slice(-keep), skipped: days.slice(0, Math.max(0, days.length - keep)) };
}

/** The next moment the cron expression fires after `from`, in the zone. */
export function nextTick(cron: string, timezone: string, from: Date): Date {
  const next = new Cron(cron, { timezone, paused: true }).nextRun(from);
  if (!next) throw new Error(`the schedule "${cron}" never fires again`);
  return next;
}

/** Checks a cron expression and a zone as the config is read, so a bad one fails at once. */
export function assertSchedule(cron: string, timezone: string): void {
  assertTimezone(timezone, "schedule.timezone");
  new Cron(cron, { timezone, paused: true });
}
