import { describe, expect, it } from "vitest";
import type { SymbolChange } from "../../facts/types.js";
import { makeSymbol } from "../../../test/support/analysis/rules/fixtures.js";
import { IMPACT } from "./messages.js";

function visibilityChange(name: string, from: string, to: string): SymbolChange {
  return makeSymbol(name, "signature", "src/run.ts", {
    signature: {
      before: "()",
      after: "()",
      parametersAdded: [],
      parametersRemoved: [],
      defaultsChanged: [],
      typesChanged: [],
      modifiersAdded: [],
      modifiersRemoved: [],
      visibility: { from, to },
      breaking: from === "public",
    },
  } as Partial<SymbolChange>);
}

describe("the public API line of a commit's impact", () => {
  it("says which way a visibility changed: an export added is not an API hidden", () => {
    const api = { added: [], removed: [], renamed: [], moved: [], signature: [visibilityChange("openSource", "module", "public"), visibilityChange("helper", "public", "module")] };
    const line = IMPACT.publicApi(api);
    expect(line.en).toContain("now public: `openSource`");
    expect(line.en).toContain("no longer public: `helper`");
    expect(line.en).not.toMatch(/no longer public: [^;]*openSource/);
    expect(line["zh-CN"]).toContain("改为公开 `openSource`");
  });
});
