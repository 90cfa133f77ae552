/**
 * C and C++ (and CUDA): in a file that `#include`s one of the project's headers, the type names
 * and free functions it uses by name, `Type::member` and `ns::f` qualified, and a method called
 * through a variable declared with a type of that name in the same function. Names the file
 * defines itself and `std::` are not claimed. C has no imports: which header a name comes from
 * is not written, so `module` is the first project header the file includes, and a name the
 * project does not define can only be matched by nothing.
 */
import type { Node } from "web-tree-sitter";
import type { ProjectIdentity, SymbolUse, Use, UsageLanguage } from "../../types.js";
import { collectNodes, parseWith, same, siteOf } from "../code.js";
import type { ReadResult, UsageFile, UsageReader } from "../types.js";

const TYPES = new Set(["preproc_include", "type_identifier", "call_expression", "qualified_identifier", "function_definition", "struct_specifier", "class_specifier", "enum_specifier", "type_definition", "declaration", "field_expression"]);
const INCLUDE = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/m;

function makeReader(id: string, language: UsageLanguage, grammarPackage: string, extensions: RegExp): UsageReader {
  return {
    id,
    language,
    kinds: ["symbol"],
    accepts: (path) => extensions.test(path),
    async read(file, identity) {
      if (!INCLUDE.test(file.text) || !identity.headers.some((header) => file.text.includes(header.slice(header.lastIndexOf("/") + 1)))) return { uses: [], dynamic: 0 };
      const tree = await parseWith({ package: grammarPackage, file: `${grammarPackage}.wasm` }, file.text);
      try {
        return readC(tree.rootNode, file, identity, language);
      } finally {
        tree.delete();
      }
    },
  };
}

export const cReader = makeReader("c", "c", "tree-sitter-c", /\.c$/);
export const cppReader = makeReader("cpp", "cpp", "tree-sitter-cpp", /\.(cc|cpp|cxx|c\+\+|cu|h|hh|hpp|hxx|cuh|ipp)$/);

export function includesHeader(include: string, header: string): boolean {
  return include === header || include.endsWith(`/${header}`) || header.endsWith(`/${include}`);
}

function declaredName(declarator: Node | null): Node | undefined {
  for (let cur = declarator; cur; cur = cur.childForFieldName("declarator")) {
    if (cur.type === "identifier" || cur.type === "field_identifier" || cur.type === "qualified_identifier" || cur.type === "type_identifier") return cur;
  }
  return undefined;
}

function readC(root: Node, file: UsageFile, identity: ProjectIdentity, language: UsageLanguage): ReadResult {
  const lines = file.text.split("\n");
  const nodes = collectNodes(root.tree, TYPES);
  const uses: Use[] = [];
  let module: string | undefined;
  for (const node of nodes) {
    if (node.type !== "preproc_include") continue;
    const include = node.childForFieldName("path")?.text.replace(/^[<"]|[>"]$/g, "");
    const header = include && identity.headers.find((h) => includesHeader(include, h));
    if (!header) continue;
    uses.push({ kind: "symbol", language, module: header, path: [], how: "import", site: siteOf(file.path, lines, node) });
    module ??= header;
  }
  if (!module) return { uses, dynamic: 0 };
  const project = module;
  const symbol = (path: string[], how: SymbolUse["how"], at: Node): void => {
    uses.push({ kind: "symbol", language, module: project, path, how, site: siteOf(file.path, lines, at) });
  };

  // What this file defines is its own.
  const own = new Set<string>();
  const definitions = new Set<number>();
  for (const node of nodes) {
    if (node.type === "function_definition") {
      const name = declaredName(node.childForFieldName("declarator"));
      if (name) {
        own.add(name.text);
        definitions.add(name.id);
      }
    } else if ((node.type === "struct_specifier" || node.type === "class_specifier" || node.type === "enum_specifier") && node.childForFieldName("body")) {
      const name = node.childForFieldName("name");
      if (name) {
        own.add(name.text);
        definitions.add(name.id);
      }
    } else if (node.type === "type_definition") {
      for (const declarator of node.childrenForFieldName("declarator")) {
        const name = declaredName(declarator);
        if (name) {
          own.add(name.text);
          definitions.add(name.id);
        }
      }
    }
  }
  const claimed = (name: string): boolean => !own.has(name) && name !== "std" && !name.startsWith("std::");

  // Variables declared with a class type, per enclosing function: `nixlAgent agent(...)`; `agent.m()`.
  const enclosing = (node: Node): Node | undefined => {
    for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === "function_definition") return cur;
    return undefined;
  };
  const typed = new Map<string, string>();
  for (const node of nodes) {
    if (node.type !== "declaration") continue;
    const type = node.childForFieldName("type");
    const fn = enclosing(node);
    if (!fn || !type || (type.type !== "type_identifier" && type.type !== "qualified_identifier") || !claimed(type.text)) continue;
    for (const declarator of node.childrenForFieldName("declarator")) {
      const name = declaredName(declarator);
      if (name?.type === "identifier") typed.set(`${fn.id}:${name.text}`, type.text);
    }
  }

  for (const node of nodes) {
    if (node.type === "type_identifier") {
      // `std::vector<int>`: the template's name is a part of the qualified path, read there.
      const parent = node.parent;
      if (definitions.has(node.id) || parent?.type === "qualified_identifier" || (parent?.type === "template_type" && parent.parent?.type === "qualified_identifier") || !claimed(node.text)) continue;
      symbol([node.text], "reference", node);
    } else if (node.type === "qualified_identifier") {
      if (node.parent?.type === "qualified_identifier" || definitions.has(node.id)) continue;
      const path = node.text.replace(/\s+/g, "").split("::").filter((part) => part !== "");
      if (path.length < 2 || !claimed(path[0]!) || path.some((part) => !/^~?[A-Za-z_]\w*$/.test(part))) continue;
      const called = node.parent?.type === "call_expression" && same(node.parent.childForFieldName("function"), node);
      symbol(path, called ? "call" : "reference", node);
    } else if (node.type === "call_expression") {
      const fn = node.childForFieldName("function");
      if (fn?.type === "identifier" && claimed(fn.text)) symbol([fn.text], "call", fn);
    } else if (node.type === "field_expression") {
      const argument = node.childForFieldName("argument");
      const field = node.childForFieldName("field");
      const fn = enclosing(node);
      if (argument?.type !== "identifier" || !field || !fn) continue;
      const type = typed.get(`${fn.id}:${argument.text}`);
      if (!type) continue;
      symbol([...type.split("::"), field.text], "instance", node);
    }
  }
  return { uses, dynamic: 0 };
}
