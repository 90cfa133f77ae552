import { describe, expect, it } from "vitest";
import { InternalError } from "../../errors.js";
import { measureText, splitLines } from "./split-lines.js";

describe("splitLines", () => {
  it("packs whole lines into chunks within a character limit", () => {
    const lines = ["aaaa", "bbbb", "cccc", "dd"];
    const chunks = splitLines(lines, { limit: 9, unit: "chars" });
    expect(chunks).toEqual(["aaaa\nbbbb", "cccc\ndd"]);
    expect(chunks.join("\n").split("\n")).toEqual(lines);
  });

  it("measures UTF-8 bytes where the platform counts bytes", () => {
    const line = "提交".repeat(10); // 20 characters, 60 bytes
    expect(measureText(line, "bytes")).toBe(60);
    expect(splitLines([line, line], { limit: 100, unit: "chars" })).toHaveLength(1);
    expect(splitLines([line, line], { limit: 100, unit: "bytes" })).toEqual([line, line]);
  });

  it("counts the line break it joins with, for Markdown that needs a blank line between lines", () => {
    expect(splitLines(["aaa", "bbb", "ccc"], { limit: 8, unit: "chars" }, "\n\n")).toEqual(["aaa\n\nbbb", "ccc"]);
  });

  it("measures a JSON string's bytes where the platform limits the request body", () => {
    expect(measureText('say "提交"\n', "json-bytes")).toBe(4 + 2 + 6 + 2 + 2);
    const line = 'a "quoted" word';
    expect(splitLines([line, line], { limit: 2 * line.length + 1, unit: "bytes" })).toHaveLength(1);
    expect(splitLines([line, line], { limit: 2 * line.length + 1, unit: "json-bytes" })).toHaveLength(2);
  });

  it("drops blank separator lines at the edges of a chunk", () => {
    expect(splitLines(["", "a", "", "", "b", ""], { limit: 3, unit: "chars" })).toEqual(["a", "b"]);
  });

  it("refuses to cut a line longer than the limit", () => {
    expect(() => splitLines(["x".repeat(11)], { limit: 10, unit: "chars" })).toThrow(InternalError);
  });
});
