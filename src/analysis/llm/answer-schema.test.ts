import { describe, expect, it } from "vitest";
import { z } from "zod";
import { depthFor, schemaFor, toLlmAnswer } from "./answer-schema.js";

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; additionalProperties?: unknown; items?: JsonSchema; anyOf?: unknown };

/** OpenAI strict structured outputs: every object lists all its properties as required and allows no others. */
function expectStrict(schema: JsonSchema, path = "$"): void {
  expect(schema.anyOf, path).toBeUndefined();
  if (schema.type === "object") {
    expect(schema.additionalProperties, path).toBe(false);
    expect([...(schema.required ?? [])].sort(), path).toEqual(Object.keys(schema.properties ?? {}).sort());
    for (const [key, child] of Object.entries(schema.properties ?? {})) expectStrict(child, `${path}.${key}`);
  }
  if (schema.items) expectStrict(schema.items, `${path}[]`);
}

describe("answer schemas", () => {
  it("pick the depth from the rules' importance", () => {
    expect([depthFor("high"), depthFor("medium"), depthFor("low")]).toEqual(["full", "short", "brief"]);
  });

  it("are accepted by OpenAI's strict mode at every depth", () => {
    for (const depth of ["full", "short", "brief"] as const) expectStrict(z.toJSONSchema(schemaFor(depth)) as JsonSchema);
  });

  it("ask a low commit for three fields only", () => {
    const schema = z.toJSONSchema(schemaFor("brief")) as JsonSchema;
    expect(Object.keys(schema.properties!).sort()).toEqual(["importance", "importanceReasons", "summary"]);
  });

  it("cap the lists per depth, drop blank items and take the rules' type where none is asked", () => {
    const full = toLlmAnswer(
      "full",
      {
        summary: " s ",
        changeType: "bugfix",
        importance: "high",
        importanceReasons: ["a", " ", "b"],
        impact: [],
        insights: [{ dimension: "security", points: ["p1", "p2", "p3", "p4"] }, { dimension: "performance", points: [""] }],
        risks: Array.from({ length: 10 }, (_, i) => `r${i}`),
        recommendations: [{ audience: "users", text: "" }, { audience: "ci", text: "run it" }],
      },
      "feature",
    );
    expect(full.summary).toBe("s");
    expect(full.importanceReasons).toEqual(["a", "b"]);
    expect(full.risks).toHaveLength(5);
    expect(full.insights).toEqual([{ dimension: "security", points: ["p1", "p2", "p3"] }]);
    expect(full.recommendations).toEqual([{ audience: "ci", text: "run it" }]);

    const brief = toLlmAnswer("brief", { summary: "x", importance: "low", importanceReasons: ["docs"] }, "docs");
    expect(brief).toMatchObject({ changeType: "docs", impact: [], risks: [], recommendations: [] });
    expect(() => toLlmAnswer("brief", { summary: "x", importance: "urgent", importanceReasons: [] }, "docs")).toThrow();
  });
});
