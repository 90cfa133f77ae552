/**
 * Python: functions, classes, methods and module-level UPPER_CASE constants, with
 * visibility by the language's conventions (a leading underscore is private, `__all__`
 * lists what a module exports: https://docs.python.org/3/tutorial/modules.html#importing-from-a-package),
 * and command-line options declared with argparse (`add_argument`) or click (`@click.option`).
 * Definitions inside a function body are local and are not symbols.
 */
import type { Node, Tree } from "web-tree-sitter";
import type { SymbolKind } from "../../types.js";
import { Fingerprinter, collapse, countErrors, findParents, linesOf, unquote } from "../normalize.js";
import { queryFor } from "../tree-sitter.js";
import type { CliFlagDef, FileStructure, LanguageAdapter, ParameterDef, Scope, SymbolDef, Visibility } from "../types.js";

const QUERY = `
(function_definition name: (identifier) @name) @function
(class_definition name: (identifier) @name) @class
(module (expression_statement (assignment left: (identifier) @name) @constant))
(comment) @comment
(function_definition body: (block . (expression_statement (string) @comment)))
(class_definition body: (block . (expression_statement (string) @comment)))
(call function: [(attribute attribute: (identifier) @method) (identifier) @method] arguments: (argument_list) @args
  (#match? @method "^(add_argument|add_option|option)$")) @call
`;

const UPPER_CASE = /^_*[A-Z][A-Z0-9_]*$/;

function isOverload(outer: Node): boolean {
  if (outer.type !== "decorated_definition") return false;
  return outer.namedChildren.some((child) => child?.type === "decorator" && /^@\s*(?:\w+\.)?overload\s*$/.test(child.text));
}
const ARGPARSE_METHODS = new Set(["add_argument", "add_option"]);
const CLICK_METHODS = new Set(["option"]);

interface Item {
  node: Node;
  /** The node whose text is fingerprinted: the decorated definition when there are decorators. */
  outer: Node;
  nameNode: Node;
  kind: "function" | "class" | "constant";
  start: number;
  end: number;
}

export const pythonAdapter: LanguageAdapter = {
  id: "python",
  language: "Python",
  grammar: { package: "tree-sitter-python", file: "tree-sitter-python.wasm" },
  extensions: ["py", "pyi"],
  read(tree: Tree, source: string): FileStructure {
    const query = queryFor(tree.language, QUERY);
    const items: Item[] = [];
    const comments: Array<[number, number]> = [];
    const calls: Array<{ method: string; args: Node; call: Node }> = [];
    for (const match of query.matches(tree.rootNode)) {
      const byName = new Map(match.captures.map((capture) => [capture.name, capture.node]));
      const comment = byName.get("comment");
      if (comment) {
        comments.push([comment.startIndex, comment.endIndex]);
        continue;
      }
      const call = byName.get("call");
      if (call) {
        calls.push({ method: byName.get("method")!.text, args: byName.get("args")!, call });
        continue;
      }
      const nameNode = byName.get("name")!;
      const kind = byName.has("function") ? "function" : byName.has("class") ? "class" : "constant";
      const node = byName.get(kind)!;
      const outer = node.parent?.type === "decorated_definition" ? node.parent : node;
      items.push({ node, outer, nameNode, kind, start: outer.startIndex, end: outer.endIndex });
    }
    items.sort((a, b) => a.start - b.start || b.end - a.end);

    const exportList = readExportList(items);
    const fingerprints = new Fingerprinter(source, comments);
    const parents = findParents(items);
    const symbols: SymbolDef[] = [];
    const scopes: Array<Scope[] | undefined> = [];
    const visibilities: Visibility[] = [];

    items.forEach((item, index) => {
      const parentIndex = parents[index]!;
      const parent = parentIndex < 0 ? undefined : items[parentIndex]!;
      const parentScope = parentIndex < 0 ? [] : scopes[parentIndex];
      // Inside a function body, or inside something already skipped: local, not a symbol.
      if (parentScope === undefined || parent?.kind === "function" || parent?.kind === "constant" || (item.kind === "constant" && parent)) {
        scopes.push(undefined);
        visibilities.push("private");
        return;
      }
      const name = item.nameNode.text;
      // An `@overload` stub is a type checker's note, not code that runs: its `= ...` defaults are
      // no defaults, and the implementation below it is the definition callers meet.
      if (item.kind === "function" && isOverload(item.outer)) {
        scopes.push(undefined);
        visibilities.push("private");
        return;
      }
      if (item.kind === "constant" && (!UPPER_CASE.test(name) || name === "__all__")) {
        scopes.push(undefined);
        visibilities.push("private");
        return;
      }
      const inClass = parent?.kind === "class";
      let visibility = decideVisibility(name, parent ? visibilities[parentIndex]! : "public", inClass, exportList);
      // A module's UPPER_CASE constant is most often its own tuning knob: public only when `__all__` says so.
      if (item.kind === "constant" && visibility === "public" && !exportList?.includes(name)) visibility = "internal";
      visibilities.push(visibility);
      const scope: Scope[] = [...parentScope];
      scopes.push(item.kind === "class" ? [...scope, { kind: "class", name }] : scope);
      const kind: SymbolKind = item.kind === "class" ? "class" : item.kind === "constant" ? "constant" : inClass ? "method" : "function";
      const symbol: SymbolDef = {
        name: [...scope.map((s) => s.name), name].join("."),
        shortName: name,
        kind,
        scope,
        visibility,
        fingerprint: fingerprints.fingerprint(item.start, item.end),
        shape: fingerprints.fingerprint(item.start, item.end, [item.nameNode.startIndex, item.nameNode.endIndex]),
        ...linesOf(item.outer),
      };
      if (item.kind === "function") symbol.signature = readSignature(item, inClass);
      symbols.push(symbol);
    });

    const functions = items.filter((item) => item.kind === "function");
    const enclosing = (at: number): string | undefined => {
      let found: Item | undefined;
      for (const item of functions) if (item.start <= at && at < item.end && (!found || item.start >= found.start)) found = item;
      return found?.nameNode.text;
    };
    const structure: FileStructure = { symbols, cliFlags: readCliFlags(calls, enclosing), errorCount: countErrors(tree) };
    if (exportList) structure.exportList = exportList;
    return structure;
  },
};

