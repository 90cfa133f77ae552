/**
 * What the model must return, one schema per depth: the full analysis for a commit the
 * rules rate high, a shorter one for medium, three fields for low. The model writes
 * content only; the renderer owns the layout, so nothing here holds Markdown structure.
 *
 * Every field is required and nothing is a union: OpenAI's strict structured outputs
 * accept only that (https://platform.openai.com/docs/guides/structured-outputs#all-fields-must-be-required),
 * and the other providers take the same schema. Lengths are not in the schema (not every
 * provider enforces `maxItems`); `toLlmAnswer` caps them instead.
 */
import * as z from "zod";
import { CHANGE_TYPES, INSIGHT_DIMENSIONS, IMPORTANCE_ORDER, type ChangeType, type Importance } from "../types.js";
import type { AnswerDepth, LlmAnswer } from "./types.js";

const importance = z.enum(IMPORTANCE_ORDER as [Importance, ...Importance[]]);
const changeType = z.enum(CHANGE_TYPES as [ChangeType, ...ChangeType[]]);
const sentences = z.array(z.string());

const brief = z.strictObject({
  summary: z.string().describe("One sentence: what the commit does."),
  importance,
  importanceReasons: sentences.describe("One or two reasons for the importance, from the facts."),
});

const short = brief.extend({
  changeType,
  impact: sentences.describe("Modules, files or interfaces touched, one item each (at most 4)."),
  risks: sentences.describe("What could break and for whom; empty when nothing grounded (at most 3)."),
  recommendations: z
    .array(z.strictObject({ audience: z.enum(["maintainers", "users", "ci"]), text: z.string() }))
    .describe("What a reader should do (at most 2)."),
});

const full = short.extend({
  summary: z.string().describe("One to three sentences: what the commit does and why."),
  impact: sentences.describe("Modules, files or interfaces touched, one item each (at most 6)."),
  insights: z
    .array(z.strictObject({ dimension: z.enum(INSIGHT_DIMENSIONS), points: sentences }))
    .describe("Only the dimensions with something grounded to say."),
  risks: sentences.describe("What could break and for whom; empty when nothing grounded (at most 5)."),
  recommendations: z
    .array(z.strictObject({ audience: z.enum(["maintainers", "users", "ci"]), text: z.string() }))
    .describe("What each audience should do (at most 4)."),
});

const SCHEMAS = { full, short, brief } as const;

/** Caps per depth: the report's layout stays the same whatever the model writes. */
const LIMITS: Record<AnswerDepth, { reasons: number; impact: number; risks: number; recommendations: number; points: number }> = {
  full: { reasons: 4, impact: 6, risks: 5, recommendations: 4, points: 3 },
  short: { reasons: 3, impact: 4, risks: 3, recommendations: 2, points: 0 },
  brief: { reasons: 2, impact: 0, risks: 0, recommendations: 0, points: 0 },
};

/** The rules' importance picks the depth: a low commit is not worth a full analysis. */
export function depthFor(importance: Importance): AnswerDepth {
  return importance === "high" ? "full" : importance === "medium" ? "short" : "brief";
}

export function schemaFor(depth: AnswerDepth): z.ZodType {
  return SCHEMAS[depth];
}

/**
 * The validated output as an LlmAnswer: fields a depth does not ask for are empty (or the
 * rules' change type), lists are capped, blank items dropped.
 */
export function toLlmAnswer(depth: AnswerDepth, output: unknown, fallbackType: ChangeType): LlmAnswer {
  const parsed = SCHEMAS[depth].parse(output) as z.infer<typeof full> | z.infer<typeof short> | z.infer<typeof brief>;
  const limits = LIMITS[depth];
  const list = (items: readonly string[] | undefined, max: number) =>
    (items ?? []).map((item) => item.trim()).filter(Boolean).slice(0, max);
  return {
    summary: parsed.summary.trim(),
    changeType: "changeType" in parsed ? parsed.changeType : fallbackType,
    importance: parsed.importance,
    importanceReasons: list(parsed.importanceReasons, limits.reasons),
    impact: "impact" in parsed ? list(parsed.impact, limits.impact) : [],
    insights:
      "insights" in parsed
        ? parsed.insights
            .map((insight) => ({ dimension: insight.dimension, points: list(insight.points, limits.points) }))
            .filter((insight) => insight.points.length > 0)
        : [],
    risks: "risks" in parsed ? list(parsed.risks, limits.risks) : [],
    recommendations:
      "recommendations" in parsed
        ? parsed.recommendations
            .map((rec) => ({ audience: rec.audience, text: rec.text.trim() }))
            .filter((rec) => rec.text)
            .slice(0, limits.recommendations)
        : [],
  };
}
