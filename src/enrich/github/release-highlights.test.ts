import { describe, expect, it } from "vitest";
import { extractReleaseHighlights, shorten, stripMarkdown } from "./release-highlights.js";

describe("extractReleaseHighlights", () => {
  it("takes the first five headings and bullets as plain text", () => {
    const body = [
      "# 3.0.0",
      "Intro paragraph that is not a point.",
      "### Features",
      "- **cli:** add `--since` option ([#42](https://github.com/o/r/issues/42)) ([abc1234](https://github.com/o/r/commit/abc1234))",
      "* Support _TOML_ configs",
      "```",
      "- not a bullet inside code",
      "```",
      "1. numbered point",
      "+ plus point",
      "- sixth point",
    ].join("\n");
    expect(extractReleaseHighlights(body)).toEqual([
      "3.0.0",
      "Features",
      "cli: add --since option (#42) (abc1234)",
      "Support TOML configs",
      "numbered point",
    ]);
  });

  it("leaves out the boilerplate of generated release notes", () => {
    const body =
      "<!-- Release notes generated using configuration in .github/release.yml -->\n## What's Changed\n* Fix login by @a in https://github.com/o/r/pull/7\n## New Contributors\n* @b made their first contribution in https://github.com/o/r/pull/8\n\n**Full Changelog**: https://github.com/o/r/compare/v1...v2";
    expect(extractReleaseHighlights(body)).toEqual(["Fix login by @a in #7"]);
  });

  it("falls back to the first line of prose, and to nothing for an empty body", () => {
    expect(extractReleaseHighlights("\nJust a **small** fix.\nMore text.")).toEqual(["Just a small fix."]);
    expect(extractReleaseHighlights(null)).toEqual([]);
    expect(extractReleaseHighlights("")).toEqual([]);
  });

  it("keeps snake_case names intact", () => {
    expect(stripMarkdown("rename max_items_per_list to _max_ and *all* of it")).toBe("rename max_items_per_list to max and all of it");
  });
});

describe("shorten", () => {
  it("cuts long lines at a word boundary with an ellipsis, within 200 characters", () => {
    const text = `${"word ".repeat(60)}end`;
    const short = shorten(text);
    expect([...short].length).toBeLessThanOrEqual(200);
    expect(short.endsWith("word…")).toBe(true);
  });

  it("cuts text without spaces where it reaches the limit", () => {
    const short = shorten("变".repeat(300));
    expect([...short]).toHaveLength(200);
    expect(short.endsWith("…")).toBe(true);
  });

  it("leaves short text alone", () => {
    expect(shorten("short")).toBe("short");
  });
});
