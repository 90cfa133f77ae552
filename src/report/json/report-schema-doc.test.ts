import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { CHANGE_TYPES } from "../../analysis/types.js";
import { FILE_KINDS } from "../../facts/types.js";
import { REPORT_SCHEMA_VERSION } from "../types.js";
import { reportSchema } from "./report-schema.js";

const DOC_PATH = new URL("../../../docs/report-schema.md", import.meta.url);

/** Schemas with nothing inside to walk, by zod's type name (string formats such as `z.url()` are "string"). */
const LEAVES: ReadonlySet<string> = new Set(["string", "number", "boolean", "literal"]);

interface SchemaNames {
  /** Every key of every object in the schema. */
  keys: Set<string>;
  /** Every value of every enum in the schema. */
  enumValues: Set<string>;
}

/**
 * The names a reader meets in a report, collected from the zod schema. A wrapper the walk
 * does not know fails loudly, so that no field can hide behind one.
 */
function collectSchemaNames(schema: z.ZodType): SchemaNames {
  const names: SchemaNames = { keys: new Set(), enumValues: new Set() };
  const seen = new Set<z.ZodType>();
  const walk = (node: z.ZodType, path: string): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node instanceof z.ZodObject) {
      for (const [key, child] of Object.entries(node.shape as Record<string, z.ZodType>)) {
        names.keys.add(key);
        walk(child, `${path}.${key}`);
      }
    } else if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) {
      walk(node.unwrap() as z.ZodType, path);
    } else if (node instanceof z.ZodArray) {
      walk(node.element as z.ZodType, `${path}[]`);
    } else if (node instanceof z.ZodRecord) {
      walk(node.keyType as z.ZodType, `${path}{key}`);
      walk(node.valueType as z.ZodType, `${path}{value}`);
    } else if (node instanceof z.ZodUnion) {
      for (const option of node.options as readonly z.ZodType[]) walk(option, path);
    } else if (node instanceof z.ZodEnum) {
      for (const value of node.options) names.enumValues.add(String(value));
    } else if (!LEAVES.has(node.def.type)) {
      throw new Error(`report-schema-doc.test: no rule to walk a ${node.def.type} schema at ${path || "(root)"}`);
    }
  };
  walk(schema, "");
  return names;
}

/** The names the doc writes in backticks: `name`, and `"value"` as `value`. */
function backtickedNames(doc: string): Set<string> {
  const names = new Set<string>();
  for (const match of doc.matchAll(/`([^`\n]+)`/g)) {
    const text = match[1]!.trim();
    names.add(text);
    const quoted = /^"(.*)"$/.exec(text);
    if (quoted) names.add(quoted[1]!);
  }
  return names;
}

function undocumented(wanted: Iterable<string>, documented: ReadonlySet<string>): string[] {
  return [...wanted].filter((name) => !documented.has(name)).sort();
}

describe("docs/report-schema.md", () => {
  const doc = readFileSync(DOC_PATH, "utf8");
  const documented = backtickedNames(doc);
  const names = collectSchemaNames(reportSchema);

  it("walks the whole schema", () => {
    // A sanity check on the walk itself: keys from the top, the middle and the deepest levels.
    for (const key of ["schemaVersion", "facts", "structureFallback", "parametersAdded", "newComments", "currency"]) {
      expect(names.keys).toContain(key);
    }
    for (const value of ["github-actions", "spend-cap", "project-version", "digest"]) expect(names.enumValues).toContain(value);
  });

  it("names every field of the schema", () => {
    expect(undocumented(names.keys, documented)).toEqual([]);
  });

  it("names every enum value of the schema", () => {
    expect(undocumented(names.enumValues, documented)).toEqual([]);
  });

  it("names every FileKind and ChangeType", () => {
    expect(undocumented(FILE_KINDS, documented)).toEqual([]);
    expect(undocumented(CHANGE_TYPES, documented)).toEqual([]);
  });

  it("describes the current schema version", () => {
    expect(doc).toContain(`schema version ${REPORT_SCHEMA_VERSION}`);
    expect(doc).toContain(`## Changes in version ${REPORT_SCHEMA_VERSION}`);
    expect(doc).toMatch(new RegExp(`\\| \`schemaVersion\` \\| \`${REPORT_SCHEMA_VERSION}\` \\|`));
  });

  it("would notice a field added to the schema, or left out of the doc", () => {
    const grown = reportSchema.extend({ repos: z.array(z.object({ undocumentedField: z.optional(z.string()) })) });
    expect(undocumented(collectSchemaNames(grown).keys, documented)).toContain("undocumentedField");
    const withoutField = doc.replaceAll("`wellKnown`", "wellKnown");
    expect(undocumented(names.keys, backtickedNames(withoutField))).toContain("wellKnown");
  });
});
