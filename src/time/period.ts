import { DateTime, IANAZone } from "luxon";
import { ConfigError } from "../errors.js";
import type { TimeRange } from "../sources/types.js";

export interface Period extends TimeRange {
  /** "2026-01-17" for one day, "2026-01-11..2026-01-17" for several. */
  label: string;
  timezone: string;
}

export interface PeriodRequest {
  /** YYYY-MM-DD, "today" or "yesterday". */
  date?: string;
  /** YYYY-MM-DD (start of that day) or an ISO date-time. */
  since?: string;
  /** YYYY-MM-DD (that day included) or an ISO date-time (exclusive). */
  until?: string;
  timezone: string;
  now: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function assertTimezone(zone: string, key = "timezone"): string {
  if (!IANAZone.isValidZone(zone)) {
    throw new ConfigError(key, zone, "an IANA time zone such as Asia/Shanghai, Europe/Berlin or UTC");
  }
  return zone;
}

/** The machine's zone, as the runtime knows it. */
export function systemTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * A report covers calendar days in the user's zone, by committer date, as a half-open
 * window [since, until). With no date at all it is yesterday: the last whole day.
 */
export function resolvePeriod(request: PeriodRequest): Period {
  const zone = assertTimezone(request.timezone, "--tz");
  const now = DateTime.fromJSDate(request.now, { zone });
  if (request.date !== undefined && (request.since !== undefined || request.until !== undefined)) {
    throw new ConfigError("--date", request.date, "either --date or --since/--until, not both");
  }
  if (request.since === undefined && request.until === undefined) {
    const day = parseDay(request.date ?? "yesterday", now, "--date");
    return dayRange(day, day, zone);
  }
  const start = request.since === undefined ? undefined : parseBoundary(request.since, now, "--since", "start");
  const end =
    request.until === undefined ? now.plus({ milliseconds: 1 }) : parseBoundary(request.until, now, "--until", "end");
  const since = start ?? end.minus({ days: 1 });
  if (since >= end) {
    throw new ConfigError("--since", request.since, `a moment before --until (${end.toISO()})`);
  }
  return {
    since: since.toJSDate(),
    until: end.toJSDate(),
    timezone: zone,
    label: labelFor(since, end),
  };
}

/** The seven days ending with `date` (default: yesterday), for the weekly digest. */
export function weekEnding(request: { date?: string; timezone: string; now: Date }): Period {
  const zone = assertTimezone(request.timezone, "--tz");
  const last = parseDay(request.date ?? "yesterday", DateTime.fromJSDate(request.now, { zone }), "--date");
  return dayRange(last.minus({ days: 6 }), last, zone);
}

/** The last `days` whole days up to and including today, in the zone. */
export function lastDays(days: number, now: Date, timezone: string): Period {
  return daysEnding(days, { timezone, now, date: "today" });
}

/**
 * The `days` whole days ending with (and including) a day: `date` (YYYY-MM-DD, today or
 * yesterday) or the day of the instant `at`, in the zone.
 */
export function daysEnding(days: number, request: { timezone: string; now: Date; date?: string; at?: Date }): Period {
  const zone = assertTimezone(request.timezone, "--tz");
  const last = request.at
    ? DateTime.fromJSDate(request.at, { zone }).startOf("day")
    : parseDay(request.date ?? "today", DateTime.fromJSDate(request.now, { zone }), "--date");
  return dayRange(last.minus({ days: days - 1 }), last, zone);
}

function dayRange(first: DateTime, last: DateTime, zone: string): Period {
  const since = first.startOf("day");
  const until = last.startOf("day").plus({ days: 1 });
  return { since: since.toJSDate(), until: until.toJSDate(), timezone: zone, label: labelFor(since, until) };
}

function labelFor(since: DateTime, until: DateTime): string {
  const first = since.toISODate()!;
  const wholeDays = since.equals(since.startOf("day")) && until.equals(until.startOf("day"));
  const last = (wholeDays ? until.minus({ days: 1 }) : until).toISODate()!;
  return first === last ? first : `${first}..${last}`;
}

function parseDay(value: string, now: DateTime, key: string): DateTime {
  if (value === "today") return now.startOf("day");
  if (value === "yesterday") return now.startOf("day").minus({ days: 1 });
  if (DAY.test(value)) {
    const day = DateTime.fromISO(value, { zone: now.zone });
    if (day.isValid) return day;
  }
  throw new ConfigError(key, value, "a date as YYYY-MM-DD, or today, or yesterday");
}

function parseBoundary(value: string, now: DateTime, key: string, side: "start" | "end"): DateTime {
  if (value === "today" || value === "yesterday" || DAY.test(value)) {
    const day = parseDay(value, now, key);
    return side === "start" ? day : day.plus({ days: 1 });
  }
  const instant = DateTime.fromISO(value, { zone: now.zone });
  if (!instant.isValid) {
    throw new ConfigError(key, value, "a date as YYYY-MM-DD or an ISO date-time such as 2026-01-17T08:00:00+08:00");
  }
  return instant;
}

/** ISO 8601 with offset in the zone: what the report shows as a commit's time. */
export function formatInZone(date: Date | string, zone: string): string {
  const dt = typeof date === "string" ? DateTime.fromISO(date, { setZone: true }) : DateTime.fromJSDate(date);
  return dt.setZone(zone).toISO({ suppressMilliseconds: true })!;
}
