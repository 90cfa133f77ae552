import { describe, expect, it } from "vitest";
import { BadRequest, parseInstant, parsePaging, parseSearchForm, parseTrendsForm, resolveTrendDays, searchFormParams, toSearchQuery } from "./params.js";

describe("the query string of a search", () => {
  it("maps every parameter onto the store's query, empty fields (a submitted form) left out", () => {
    const form = parseSearchForm({
      q: ["kv cache"],
      repo: ["a/b,c/d"],
      since: ["2026-01-12"],
      until: ["2026-01-17"],
      importance: ["medium"],
      type: ["feature", "bugfix"],
      author: ["Ada"],
      bots: ["exclude"],
      path: ["src/**"],
      module: [""],
      symbol: ["EngineArgs.foo"],
      env: ["FOO_DIR"],
      flag: ["--verbose"],
      dependency: ["tokio"],
    });
    expect(toSearchQuery(form, "en", parsePaging({ page: ["3"] }))).toEqual({
      lang: "en",
      limit: 20,
      offset: 40,
      text: "kv cache",
      repos: ["a/b", "c/d"],
      since: "2026-01-12T00:00:00.000Z",
      // The day given is included: the query ends at the next midnight.
      until: "2026-01-18T00:00:00.000Z",
      minImportance: "medium",
      changeTypes: ["feature", "bugfix"],
      author: "Ada",
      bots: false,
      path: "src/**",
      symbol: "EngineArgs.foo",
      envVar: "FOO_DIR",
      flag: "--verbose",
      dependency: "tokio",
    });
    expect(toSearchQuery(parseSearchForm({ bots: ["only"] }), "zh-CN", { limit: 5, offset: 0 }).bots).toBe(true);
    expect(toSearchQuery(parseSearchForm({ bots: ["all"], q: [""] }), "zh-CN", { limit: 5, offset: 0 })).toEqual({ lang: "zh-CN", limit: 5, offset: 0 });
  });

  it("gives the form back as parameters, for page links and the feed", () => {
    const params = searchFormParams(parseSearchForm({ q: ["x"], repo: ["a/b"], type: ["docs"], env: ["E"], bots: ["only"], page: ["2"] }));
    expect(params).toEqual([["q", "x"], ["repo", "a/b"], ["type", "docs"], ["env", "E"], ["bots", "only"]]);
  });

  it.each([
    [{ importance: ["urgent"] }, 'importance: "urgent" is not allowed; expected one of high, medium, low'],
    [{ type: ["feature,nonsense"] }, 'type: "nonsense" is not allowed; expected one of feature, bugfix, docs, refactor, performance, test, build, ci, config, dependency, release, revert, style, chore'],
    [{ bots: ["yes"] }, 'bots: "yes" is not allowed; expected one of all, exclude, only'],
    [{ since: ["2026-02-30"] }, 'since: "2026-02-30" is not a day of the calendar; expected YYYY-MM-DD'],
    [{ until: ["last week"] }, 'until: "last week" is not allowed; expected a day (YYYY-MM-DD) or an ISO instant with its offset (2026-01-17T08:00:00Z)'],
    [{ q: ["a", "b"] }, "q: given 2 times; give it once"],
    [{ q: ["x".repeat(501)] }, "q: longer than 500 characters; shorten it"],
  ])("refuses %j with one line", (query, message) => {
    expect(() => parseSearchForm(query)).toThrow(new BadRequest(message));
  });

  it("refuses a period that ends before it starts, and pages it cannot give", () => {
    expect(() => toSearchQuery(parseSearchForm({ since: ["2026-01-17"], until: ["2026-01-12"] }), "en", { limit: 20, offset: 0 })).toThrow("since: 2026-01-17 is not before until (2026-01-12); swap them");
    expect(() => parsePaging({ page: ["0"] })).toThrow('page: "0" is not allowed; expected a whole number from 1 to 100000');
    expect(() => parsePaging({ limit: ["101"] })).toThrow('limit: "101" is not allowed; expected a whole number from 1 to 100');
    expect(() => parsePaging({ offset: ["-1"] })).toThrow(BadRequest);
    expect(parsePaging({ limit: ["5"], page: ["3"] })).toEqual({ limit: 5, offset: 10 });
    expect(parsePaging({ page: ["2"] }, 10)).toEqual({ limit: 10, offset: 10 });
  });

  it("takes an instant with its offset as it is", () => {
    expect(parseInstant("since", "2026-01-17T16:00:00+08:00")).toBe("2026-01-17T08:00:00.000Z");
    expect(parseInstant("until", "2026-01-17T08:00Z")).toBe("2026-01-17T08:00:00.000Z");
  });
});

describe("the period of the trends", () => {
  it("defaults to the 30 days ending on the newest indexed day, or 30 days from a given start", () => {
    expect(resolveTrendDays(parseTrendsForm({}), "2026-01-17")).toEqual({ since: "2025-12-19", until: "2026-01-17" });
    expect(resolveTrendDays(parseTrendsForm({ since: ["2026-01-01"] }), "2026-03-01")).toEqual({ since: "2026-01-01", until: "2026-01-30" });
    expect(resolveTrendDays(parseTrendsForm({ until: ["2026-01-10"] }), "2026-03-01")).toEqual({ since: "2025-12-12", until: "2026-01-10" });
  });

  it("takes whole days only, and at most 400 of them", () => {
    expect(() => parseTrendsForm({ since: ["2026-01-01T00:00:00Z"] })).toThrow('since: "2026-01-01T00:00:00Z" is not allowed; expected a day, YYYY-MM-DD');
    expect(() => resolveTrendDays(parseTrendsForm({ since: ["2024-01-01"], until: ["2026-01-01"] }), "2026-01-01")).toThrow("since..until: 732 days; give at most 400");
  });
});