function decideVisibility(name: string, parentVisibility: Visibility, inClass: boolean, exportList: string[] | undefined): Visibility {
  if (parentVisibility !== "public") return parentVisibility;
  const dunder = /^__\w+__$/.test(name);
  if (name.startsWith("_") && !dunder) return "private";
  // `__all__` decides what `from m import *` and the docs treat as the module's API.
  if (!inClass && exportList && !exportList.includes(name)) return "internal";
  return "public";
}

/** `__all__ = [...]` or `(...)` at module level, as strings; undefined when absent or not a literal. */
function readExportList(items: readonly Item[]): string[] | undefined {
  const assignment = items.find((item) => item.kind === "constant" && item.nameNode.text === "__all__");
  const value = assignment?.node.childForFieldName("right");
  if (!value || (value.type !== "list" && value.type !== "tuple")) return undefined;
  return value.namedChildren.flatMap((child) => (child?.type === "string" ? [unquote(child.text) ?? ""] : []));
}

function readSignature(item: Item, inClass: boolean): NonNullable<SymbolDef["signature"]> {
  const node = item.node;
  const parameters: ParameterDef[] = [];
  for (const child of node.childForFieldName("parameters")?.namedChildren ?? []) {
    if (!child) continue;
    const parameter = readParameter(child);
    if (parameter) parameters.push(parameter);
  }
  const modifiers = new Set<string>();
  if (node.children.some((child) => child?.type === "async")) modifiers.add("async");
  if (item.outer !== node) {
    for (const decorator of item.outer.namedChildren) {
      const text = decorator?.type === "decorator" ? decorator.text.slice(1).trim() : "";
      if (/^(staticmethod|classmethod|property|abstractmethod|abc\.abstractmethod)$/.test(text)) modifiers.add(text.replace(/^abc\./, ""));
    }
  }
  // The receiver is not something a caller passes.
  if (inClass && !modifiers.has("staticmethod") && parameters[0] && !parameters[0].variadic) parameters.shift();
  const returns = node.childForFieldName("return_type")?.text;
  return { parameters, ...(returns ? { returns: collapse(returns) } : {}), modifiers: [...modifiers].sort() };
}

