import { DateTime } from "luxon";

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/;

/**
 * `2026-01-17 06:06:33` for an ISO time that already carries the report zone's offset:
 * its own date and time fields, read off the text (every commit of a report is shown, and
 * parsing each into a zoned date costs more than the rest of its line).
 */
export function formatLocalTime(iso: string): string {
  const fields = LOCAL_DATE_TIME.exec(iso);
  if (fields) return `${fields[1]} ${fields[2]}`;
  return DateTime.fromISO(iso, { setZone: true }).toFormat("yyyy-MM-dd HH:mm:ss");
}

/** An instant shown in the report's zone, to the minute or the second. */
export function formatInstant(iso: string, timezone: string, precision: "minute" | "second" = "second"): string {
  return DateTime.fromISO(iso, { zone: "utc" })
    .setZone(timezone)
    .toFormat(precision === "minute" ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A weight as a signed number: +3, −2, 0. */
export function formatWeight(weight: number): string {
  if (weight > 0) return `+${weight}`;
  if (weight < 0) return `−${Math.abs(weight)}`;
  return "0";
}
