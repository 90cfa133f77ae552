import { describe, expect, it } from "vitest";
import { truncateTitle } from "./truncate.js";

const graphemes = (text: string): string[] =>
  Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (part) => part.segment);

describe("truncateTitle", () => {
  it("leaves a title that fits", () => {
    expect(truncateTitle("fix: short", 60)).toBe("fix: short");
  });

  it("counts CJK and emoji as two columns", () => {
    expect(truncateTitle("修复".repeat(15), 60)).toBe("修复".repeat(15));
    expect(truncateTitle("修复".repeat(16), 60)).toBe(`${"修复".repeat(14)}修…`);
  });

  it("never splits an emoji sequence, a flag or a combining mark", () => {
    const family = "👨‍👩‍👧‍👦";
    const title = `功能：${family}${family}🇨🇳é${family}ö`.repeat(4);
    for (let columns = 4; columns < 40; columns += 1) {
      const cut = truncateTitle(title, columns);
      expect(cut.endsWith("…")).toBe(true);
      const kept = graphemes(cut.slice(0, -1));
      expect(kept).toEqual(graphemes(title).slice(0, kept.length));
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it("cuts between words where it can", () => {
    expect(truncateTitle("feat: add span event logging and fix trace context extraction (#5400)", 60)).toBe(
      "feat: add span event logging and fix trace context…",
    );
  });
});