function readParameter(node: Node): ParameterDef | undefined {
  switch (node.type) {
    case "identifier":
      return { name: node.text };
    case "typed_parameter": {
      const inner = node.namedChildren[0];
      const type = node.childForFieldName("type")?.text;
      if (inner?.type === "list_splat_pattern" || inner?.type === "dictionary_splat_pattern") {
        return { name: inner.text, variadic: true, ...(type ? { type: collapse(type) } : {}) };
      }
      return { name: inner?.text ?? "", ...(type ? { type: collapse(type) } : {}) };
    }
    case "default_parameter":
    case "typed_default_parameter": {
      const type = node.childForFieldName("type")?.text;
      return {
        name: node.childForFieldName("name")?.text ?? "",
        ...(type ? { type: collapse(type) } : {}),
        default: collapse(node.childForFieldName("value")?.text ?? ""),
      };
    }
    case "list_splat_pattern":
    case "dictionary_splat_pattern":
      return { name: node.text, variadic: true };
    default:
      // `*` and `/` separators are markers, not parameters.
      return undefined;
  }
}

function readCliFlags(calls: ReadonlyArray<{ method: string; args: Node; call: Node }>, enclosing: (at: number) => string | undefined): CliFlagDef[] {
  const flags: CliFlagDef[] = [];
  for (const { method, args, call } of calls) {
    const framework = ARGPARSE_METHODS.has(method) ? "argparse" : CLICK_METHODS.has(method) && call.parent?.type === "decorator" ? "click" : undefined;
    if (!framework) continue;
    const names: string[] = [];
    let choices: string[] | undefined;
    let defaultValue: string | undefined;
    let dest: string | undefined;
    for (const arg of args.namedChildren) {
      if (!arg) continue;
      if (arg.type === "string") {
        const text = unquote(arg.text);
        // click's "--shout/--no-shout" declares both spellings of one flag.
        if (text?.startsWith("-")) names.push(...text.split("/").map((part) => part.trim()).filter((part) => part.startsWith("-")));
        else if (framework === "click" && text !== undefined && /^\w+$/.test(text)) dest = text;
        continue;
      }
      if (arg.type !== "keyword_argument") continue;
      const key = arg.childForFieldName("name")?.text;
      const value = arg.childForFieldName("value");
      if (!value) continue;
      if (key === "choices") choices = readStrings(value) ?? readListedStrings(value);
      else if (key === "type" && framework === "click") choices = readClickChoice(value) ?? choices;
      else if (key === "default") defaultValue = collapse(value.text);
      else if (key === "dest") dest = unquote(value.text);
    }
    if (names.length === 0) continue;
    const long = names.find((name) => name.startsWith("--")) ?? names[0]!;
    const flag: CliFlagDef = { name: long, aliases: names.filter((name) => name !== long), framework, line: call.startPosition.row + 1 };
    if (choices) flag.choices = choices;
    if (defaultValue !== undefined) flag.default = defaultValue;
    flag.dest = dest ?? long.replace(/^-+/, "").replace(/-/g, "_");
    const receiver = framework === "argparse" ? call.childForFieldName("function")?.childForFieldName("object")?.text : undefined;
    const group = [enclosing(call.startIndex), receiver].filter((part) => part !== undefined).join(":");
    if (group) flag.group = group;
    flags.push(flag);
  }
  return flags;
}

function readStrings(node: Node): string[] | undefined {
  if (node.type !== "list" && node.type !== "tuple" && node.type !== "set") return undefined;
  const values: string[] = [];
  for (const child of node.namedChildren) {
    const text = child?.type === "string" ? unquote(child.text) : undefined;
    if (text === undefined) return undefined;
    values.push(text);
  }
  return values;
}

/**
 * The string literals of the lists inside a computed choices expression:
 * `[b.value for b in Backend] + ["any"]` → ["any"]. The computed part is not known here,
 * but a literal renamed in it (`"any"` → `"auto"`) is.
 */
function readListedStrings(node: Node): string[] | undefined {
  const values: string[] = [];
  for (const list of node.descendantsOfType(["list", "tuple", "set"])) {
    for (const child of list?.namedChildren ?? []) {
      const text = child?.type === "string" ? unquote(child.text) : undefined;
      if (text !== undefined) values.push(text);
    }
  }
  return values.length > 0 ? values : undefined;
}

/** `click.Choice(["a", "b"])` */
function readClickChoice(node: Node): string[] | undefined {
  if (node.type !== "call" || !/(^|\.)Choice$/.test(node.childForFieldName("function")?.text ?? "")) return undefined;
  const first = node.childForFieldName("arguments")?.namedChildren[0];
  return first ? readStrings(first) : undefined;
}
