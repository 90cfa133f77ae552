import { describe, expect, it } from "vitest";
import { isWhitespaceOnly } from "./formatting.js";
import { parsePatch } from "./patch-scan.js";

const patch = (lines: string[]) => parsePatch(lines.join("\n"));

describe("isWhitespaceOnly", () => {
  it("is true for tabs to spaces and trailing spaces", () => {
    expect(isWhitespaceOnly("src/a.rs", patch(["@@ -1,2 +1,2 @@", " fn a() {", "-\tlet x = 1;  ", "+    let x = 1;"]))).toBe(true);
  });

  it("is true for a rewrapped call", () => {
    expect(isWhitespaceOnly("src/a.ts", patch(["@@ -1,1 +1,3 @@", "-f(a, b);", "+f(", "+  a, b", "+);"]))).toBe(true);
  });

  it("is false when a token changes", () => {
    expect(isWhitespaceOnly("src/a.ts", patch(["@@ -1,1 +1,1 @@", "-f(a, b);", "+f(a, c);"]))).toBe(false);
  });

  it("keeps Python nesting: tabs to spaces is formatting, dedenting out of a block is not", () => {
    expect(isWhitespaceOnly("a.py", patch(["@@ -1,3 +1,3 @@", " if x:", "-\ta()", "-\tb()", "+    a()", "+    b()"]))).toBe(true);
    expect(isWhitespaceOnly("a.py", patch(["@@ -1,3 +1,3 @@", " if x:", "     a()", "-    b()", "+b()"]))).toBe(false);
  });

  it("is false for a patch with no changed line", () => {
    expect(isWhitespaceOnly("a.ts", patch([]))).toBe(false);
  });
});
