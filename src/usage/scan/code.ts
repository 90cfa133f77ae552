/**
 * What the code readers share: the facts layer's grammars (the same packages, loaded once per
 * process through tree-sitter.ts), one parser per grammar, one walk over the tree, and the
 * site of a node.
 */
import type { Node, Tree } from "web-tree-sitter";
import { GrammarParser, loadGrammar } from "../../facts/structure/tree-sitter.js";
import type { UseSite } from "../types.js";
import { makeSite } from "./site.js";

const parsers = new Map<string, Promise<GrammarParser>>();

export async function parseWith(grammar: { package: string; file: string }, text: string): Promise<Tree> {
  const key = `${grammar.package}/${grammar.file}`;
  let parser = parsers.get(key);
  if (!parser) {
    parser = loadGrammar(grammar).then((language) => new GrammarParser(language));
    parsers.set(key, parser);
  }
  const tree = (await parser).parse(text);
  if (!tree) throw new Error(`could not parse with ${key}`);
  return tree;
}

/** Every node of the tree in document order, with the node types a reader asked for. */
export function collectNodes(tree: Tree, types: ReadonlySet<string>): Node[] {
  const found: Node[] = [];
  const cursor = tree.walk();
  for (;;) {
    if (types.has(cursor.nodeType)) found.push(cursor.currentNode);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return found;
      }
    }
  }
}

export function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

export function siteOf(file: string, lines: readonly string[], node: Node): UseSite {
  const line = node.startPosition.row + 1;
  return makeSite(file, line, lines[line - 1] ?? "");
}

/** A string literal's contents (no prefix, no quotes), or undefined when it is not one plain literal. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "string" || node.type === "string_literal" || node.type === "interpreted_string_literal" || node.type === "raw_string_literal" || node.type === "template_string") {
    if (node.namedChildren.some((child) => child?.type === "interpolation" || child?.type === "template_substitution")) return undefined;
    const m = /^[rRbBuUfF]*("""|'''|"|'|`)([\s\S]*)\1$/.exec(node.text);
    return m ? m[2] : undefined;
  }
  return undefined;
}
