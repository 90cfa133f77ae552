import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { CommitAnalysis } from "../../analysis/types.js";
import type { CommitFacts, FileFacts, MessageFacts } from "../../facts/types.js";
import { makeRepo, makeReport, sampleReport } from "../../../test/support/report/fixtures.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../types.js";
import { renderJson } from "./render-json.js";
import { reportSchema } from "./report-schema.js";

/** The same type with intersections merged, so that `A & B` and `{ ...A, ...B }` compare equal. */
type Flatten<T> = T extends object ? { [K in keyof T]: Flatten<T[K]> } : T;

describe("renderJson", () => {
  it.each(["zh-CN", "en"] as const)("round-trips the sample report (%s) through the schema unchanged", (lang) => {
    const report = sampleReport(lang);
    const parsed = reportSchema.parse(JSON.parse(renderJson(report)));
    // Deep equality: a field the schema does not describe would be stripped and show up here.
    expect(parsed).toEqual(report);
  });

  it("round-trips a day without commits", () => {
    const report = makeReport([makeRepo("acme/api", [], { notices: ["fetch failed"] })], { lang: "en" });
    expect(reportSchema.parse(JSON.parse(renderJson(report)))).toEqual(report);
  });

  it("writes pretty JSON that starts with the schema version", () => {
    const text = renderJson(sampleReport("en"));
    expect(text.startsWith(`{\n  "schemaVersion": ${REPORT_SCHEMA_VERSION},\n`)).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("rejects a report of another schema version or with a broken field", () => {
    const json = JSON.parse(renderJson(sampleReport("en"))) as Record<string, unknown>;
    expect(reportSchema.safeParse({ ...json, schemaVersion: 1 }).success).toBe(false);
    expect(reportSchema.safeParse({ ...json, generatedAt: "yesterday" }).success).toBe(false);
    expect(reportSchema.safeParse({ ...json, lang: "fr" }).success).toBe(false);
  });

  it("describes exactly the Report type", () => {
    // Checked by tsc: a field added to Report (or to its facts and analysis) and not to the schema fails here.
    // Level by level, because the comparison gives up on types this deep when given the whole.
    type Json = z.infer<typeof reportSchema>;
    type JsonCommit = Json["repos"][number]["commits"][number];
    type ModelCommit = Report["repos"][number]["commits"][number];
    expectTypeOf<Flatten<Json>>().toEqualTypeOf<Flatten<Report>>();
    expectTypeOf<Flatten<Json["repos"]>>().toEqualTypeOf<Flatten<Report["repos"]>>();
    expectTypeOf<Flatten<Omit<JsonCommit, "facts" | "analysis">>>().toEqualTypeOf<Flatten<Omit<ModelCommit, "facts" | "analysis">>>();
    expectTypeOf<Flatten<JsonCommit["facts"]>>().toEqualTypeOf<Flatten<CommitFacts>>();
    expectTypeOf<Flatten<JsonCommit["facts"]["files"][number]>>().toEqualTypeOf<Flatten<FileFacts>>();
    expectTypeOf<Flatten<JsonCommit["facts"]["message"]>>().toEqualTypeOf<Flatten<MessageFacts>>();
    expectTypeOf<Flatten<JsonCommit["analysis"]>>().toEqualTypeOf<Flatten<CommitAnalysis>>();
  });
});
