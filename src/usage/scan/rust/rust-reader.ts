/**
 * Rust: `use` trees of the project's crates (braces, `as`, `self`, globs), `extern crate … as`,
 * and qualified paths from a crate or an imported name (`nixl_sys::Agent::new(…)`,
 * `Agent::new`). A method called through a variable is not claimed: its type is not written.
 */
import type { Node } from "web-tree-sitter";
import type { ProjectIdentity, SymbolUse, Use } from "../../types.js";
import { collectNodes, parseWith, same, siteOf } from "../code.js";
import type { ReadResult, UsageFile, UsageReader } from "../types.js";

const GRAMMAR = { package: "tree-sitter-rust", file: "tree-sitter-rust.wasm" };
const TYPES = new Set(["use_declaration", "extern_crate_declaration", "scoped_identifier", "scoped_type_identifier", "identifier", "type_identifier"]);
const PATHS = new Set(["scoped_identifier", "scoped_type_identifier"]);

interface Target {
  module: string;
  path: string[];
}

export const rustReader: UsageReader = {
  id: "rust",
  language: "rust",
  kinds: ["symbol"],
  accepts: (path) => path.endsWith(".rs"),
  async read(file, identity) {
    if (!identity.crates.some((crate) => file.text.includes(crate))) return { uses: [], dynamic: 0 };
    const tree = await parseWith(GRAMMAR, file.text);
    try {
      return readRust(tree.rootNode, file, identity);
    } finally {
      tree.delete();
    }
  },
};

/** `a::b::C` as segments; undefined when a part is not a plain name (generics, `<T as X>`). */
function segments(node: Node | null | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.type === "identifier" || node.type === "type_identifier" || node.type === "crate" || node.type === "self" || node.type === "super") return [node.text];
  if (node.type === "scoped_identifier" || node.type === "scoped_type_identifier" || node.type === "scoped_use_list") {
    const path = node.childForFieldName("path");
    const head = path ? segments(path) : [];
    const name = node.childForFieldName("name");
    if (!head) return undefined;
    return name ? [...head, name.text] : head;
  }
  return undefined;
}

function readRust(root: Node, file: UsageFile, identity: ProjectIdentity): ReadResult {
  const lines = file.text.split("\n");
  const nodes = collectNodes(root.tree, TYPES);
  const uses: Use[] = [];
  const crates = new Map(identity.crates.map((crate) => [crate, crate]));
  const bindings = new Map<string, Target>();
  const symbol = (target: Target, how: SymbolUse["how"], at: Node): void => {
    uses.push({ kind: "symbol", language: "rust", module: target.module, path: target.path, how, site: siteOf(file.path, lines, at) });
  };
  const walkUse = (node: Node | null, prefix: string[], at: Node): void => {
    if (!node) return;
    if (node.type === "use_list") {
      for (const child of node.namedChildren) walkUse(child, prefix, at);
    } else if (node.type === "scoped_use_list") {
      const head = node.childForFieldName("path");
      const more = head ? segments(head) : [];
      if (more) walkUse(node.childForFieldName("list"), [...prefix, ...more], at);
    } else if (node.type === "use_as_clause") {
      const full = [...prefix, ...(segments(node.childForFieldName("path")) ?? [])];
      record(full, node.childForFieldName("alias")!.text, at);
    } else if (node.type === "use_wildcard") {
      const full = [...prefix, ...(segments(node.namedChildren[0]) ?? [])];
      record(full, undefined, at);
    } else {
      const full = [...prefix, ...(segments(node) ?? [])];
      if (full[full.length - 1] === "self") full.pop();
      record(full, full[full.length - 1], at);
    }
  };
  const record = (full: string[], local: string | undefined, at: Node): void => {
    const crate = crates.get(full[0] ?? "");
    if (!crate) return;
    const target = { module: crate, path: full.slice(1) };
    symbol(target, "import", at);
    if (local) bindings.set(local, target);
  };
  for (const node of nodes) {
    if (node.type === "use_declaration") walkUse(node.childForFieldName("argument"), [], node);
    else if (node.type === "extern_crate_declaration") {
      const name = node.childForFieldName("name")?.text;
      const alias = node.childForFieldName("alias")?.text;
      if (name && crates.has(name) && alias) crates.set(alias, name);
    }
  }

  const inUse = (node: Node): boolean => {
    for (let cur: Node | null = node.parent; cur; cur = cur.parent) {
      if (cur.type === "use_declaration") return true;
      if (cur.type.endsWith("_item") || cur.type === "block") return false;
    }
    return false;
  };
  for (const node of nodes) {
    let full: string[] | undefined;
    if (PATHS.has(node.type)) {
      // The outermost path only: `a::b::c` holds `a::b`.
      if (node.parent && PATHS.has(node.parent.type) && same(node.parent.childForFieldName("path"), node)) continue;
      full = segments(node);
    } else {
      if (node.parent && PATHS.has(node.parent.type)) continue;
      if (!bindings.has(node.text)) continue;
      full = [node.text];
    }
    if (!full || full.length === 0 || inUse(node)) continue;
    const crate = crates.get(full[0]!);
    const binding = bindings.get(full[0]!);
    const target = crate && full.length > 1 ? { module: crate, path: full.slice(1) } : binding ? { module: binding.module, path: [...binding.path, ...full.slice(1)] } : undefined;
    if (!target) continue;
    // A name defined here (`fn Agent`, a parameter, a field) is the user's own.
    const parent = node.parent;
    if (parent && (parent.type.endsWith("_item") || parent.type === "parameter" || parent.type === "let_declaration" || parent.type === "field_declaration") && same(parent.childForFieldName("name") ?? parent.childForFieldName("pattern"), node)) continue;
    const called = parent?.type === "call_expression" && same(parent.childForFieldName("function"), node);
    symbol(target, called ? "call" : "reference", node);
  }
  return { uses, dynamic: 0 };
}
