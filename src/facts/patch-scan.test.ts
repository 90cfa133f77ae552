import { describe, expect, it } from "vitest";
import { parsePatch } from "./patch-scan.js";

const patch = [
  "@@ -10,4 +10,5 @@ def serve(args):",
  "     port = args.port",
  "-    host = args.host",
  "+    host = args.host or DEFAULT_HOST",
  "+    timeout = args.timeout",
  "     run(host, port)",
  "@@ -40,2 +41,1 @@",
  "-old_tail()",
  " last_line",
  "\\ No newline at end of file",
  "",
].join("\n");

describe("parsePatch", () => {
  it("numbers each line on its side of the hunk", () => {
    const hunks = parsePatch(patch).hunks;
    expect(hunks.map((hunk) => hunk.context)).toEqual(["def serve(args):", ""]);
    expect(hunks[0]!.lines).toEqual([
      { type: "ctx", text: "    port = args.port", oldLine: 10, newLine: 10 },
      { type: "del", text: "    host = args.host", oldLine: 11 },
      { type: "add", text: "    host = args.host or DEFAULT_HOST", newLine: 11 },
      { type: "add", text: "    timeout = args.timeout", newLine: 12 },
      { type: "ctx", text: "    run(host, port)", oldLine: 12, newLine: 13 },
    ]);
    // "\ No newline at end of file" is no line of either file.
    expect(hunks[1]!.lines.map((l) => [l.type, l.oldLine, l.newLine])).toEqual([
      ["del", 40, undefined],
      ["ctx", 41, 41],
    ]);
  });

  it("shows each hunk from the old file and from the new file, and which sides change anything", () => {
    const sides = parsePatch(patch).sides;
    expect(sides.map((side) => [side.change, side.lines.map((l) => `${l.line}${l.changed ? "*" : ""}`), side.hasChangedLines])).toEqual([
      ["removed", ["10", "11*", "12"], true],
      ["added", ["10", "11*", "12*", "13"], true],
      ["removed", ["40*", "41"], true],
      ["added", ["41"], false],
    ]);
    const joined = sides[1]!.joined;
    expect(joined.text).toBe("    port = args.port\n    host = args.host or DEFAULT_HOST\n    timeout = args.timeout\n    run(host, port)");
    expect(joined.indexAt(joined.text.indexOf("timeout"))).toBe(2);
    expect(joined.startOf(2)).toBe(joined.text.indexOf("    timeout"));
  });

  it("keeps a hunk whatever its header context holds (a Unicode line separator, a carriage return)", () => {
    for (const context of ['const SEP = "\u2028";', "int main() {\r"]) {
      const hunks = parsePatch(`@@ -1,1 +1,1 @@ ${context}\n-a\n+b\n`).hunks;
      expect(hunks.map((hunk) => [hunk.context, hunk.lines.map((l) => l.text)])).toEqual([[context, ["a", "b"]]]);
    }
  });

  it("drops lines after a malformed hunk header instead of guessing their numbers", () => {
    const hunks = parsePatch("@@ -1 +1 @@\n-a\n+b\n@@ broken @@\n+c\n@@ -9 +9 @@\n+d\n").hunks;
    expect(hunks.map((hunk) => hunk.lines.map((l) => `${l.text}@${l.newLine ?? l.oldLine}`))).toEqual([["a@1", "b@1"], ["d@9"]]);
  });

  it("reads nothing before the first hunk and nothing from an empty patch", () => {
    expect(parsePatch("").hunks).toEqual([]);
    expect(parsePatch("diff --git a/x b/x\n+++ b/x\n").sides).toEqual([]);
  });
});
