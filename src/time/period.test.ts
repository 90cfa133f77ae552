import { describe, expect, it } from "vitest";
import { formatInZone, lastDays, resolvePeriod } from "./period.js";

const now = new Date("2026-01-18T03:00:00Z"); // 11:00 on the 18th in Shanghai

describe("resolvePeriod", () => {
  it("makes a day the calendar day in the zone, half-open", () => {
    const p = resolvePeriod({ date: "2026-01-17", timezone: "Asia/Shanghai", now });
    expect(p.since.toISOString()).toBe("2026-01-16T16:00:00.000Z");
    expect(p.until.toISOString()).toBe("2026-01-17T16:00:00.000Z");
    expect(p.label).toBe("2026-01-17");
    // 23:59:59 local is in, 00:00:00 of the next day is out.
    const lastSecond = new Date("2026-01-17T23:59:59+08:00").getTime();
    const nextMidnight = new Date("2026-01-18T00:00:00+08:00").getTime();
    expect(lastSecond >= p.since.getTime() && lastSecond < p.until.getTime()).toBe(true);
    expect(nextMidnight < p.until.getTime()).toBe(false);
  });

  it("resolves today and yesterday in the zone, not in UTC", () => {
    expect(resolvePeriod({ date: "today", timezone: "Asia/Shanghai", now }).label).toBe("2026-01-18");
    expect(resolvePeriod({ date: "yesterday", timezone: "America/Los_Angeles", now }).label).toBe("2026-01-16");
    expect(resolvePeriod({ timezone: "UTC", now }).label).toBe("2026-01-17");
  });

  it("keeps a day 23 or 25 hours long across a DST change", () => {
    const p = resolvePeriod({ date: "2026-03-08", timezone: "America/New_York", now });
    expect(p.until.getTime() - p.since.getTime()).toBe(23 * 3600 * 1000);
  });

  it("takes --since/--until days inclusively and date-times as given", () => {
    const days = resolvePeriod({ since: "2026-01-10", until: "2026-01-16", timezone: "UTC", now });
    expect(days.label).toBe("2026-01-10..2026-01-16");
    expect(days.until.toISOString()).toBe("2026-01-17T00:00:00.000Z");
    const times = resolvePeriod({ since: "2026-01-17T08:00:00+08:00", until: "2026-01-17T20:00:00+08:00", timezone: "Asia/Shanghai", now });
    expect(times.since.toISOString()).toBe("2026-01-17T00:00:00.000Z");
    expect(times.until.toISOString()).toBe("2026-01-17T12:00:00.000Z");
  });

  it("names the bad value and what is allowed", () => {
    expect(() => resolvePeriod({ date: "17/01/2026", timezone: "UTC", now })).toThrow(/--date: "17\/01\/2026" is not allowed; expected a date as YYYY-MM-DD/);
    expect(() => resolvePeriod({ date: "2026-02-30", timezone: "UTC", now })).toThrow(/--date/);
    expect(() => resolvePeriod({ date: "today", timezone: "Mars/Olympus", now })).toThrow(/--tz: "Mars\/Olympus" is not allowed; expected an IANA time zone/);
    expect(() => resolvePeriod({ since: "2026-01-12", until: "2026-01-10", timezone: "UTC", now })).toThrow(/--since/);
    expect(() => resolvePeriod({ date: "today", since: "2026-01-10", timezone: "UTC", now })).toThrow(/either --date or --since/);
  });
});

describe("lastDays", () => {
  it("covers whole days up to and including today", () => {
    const p = lastDays(7, now, "Asia/Shanghai");
    expect(p.label).toBe("2026-01-12..2026-01-18");
  });
});

describe("formatInZone", () => {
  it("renders an instant with the zone's offset", () => {
    expect(formatInZone("2026-01-17T06:06:33+08:00", "UTC")).toBe("2026-01-16T22:06:33Z");
    expect(formatInZone(new Date("2026-01-16T22:06:33Z"), "Asia/Shanghai")).toBe("2026-01-17T06:06:33+08:00");
  });
});
