/**
 * TypeScript, TSX and JavaScript: ESM imports, `export … from` and `require` of one of the
 * project's npm packages or their subpaths (`hono`, `hono/jsx`); named, default and namespace
 * bindings and what is reached from them (member chains, calls, `new`, qualified types).
 * `require(variable)` and `import(…)` are dynamic.
 */
import type { Node } from "web-tree-sitter";
import type { ProjectIdentity, SymbolUse, Use, UsageLanguage } from "../../types.js";
import { collectNodes, parseWith, same, siteOf, stringValue } from "../code.js";
import type { ReadResult, UsageFile, UsageReader } from "../types.js";

const TYPES = new Set(["import_statement", "export_statement", "call_expression", "identifier", "type_identifier"]);

interface Target {
  module: string;
  path: string[];
}

function makeReader(id: string, language: UsageLanguage, grammar: { package: string; file: string }, extensions: RegExp): UsageReader {
  return {
    id,
    language,
    kinds: ["symbol"],
    accepts: (path) => extensions.test(path) && !/\.d\.[cm]?ts$/.test(path),
    async read(file, identity) {
      if (!identity.npm.some((name) => file.text.includes(name)) && !file.text.includes("require(") && !file.text.includes("import(")) return { uses: [], dynamic: 0 };
      const tree = await parseWith(grammar, file.text);
      try {
        return readScript(tree.rootNode, file, identity, language);
      } finally {
        tree.delete();
      }
    },
  };
}

export const typescriptReader = makeReader("typescript", "typescript", { package: "tree-sitter-typescript", file: "tree-sitter-typescript.wasm" }, /\.[cm]?ts$/);
export const tsxReader = makeReader("tsx", "typescript", { package: "tree-sitter-typescript", file: "tree-sitter-tsx.wasm" }, /\.tsx$/);
export const javascriptReader = makeReader("javascript", "javascript", { package: "tree-sitter-javascript", file: "tree-sitter-javascript.wasm" }, /\.(js|jsx|mjs|cjs)$/);

function readScript(root: Node, file: UsageFile, identity: ProjectIdentity, language: UsageLanguage): ReadResult {
  const lines = file.text.split("\n");
  const nodes = collectNodes(root.tree, TYPES);
  const uses: Use[] = [];
  let dynamic = 0;
  const ours = (spec: string): boolean => identity.npm.some((name) => spec === name || spec.startsWith(`${name}/`));
  const bindings = new Map<string, Target>();
  const bindingNodes = new Set<number>();
  const symbol = (target: Target, how: SymbolUse["how"], at: Node): void => {
    uses.push({ kind: "symbol", language, module: target.module, path: target.path, how, site: siteOf(file.path, lines, at) });
  };

  for (const node of nodes) {
    if (node.type === "import_statement" || node.type === "export_statement") {
      const module = stringValue(node.childForFieldName("source"));
      if (module === undefined || !ours(module)) continue;
      symbol({ module, path: [] }, "import", node);
      const clause = node.namedChildren.find((child) => child?.type === "import_clause");
      for (const part of clause?.namedChildren ?? []) {
        if (part?.type === "identifier") bind(part, { module, path: ["default"] });
        else if (part?.type === "namespace_import") bind(part.namedChildren.find((c) => c?.type === "identifier")!, { module, path: [] });
        else if (part?.type === "named_imports") {
          for (const spec of part.namedChildren) {
            if (spec?.type !== "import_specifier") continue;
            const name = spec.childForFieldName("name")!;
            bind(spec.childForFieldName("alias") ?? name, { module, path: [name.text.replace(/^["']|["']$/g, "")] });
          }
        }
      }
    } else if (node.type === "call_expression") {
      const fn = node.childForFieldName("function");
      const arg = node.childForFieldName("arguments")?.namedChildren[0];
      if (fn?.type === "import") {
        dynamic++;
        continue;
      }
      if (fn?.text !== "require") continue;
      const module = stringValue(arg);
      if (module === undefined) {
        dynamic++;
        continue;
      }
      if (!ours(module)) continue;
      symbol({ module, path: [] }, "import", node);
      const declarator = node.parent?.type === "variable_declarator" ? node.parent : undefined;
      const name = declarator?.childForFieldName("name");
      if (name?.type === "identifier") bind(name, { module, path: [] });
      else if (name?.type === "object_pattern") {
        for (const prop of name.namedChildren) {
          if (prop?.type === "shorthand_property_identifier_pattern") bind(prop, { module, path: [prop.text] });
          else if (prop?.type === "pair_pattern" && prop.childForFieldName("value")?.type === "identifier") bind(prop.childForFieldName("value")!, { module, path: [prop.childForFieldName("key")!.text] });
        }
      }
    }
  }
  function bind(node: Node, target: Target): void {
    bindings.set(node.text, target);
    bindingNodes.add(node.id);
  }
  if (bindings.size === 0) return { uses, dynamic };

  for (const node of nodes) {
    if (node.type !== "identifier" && node.type !== "type_identifier") continue;
    const binding = bindings.get(node.text);
    if (!binding || bindingNodes.has(node.id)) continue;
    const parent = node.parent;
    if (!parent || parent.type === "import_specifier" || parent.type === "export_specifier") continue;
    const path = [...binding.path];
    let cur = node;
    for (;;) {
      const up: Node | null = cur.parent;
      if (up?.type === "member_expression" && same(up.childForFieldName("object"), cur)) path.push(up.childForFieldName("property")!.text);
      else if (up?.type === "nested_type_identifier" && same(up.childForFieldName("module"), cur)) path.push(up.childForFieldName("name")!.text);
      else break;
      cur = up;
    }
    const up = cur.parent;
    const called = (up?.type === "call_expression" && same(up.childForFieldName("function"), cur)) || (up?.type === "new_expression" && same(up.childForFieldName("constructor"), cur));
    symbol({ module: binding.module, path }, called ? "call" : "reference", node);
  }
  return { uses, dynamic };
}
