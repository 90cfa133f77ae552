/**
 * Go: imports of the project's modules or their packages, and `pkg.Name` selectors and
 * qualified types through the import's name (its alias, else the package path's last element,
 * a `/vN` major version skipped: https://go.dev/ref/mod#major-version-suffixes). Dot imports
 * bind names that are not written: counted as dynamic.
 */
import type { Node } from "web-tree-sitter";
import type { ProjectIdentity, SymbolUse, Use } from "../../types.js";
import { collectNodes, parseWith, same, siteOf, stringValue } from "../code.js";
import type { ReadResult, UsageFile, UsageReader } from "../types.js";

const GRAMMAR = { package: "tree-sitter-go", file: "tree-sitter-go.wasm" };
const TYPES = new Set(["import_spec", "selector_expression", "qualified_type"]);

export const goReader: UsageReader = {
  id: "go",
  language: "go",
  kinds: ["symbol"],
  accepts: (path) => path.endsWith(".go"),
  async read(file, identity) {
    if (!identity.goModules.some((module) => file.text.includes(module))) return { uses: [], dynamic: 0 };
    const tree = await parseWith(GRAMMAR, file.text);
    try {
      return readGo(tree.rootNode, file, identity);
    } finally {
      tree.delete();
    }
  },
};

export function packageName(importPath: string): string {
  const parts = importPath.split("/");
  let last = parts[parts.length - 1]!;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  // gopkg.in/yaml.v3 is package yaml.
  return last.replace(/\.v\d+$/, "").replace(/-/g, "_");
}

function readGo(root: Node, file: UsageFile, identity: ProjectIdentity): ReadResult {
  const lines = file.text.split("\n");
  const nodes = collectNodes(root.tree, TYPES);
  const uses: Use[] = [];
  let dynamic = 0;
  const bindings = new Map<string, string>();
  const symbol = (module: string, path: string[], how: SymbolUse["how"], at: Node): void => {
    uses.push({ kind: "symbol", language: "go", module, path, how, site: siteOf(file.path, lines, at) });
  };
  for (const node of nodes) {
    if (node.type !== "import_spec") continue;
    const module = stringValue(node.childForFieldName("path"));
    if (module === undefined || !identity.goModules.some((m) => module === m || module.startsWith(`${m}/`))) continue;
    symbol(module, [], "import", node);
    const alias = node.childForFieldName("name")?.text;
    if (alias === ".") dynamic++;
    else if (alias !== "_") bindings.set(alias ?? packageName(module), module);
  }
  if (bindings.size === 0) return { uses, dynamic };
  for (const node of nodes) {
    let operand: Node | null;
    let field: Node | null;
    if (node.type === "selector_expression") {
      operand = node.childForFieldName("operand");
      field = node.childForFieldName("field");
    } else if (node.type === "qualified_type") {
      operand = node.childForFieldName("package");
      field = node.childForFieldName("name");
    } else continue;
    if (!operand || !field || (operand.type !== "identifier" && operand.type !== "package_identifier")) continue;
    const module = bindings.get(operand.text);
    if (!module) continue;
    const path = [field.text];
    let cur = node;
    while (cur.parent?.type === "selector_expression" && same(cur.parent.childForFieldName("operand"), cur)) {
      cur = cur.parent;
      path.push(cur.childForFieldName("field")!.text);
    }
    const called = cur.parent?.type === "call_expression" && same(cur.parent.childForFieldName("function"), cur);
    symbol(module, path, called ? "call" : "reference", node);
  }
  return { uses, dynamic };
}
