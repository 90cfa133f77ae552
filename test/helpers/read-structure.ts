/**
 * Parses a source text with one language adapter, as the structural pass does, for
 * adapter tests: `await readStructure("python", "def f(): ...")`.
 */
import { getAdapter } from "../../src/facts/structure/registry.js";
import { GrammarParser, loadGrammar } from "../../src/facts/structure/tree-sitter.js";
import type { FileStructure, StructureLanguage } from "../../src/facts/structure/types.js";

const parsers = new Map<StructureLanguage, GrammarParser>();

export async function readStructure(id: StructureLanguage, source: string, path = `file.${id}`): Promise<FileStructure> {
  const adapter = getAdapter(id);
  if (!adapter) throw new Error(`no adapter ${id}`);
  let parser = parsers.get(id);
  if (!parser) {
    parser = new GrammarParser(await loadGrammar(adapter.grammar));
    parsers.set(id, parser);
  }
  const tree = parser.parse(source);
  if (!tree) throw new Error("parse returned nothing");
  try {
    return adapter.read(tree, source, { path });
  } finally {
    tree.delete();
  }
}

/** name → the fields a test usually checks. */
export function summarize(structure: FileStructure): Record<string, { kind: string; visibility: string; lines: string; params?: string; returns?: string }> {
  return Object.fromEntries(
    structure.symbols.map((s) => [
      s.name,
      {
        kind: s.kind,
        visibility: s.visibility,
        lines: `${s.startLine}-${s.endLine}`,
        ...(s.signature ? { params: s.signature.parameters.map((p) => `${p.variadic ? "..." : ""}${p.name}${p.type ? `: ${p.type}` : ""}${p.default !== undefined ? ` = ${p.default}` : ""}`).join(", ") } : {}),
        ...(s.signature?.returns ? { returns: s.signature.returns } : {}),
      },
    ]),
  );
}
