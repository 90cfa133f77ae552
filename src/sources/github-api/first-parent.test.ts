import { describe, expect, it } from "vitest";
import type { ListedCommit } from "./api-schema.js";
import { selectFirstParentChain } from "./first-parent.js";

function listed(sha: string, date: string, parents: string[]): ListedCommit {
  return { sha, commit: { committer: { date } }, parents: parents.map((p) => ({ sha: p })) };
}

const range = { since: new Date("2026-01-17T00:00:00Z"), until: new Date("2026-01-18T00:00:00Z") };

describe("selecting the first-parent chain", () => {
  it("follows first parents from the tip and leaves out the merged branch", () => {
    // main: root ← m1 ← merge(m1, f2) ← m3 ; feature: m1 ← f1 ← f2
    const commits = [
      listed("m3", "2026-01-17T20:00:00Z", ["merge"]),
      listed("merge", "2026-01-17T18:00:00Z", ["m1", "f2"]),
      listed("f2", "2026-01-17T16:00:00Z", ["f1"]),
      listed("f1", "2026-01-17T12:00:00Z", ["m1"]),
      listed("m1", "2026-01-17T10:00:00Z", ["root"]),
    ];
    expect(selectFirstParentChain("m3", commits, range).map((h) => h.sha)).toEqual(["m3", "merge", "m1"]);
  });

  it("walks through commits after the range to reach the ones inside it", () => {
    // A merge after the range brings in a branch commit dated inside it: the branch commit is not on the chain.
    const commits = [
      listed("later", "2026-01-18T09:00:00Z", ["inside", "side"]),
      listed("side", "2026-01-17T23:00:00Z", ["inside"]),
      listed("inside", "2026-01-17T08:00:00Z", ["before"]),
      listed("before", "2026-01-16T23:59:59Z", []),
    ];
    const headers = selectFirstParentChain("later", commits, range);
    expect(headers).toEqual([{ sha: "inside", committedAt: new Date("2026-01-17T08:00:00Z") }]);
  });

  it("includes the start of the range and excludes its end", () => {
    const commits = [
      listed("end", "2026-01-18T00:00:00Z", ["start"]),
      listed("start", "2026-01-17T00:00:00Z", []),
    ];
    expect(selectFirstParentChain("end", commits, range).map((h) => h.sha)).toEqual(["start"]);
  });

  it("returns nothing when the tip is not listed", () => {
    expect(selectFirstParentChain("gone", [listed("x", "2026-01-17T01:00:00Z", [])], range)).toEqual([]);
  });
});
