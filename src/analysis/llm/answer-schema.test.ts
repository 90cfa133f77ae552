import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { AnswerDepth } from "./types.js";
import { depthFor, schemaFor, toLlmAnswer } from "./answer-schema.js";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
}

const DEPTHS: readonly AnswerDepth[] = ["full", "short", "brief"];

function jsonSchemaOf(depth: AnswerDepth): JsonSchema {
  return z.toJSONSchema(schemaFor(depth)) as JsonSchema;
}

/** Every schema node, with a path for the failure message. */
function listNodes(schema: JsonSchema, path = "$"): Array<{ path: string; node: JsonSchema }> {
  const nodes = [{ path, node: schema }];
  for (const [key, child] of Object.entries(schema.properties ?? {})) nodes.push(...listNodes(child, `${path}.${key}`));
  if (schema.items) nodes.push(...listNodes(schema.items, `${path}[]`));
  for (const [i, child] of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].entries()) nodes.push(...listNodes(child, `${path}|${i}`));
  for (const [key, child] of Object.entries(schema.$defs ?? {})) nodes.push(...listNodes(child, `${path}#${key}`));
  return nodes;
}

const FULL_OUTPUT = {
  summary: " Adds a server. ",
  changeType: "bugfix",
  importance: "high",
  importanceReasons: ["a", " ", "b", "c", "d", "e"],
  impact: Array.from({ length: 9 }, (_, i) => `i${i}`),
  insights: [
    { dimension: "security", points: ["p1", "p2", "p3", "p4"] },
    { dimension: "performance", points: ["", "  "] },
  ],
  risks: Array.from({ length: 10 }, (_, i) => `r${i}`),
  recommendations: [
    { audience: "users", text: "" },
    { audience: "ci", text: " run it " },
    { audience: "maintainers", text: "m1" },
    { audience: "users", text: "u1" },
    { audience: "users", text: "u2" },
    { audience: "users", text: "u3" },
  ],
};

describe("depthFor", () => {
  it("gives a high commit the full analysis, a medium one the short, a low one the brief", () => {
    expect(depthFor("high")).toBe("full");
    expect(depthFor("medium")).toBe("short");
    expect(depthFor("low")).toBe("brief");
  });
});

describe("schemaFor, as OpenAI strict structured outputs require", () => {
  it.each(DEPTHS)("%s: every object lists all its properties as required and allows no others", (depth) => {
    const objects = listNodes(jsonSchemaOf(depth)).filter(({ node }) => node.type === "object");
    expect(objects.length).toBeGreaterThan(0);
    for (const { path, node } of objects) {
      expect(node.additionalProperties, path).toBe(false);
      expect([...(node.required ?? [])].sort(), path).toEqual(Object.keys(node.properties ?? {}).sort());
    }
  });

  it.each(DEPTHS)("%s: has no optional or nullable field", (depth) => {
    for (const { path, node } of listNodes(jsonSchemaOf(depth))) {
      expect(node.anyOf, path).toBeUndefined();
      expect(node.oneOf, path).toBeUndefined();
      const types = Array.isArray(node.type) ? node.type : [node.type];
      expect(types, path).not.toContain("null");
    }
  });

  it("asks a low commit for the summary, the importance and its reasons only", () => {
    expect(Object.keys(jsonSchemaOf("brief").properties ?? {}).sort()).toEqual(["importance", "importanceReasons", "summary"]);
  });

  it("asks a medium commit for the type, impact, risks and recommendations too, and a high one for insights", () => {
    const short = Object.keys(jsonSchemaOf("short").properties ?? {}).sort();
    const full = Object.keys(jsonSchemaOf("full").properties ?? {}).sort();
    expect(short).toEqual(["changeType", "impact", "importance", "importanceReasons", "recommendations", "risks", "summary"]);
    expect(full).toEqual([...short, "insights"].sort());
  });

  it("rejects an answer with a field it did not ask for", () => {
    expect(schemaFor("brief").safeParse({ summary: "x", importance: "low", importanceReasons: [], risks: [] }).success).toBe(false);
  });
});

describe("toLlmAnswer", () => {
  it("caps the lists of a full answer, trims items and drops blank ones", () => {
    const answer = toLlmAnswer("full", FULL_OUTPUT, "feature");
    expect(answer.summary).toBe("Adds a server.");
    expect(answer.changeType).toBe("bugfix");
    expect(answer.importance).toBe("high");
    expect(answer.importanceReasons).toEqual(["a", "b", "c", "d"]);
    expect(answer.impact).toHaveLength(6);
    expect(answer.risks).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    expect(answer.insights).toEqual([{ dimension: "security", points: ["p1", "p2", "p3"] }]);
    expect(answer.recommendations).toEqual([
      { audience: "ci", text: "run it" },
      { audience: "maintainers", text: "m1" },
      { audience: "users", text: "u1" },
      { audience: "users", text: "u2" },
    ]);
  });

  it("caps a short answer tighter and gives it no insights", () => {
    const { insights, ...shortOutput } = FULL_OUTPUT;
    expect(insights).toHaveLength(2);
    const answer = toLlmAnswer("short", shortOutput, "feature");
    expect(answer.importanceReasons).toEqual(["a", "b", "c"]);
    expect(answer.impact).toEqual(["i0", "i1", "i2", "i3"]);
    expect(answer.risks).toEqual(["r0", "r1", "r2"]);
    expect(answer.recommendations).toEqual([
      { audience: "ci", text: "run it" },
      { audience: "maintainers", text: "m1" },
    ]);
    expect(answer.insights).toEqual([]);
  });

  it("fills a brief answer's change type from the rules and leaves its lists empty", () => {
    const answer = toLlmAnswer("brief", { summary: "Fixes a typo.", importance: "low", importanceReasons: ["docs only", "", "x", "y"] }, "docs");
    expect(answer).toEqual({
      summary: "Fixes a typo.",
      changeType: "docs",
      importance: "low",
      importanceReasons: ["docs only", "x"],
      impact: [],
      insights: [],
      risks: [],
      recommendations: [],
    });
  });

  it("throws on output the schema does not accept", () => {
    expect(() => toLlmAnswer("brief", { summary: "x", importance: "urgent", importanceReasons: [] }, "docs")).toThrow();
    expect(() => toLlmAnswer("full", { ...FULL_OUTPUT, changeType: "hotfix" }, "docs")).toThrow();
    expect(() => toLlmAnswer("short", { summary: "x", importance: "low", importanceReasons: [] }, "docs")).toThrow();
    expect(() => toLlmAnswer("full", { ...FULL_OUTPUT, recommendations: [{ audience: "everyone", text: "x" }] }, "docs")).toThrow();
  });
});
