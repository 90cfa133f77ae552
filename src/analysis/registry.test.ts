import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { ANALYZER_FACTORIES, createAnalyzer, listAnalyzerIds } from "./registry.js";
import { DEFAULT_SCORING } from "./rules/weights.js";

const options = { scoring: DEFAULT_SCORING, criticalPaths: [] };

describe("analyzer registry", () => {
  it("creates the rules analyzer by its id", () => {
    expect(createAnalyzer("rules", options).id.name).toBe("rules");
  });

  it("rejects an unknown id, listing the known ones", () => {
    let error: unknown;
    try {
      createAnalyzer("gpt", options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("analysis.analyzer");
    expect((error as ConfigError).allowed).toBe(`one of: ${listAnalyzerIds().join(", ")}`);
    expect((error as ConfigError).allowed).toContain("rules");
  });

  it("lists every adapter folder under src/analysis, so none is forgotten", () => {
    const folder = fileURLToPath(new URL(".", import.meta.url));
    const adapters = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...ANALYZER_FACTORIES.keys()].sort()).toEqual(adapters);
  });

  it("each factory builds an analyzer whose id name is its key", () => {
    for (const [id, factory] of ANALYZER_FACTORIES) expect(factory(options).id.name).toBe(id);
  });
});
