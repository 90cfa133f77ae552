import { describe, expect, it } from "vitest";
import type { CommitAnalysis, ImportanceReason } from "../types.js";
import { applyImportanceFloor } from "./importance-floor.js";

function prior(importance: CommitAnalysis["importance"], reasons: Array<Pick<ImportanceReason, "code" | "params">>): CommitAnalysis {
  return {
    sha: "0".repeat(40),
    analyzer: { name: "rules", version: "4" },
    lang: "en",
    changeType: "feature",
    importance,
    score: 60,
    reasons: reasons.map((reason) => ({ ...reason, weight: 60, text: reason.code })),
    narrative: { summary: "", impact: [], insights: [], risks: [], recommendations: [] },
    notes: [],
  };
}

describe("applyImportanceFloor", () => {
  const removal = prior("high", [{ code: "api-break", params: { count: 2, names: "connect, verify_token" } }]);

  it("lets a model raise the tier, or keep it", () => {
    expect(applyImportanceFloor(prior("low", []), "high", [])).toEqual({ importance: "high", heldBy: [] });
    expect(applyImportanceFloor(removal, "high", [])).toEqual({ importance: "high", heldBy: [] });
  });

  it("holds the rules' tier against an ungrounded 'it is safe'", () => {
    expect(applyImportanceFloor(removal, "low", ["a safe small change"])).toEqual({ importance: "high", heldBy: ["api-break"] });
  });

  it("gives way to a reason that names the finding it disputes", () => {
    expect(applyImportanceFloor(removal, "medium", ["`connect` was only used by the tests"])).toEqual({ importance: "medium", heldBy: [] });
  });

  it("never gives way on a breaking change the author declared, nor on security signals", () => {
    const declared = prior("high", [{ code: "breaking-change", params: {} }]);
    expect(applyImportanceFloor(declared, "low", ["`anything` is fine"]).importance).toBe("high");
    const signal = prior("medium", [{ code: "security-signal", params: { kinds: "process-exec" } }]);
    expect(applyImportanceFloor(signal, "low", ["process-exec is fine here"]).importance).toBe("medium");
  });

  it("does not hold a tier the rules reached by ordinary findings", () => {
    const ordinary = prior("medium", [{ code: "feature", params: {} }]);
    expect(applyImportanceFloor(ordinary, "low", [])).toEqual({ importance: "low", heldBy: [] });
  });
});
