/**
 * TypeScript, TSX and JavaScript (one implementation, three grammars): functions, classes
 * and their methods, interfaces, type aliases, enums and module-level `const/let/var`, with
 * visibility by the module system's rules (`export`, `export { a as b }`, `export default`,
 * `export =`, CommonJS `module.exports` / `exports.x`; https://www.typescriptlang.org/docs/handbook/modules/reference.html),
 * class member accessibility (`private`, `#name`, `protected`), namespaces as scopes,
 * overloads as one symbol, and command-line options declared with commander or yargs.
 * Definitions inside function bodies are local and are not symbols.
 */
import type { Node, Tree } from "web-tree-sitter";
import type { SymbolKind } from "../../types.js";
import { Fingerprinter, collapse, countErrors, findParents, hashText, unquote } from "../normalize.js";
import { queryFor } from "../tree-sitter.js";
import type { CliFlagDef, FileStructure, LanguageAdapter, ParameterDef, Scope, SignatureDef, SymbolDef, Visibility } from "../types.js";

// ---------------------------------------------------------------------------------------
// The query: module-level statements (their definitions, exports and namespaces are read
// from these few nodes, so nothing inside a function or a callback is ever looked at),
// class and interface members (kept only when their class is itself a symbol, decided
// from ranges), comments, and the calls that declare command-line options. Patterns
// anchored under `program` are kept to one: each keeps a cursor state alive over the
// whole walk, and twenty of them made the query three times slower.
// ---------------------------------------------------------------------------------------

const CLI_PATTERNS = `
(call_expression function: (member_expression property: (property_identifier) @method) arguments: (arguments) @args
  (#match? @method "^(option|requiredOption|options)$")) @call
(new_expression constructor: [(identifier) (member_expression)] @ctor arguments: (arguments) @args
  (#match? @ctor "(^|[.])Option$")) @newoption
`;

const TS_QUERY = `
(program (_) @top)
(class_body [(method_definition) (method_signature) (abstract_method_signature) (public_field_definition) (decorator)] @member)
(interface_body (method_signature) @member)
(comment) @comment
${CLI_PATTERNS}`;

const JS_QUERY = `
(program (_) @top)
(class_body [(method_definition) (field_definition)] @member)
(comment) @comment
${CLI_PATTERNS}`;

const DEFINITIONS = new Set([
  "function_declaration",
  "generator_function_declaration",
  "function_signature",
  "class_declaration",
  "abstract_class_declaration",
  "interface_declaration",
  "type_alias_declaration",
  "enum_declaration",
  "lexical_declaration",
  "variable_declaration",
  "internal_module",
  "module",
]);

const COMMONJS_TARGET = /^(module\.)?exports(\.[A-Za-z_$][\w$]*)?$/;

// ---------------------------------------------------------------------------------------

type ItemKind = "function" | "class" | "interface" | "type" | "enum" | "constant" | "namespace" | "method" | "field";

interface Item {
  kind: ItemKind;
  /** The definition node: declaration, declarator, member, or the assigned value of `exports.x = ...`. */
  node: Node;
  /** The function-like node whose parameters make the signature (a declarator's or field's value). */
  fn?: Node;
  /** Undefined for an anonymous `export default`. */
  nameNode?: Node;
  name: string;
  /** Outer range: with `export`, `declare` and decorators; fingerprinted and used for nesting. */
  start: number;
  end: number;
  startRow: number;
  endRow: number;
  exported: boolean;
  declared: boolean;
  global: boolean;
  member: boolean;
  /** Namespace names (`namespace A.B` is two scopes); a string module name is one. */
  scopeNames?: string[];
  scopeKind?: Scope["kind"];
}

interface Context {
  scope: Scope[];
  visibility: Visibility;
  /** Inside `declare` or a .d.ts: namespace members are exported without the keyword. */
  ambient: boolean;
}

interface Part {
  item: Item;
  kind: SymbolKind;
  visibility: Visibility;
  scope: Scope[];
  signature?: SignatureDef;
  hasBody: boolean;
  accessor?: "get" | "set";
}

const FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "function", "generator_function"]);
/** Declarations without a body: overload signatures, abstract and ambient members. */
const SIGNATURES = new Set(["function_signature", "method_signature", "abstract_method_signature"]);
const MODIFIERS = new Set(["async", "static", "abstract", "readonly", "get", "set"]);
const UPPER_CASE = /^[A-Z][A-Z0-9_]*$/;
const RANK: Record<Visibility, number> = { private: 0, internal: 1, public: 2 };

function narrower(a: Visibility, b: Visibility): Visibility {
  return RANK[a] <= RANK[b] ? a : b;
}

function makeAdapter(id: "typescript" | "tsx" | "javascript", language: string, grammar: { package: string; file: string }, extensions: string[]): LanguageAdapter {
  const typescript = id !== "javascript";
  return {
    id,
    language,
    grammar,
    extensions,
    read(tree: Tree, source: string, context): FileStructure {
      return readStructure(tree, source, context.path, typescript ? TS_QUERY : JS_QUERY);
    },
  };
}

export const typescriptAdapter: LanguageAdapter = makeAdapter("typescript", "TypeScript", { package: "tree-sitter-typescript", file: "tree-sitter-typescript.wasm" }, ["ts", "mts", "cts"]);
export const tsxAdapter: LanguageAdapter = makeAdapter("tsx", "TypeScript", { package: "tree-sitter-typescript", file: "tree-sitter-tsx.wasm" }, ["tsx"]);
export const javascriptAdapter: LanguageAdapter = makeAdapter("javascript", "JavaScript", { package: "tree-sitter-javascript", file: "tree-sitter-javascript.wasm" }, ["js", "jsx", "mjs", "cjs"]);

function readStructure(tree: Tree, source: string, path: string, querySource: string): FileStructure {
  const query = queryFor(tree.language, querySource);
  const items: Item[] = [];
  const comments: Array<[number, number]> = [];
  const decorators: Array<{ start: number; end: number; row: number }> = [];
  const members: Node[] = [];
  const calls: Array<{ method: Node; args: Node }> = [];
  const options: Array<{ node: Node; args: Node }> = [];

  const state: ModuleState = { items, exportedNames: new Set(), isModule: false };
  for (const match of query.matches(tree.rootNode)) {
    const capture = match.captures[0]!;
    const node = capture.node;
    switch (capture.name) {
      case "comment":
        comments.push([node.startIndex, node.endIndex]);
        break;
      case "top":
        if (node.type !== "comment") readStatement(node, state, true, false);
        break;
      case "member":
        if (node.type === "decorator") decorators.push({ start: node.startIndex, end: node.endIndex, row: node.startPosition.row });
        else members.push(node);
        break;
      default: {
        const byName = new Map(match.captures.map((c) => [c.name, c.node]));
        const args = byName.get("args")!;
        if (byName.has("call")) calls.push({ method: byName.get("method")!, args });
        else options.push({ node: byName.get("newoption")!, args });
      }
    }
  }
  const { exportedNames, isModule } = state;

  addMembers(items, members, decorators);
  items.sort((a, b) => a.start - b.start || b.end - a.end);

  const declarationFile = /\.d\.[cm]?ts$/i.test(path);
  const fingerprints = new Fingerprinter(source, comments);
  const texts = new Texts(source, comments);
  const parents = findParents(items);
  const contexts: Array<Context | undefined> = [];
  const groups = new Map<string, Part[]>();

  items.forEach((item, index) => {
    const parentIndex = parents[index]!;
    const parent = parentIndex < 0 ? undefined : items[parentIndex]!;
    const parentContext = parentIndex < 0 ? undefined : contexts[parentIndex];
    const inType = parent?.kind === "class" || parent?.kind === "interface";
    // Members belong to a class that is a symbol; everything else to the module or a namespace.
    const placed = item.member ? inType && parentContext !== undefined : parent === undefined || (parent.kind === "namespace" && parentContext !== undefined);
    if (!placed) {
      contexts.push(undefined);
      return;
    }
    let visibility: Visibility;
    let ambient: boolean;
    if (!parent) {
      ambient = item.declared || item.global || declarationFile;
      // `declare global {}` and `declare module "x" {}` describe other modules' API; in a
      // script (no import/export) ambient declarations are global.
      const global = item.global || item.scopeKind === "module" || (ambient && !isModule);
      visibility = item.exported || exportedNames.has(item.name) || global || declarationFile ? "public" : "internal";
    } else if (item.member) {
      ambient = parentContext!.ambient;
      visibility = narrower(parentContext!.visibility, memberAccess(item));
    } else {
      ambient = parentContext!.ambient || item.declared;
      visibility = item.exported || parentContext!.ambient ? parentContext!.visibility : "private";
    }
    const scope = parentContext?.scope ?? [];
    if (item.kind === "namespace") {
      const names = item.scopeNames ?? [item.name];
      contexts.push({ scope: [...scope, ...names.map((name) => ({ kind: item.scopeKind ?? "namespace", name }))], visibility, ambient });
      return;
    }
    const ownScope: Scope[] | undefined =
      item.kind === "class" || item.kind === "interface" ? [...scope, { kind: item.kind, name: item.name }] : undefined;
    // Functions, constants and methods hold no symbols: what they contain is local.
    contexts.push(ownScope ? { scope: ownScope, visibility, ambient } : undefined);

    const kind: SymbolKind = item.kind === "field" ? "constant" : item.kind;
    const part: Part = { item, kind, visibility, scope, hasBody: !SIGNATURES.has((item.fn ?? item.node).type) };
    if (item.fn) {
      part.signature = readSignature(item, texts);
      if (item.kind === "method") {
        if (part.signature.modifiers.includes("get")) part.accessor = "get";
        else if (part.signature.modifiers.includes("set")) part.accessor = "set";
      }
    }
    const name = [...scope.map((s) => s.name), item.name].join(".");
    const key = `${kind}\u0000${name}`;
    const group = groups.get(key);
    if (group) group.push(part);
    else groups.set(key, [part]);
  });

  const symbols: SymbolDef[] = [];
  for (const parts of groups.values()) symbols.push(toSymbol(parts, fingerprints));
  return { symbols, cliFlags: readCliFlags(calls, options), errorCount: countErrors(tree) };
}

function range(node: Node): Pick<Item, "start" | "end" | "startRow" | "endRow"> {
  return { start: node.startIndex, end: node.endIndex, startRow: node.startPosition.row, endRow: node.endPosition.row };
}

interface ModuleState {
  items: Item[];
  /** Names made public by `export { a, b as c }`, `export default a`, `export = a`, CommonJS. */
  exportedNames: Set<string>;
  /** A top-level import or export: a module, not a script whose declarations are global. */
  isModule: boolean;
}

interface Flags {
  exported: boolean;
  declared: boolean;
  global: boolean;
}

/** One statement at module level or in a namespace body (`top` is false there). */
function readStatement(statement: Node, state: ModuleState, top: boolean, global: boolean): void {
  const type = statement.type;
  if (DEFINITIONS.has(type)) {
    addDefinition(state, statement, undefined, { exported: false, declared: false, global });
    return;
  }
  switch (type) {
    case "export_statement": {
      if (top) state.isModule = true;
      const declaration = statement.childForFieldName("declaration");
      if (declaration) {
        if (declaration.type === "ambient_declaration") readAmbient(declaration, statement, state, true, global);
        else addDefinition(state, declaration, statement, { exported: true, declared: false, global });
        return;
      }
      if (!top) return;
      const value = statement.childForFieldName("value");
      if (value) {
        if (value.type === "identifier") state.exportedNames.add(value.text);
        else if (FUNCTION_VALUES.has(value.type) || value.type === "class") addAnonymousDefault(state.items, statement, value);
        return;
      }
      if (statement.childForFieldName("source")) return;
      const children = statement.namedChildren;
      for (const child of children) {
        if (child?.type === "export_clause") {
          for (const specifier of child.namedChildren) {
            const name = specifier?.type === "export_specifier" ? specifier.childForFieldName("name") : null;
            if (name) state.exportedNames.add(unquote(name.text) ?? name.text);
          }
        } else if (child?.type === "identifier" && statement.child(1)?.type === "=") {
          // `export = a`
          state.exportedNames.add(child.text);
        }
      }
      return;
    }
    case "import_statement":
      if (top) state.isModule = true;
      return;
    case "ambient_declaration":
      readAmbient(statement, undefined, state, false, global);
      return;
    case "expression_statement": {
      const expression = statement.namedChildren[0];
      if (expression?.type === "internal_module") addDefinition(state, expression, statement, { exported: false, declared: false, global });
      else if (top && expression?.type === "assignment_expression") {
        const target = expression.childForFieldName("left");
        const value = expression.childForFieldName("right");
        if (target?.type === "member_expression" && value && COMMONJS_TARGET.test(target.text)) addCommonJs(state, target, value, statement);
      }
      return;
    }
    default:
  }
}

/** `declare function f(): void`, `declare namespace N {}`, `declare global {}`. */
function readAmbient(ambient: Node, exportStatement: Node | undefined, state: ModuleState, exported: boolean, global: boolean): void {
  const inner = ambient.namedChildren.find((child): child is Node => child !== null && child.type !== "comment" && child.type !== "decorator");
  if (!inner) return;
  if (inner.type === "statement_block") {
    // `declare global { ... }`: declarations of the global scope, unqualified.
    for (const child of inner.namedChildren) if (child) readStatement(child, state, false, true);
    return;
  }
  if (DEFINITIONS.has(inner.type)) addDefinition(state, inner, exportStatement ?? ambient, { exported, declared: true, global });
}

function addDefinition(state: ModuleState, def: Node, outer: Node | undefined, flags: Flags): void {
  const items = state.items;
  const wrapper = outer ?? def;
  const base = { ...flags, member: false };
  switch (def.type) {
    case "lexical_declaration":
    case "variable_declaration": {
      const declarators = def.namedChildren.filter((child): child is Node => child?.type === "variable_declarator");
      for (const declarator of declarators) {
        const nameNode = declarator.childForFieldName("name");
        // Destructuring patterns declare several names from one value: not read.
        if (nameNode?.type !== "identifier") continue;
        const value = declarator.childForFieldName("value");
        if (value && isImport(value)) continue;
        const kind: ItemKind = value && FUNCTION_VALUES.has(value.type) ? "function" : value?.type === "class" ? "class" : "constant";
        items.push({
          ...range(declarators.length === 1 ? wrapper : declarator),
          ...base,
          kind,
          node: declarator,
          ...(kind === "function" ? { fn: value! } : {}),
          nameNode,
          name: nameNode.text,
        });
      }
      return;
    }
    case "internal_module":
    case "module": {
      const nameNode = def.childForFieldName("name");
      if (!nameNode) return;
      const text = nameNode.text;
      const isString = nameNode.type === "string";
      const names = isString ? [unquote(text) ?? text] : text.split(".").map((part) => part.trim());
      items.push({ ...range(wrapper), ...base, kind: "namespace", node: def, nameNode, name: names.join("."), scopeNames: names, scopeKind: isString ? "module" : "namespace" });
      // Its statements nest under it by their ranges.
      const body = def.childForFieldName("body");
      if (body) for (const child of body.namedChildren) if (child) readStatement(child, state, false, flags.global);
      return;
    }
    default: {
      const nameNode = def.childForFieldName("name");
      if (!nameNode) return;
      const kind: ItemKind = def.type.includes("function")
        ? "function"
        : def.type.includes("class")
          ? "class"
          : def.type === "interface_declaration"
            ? "interface"
            : def.type === "enum_declaration"
              ? "enum"
              : "type";
      items.push({ ...range(wrapper), ...base, kind, node: def, ...(kind === "function" ? { fn: def } : {}), nameNode, name: nameNode.text });
    }
  }
}

/** `require("x")`, `await import("x")`: an import, not a definition. */
function isImport(value: Node): boolean {
  const call = value.type === "await_expression" ? value.namedChildren[0] : value;
  if (call?.type !== "call_expression") return false;
  const callee = call.childForFieldName("function");
  return callee?.type === "import" || (callee?.type === "identifier" && callee.text === "require");
}

/** `export default function () {}`, `export default class {}`, `export default () => ...`. */
function addAnonymousDefault(items: Item[], statement: Node, value: Node): void {
  const kind = value.type === "class" ? "class" : "function";
  const nameNode = value.childForFieldName("name");
  items.push({
    ...range(statement),
    kind,
    node: value,
    ...(kind === "function" ? { fn: value } : {}),
    ...(nameNode ? { nameNode } : {}),
    name: nameNode?.text ?? "default",
    exported: true,
    declared: false,
    global: false,
    member: false,
  });
}

/** `exports.a = ...`, `module.exports.a = ...`, `module.exports = { a, b: c }`, `module.exports = a`. */
function addCommonJs(state: ModuleState, target: Node, value: Node, statement: Node): void {
  const { items, exportedNames } = state;
  const dot = target.text.lastIndexOf(".");
  const name = target.text.slice(dot + 1);
  if (name === "exports") {
    if (value.type === "identifier") exportedNames.add(value.text);
    else if (value.type === "object") {
      for (const property of value.namedChildren) {
        if (property?.type === "shorthand_property_identifier") exportedNames.add(property.text);
        else if (property?.type === "pair") {
          const inner = property.childForFieldName("value");
          if (inner?.type === "identifier") exportedNames.add(inner.text);
        }
      }
    }
    return;
  }
  if (value.type === "identifier") {
    exportedNames.add(value.text);
    return;
  }
  const kind: ItemKind = FUNCTION_VALUES.has(value.type) ? "function" : value.type === "class" ? "class" : "constant";
  items.push({
    ...range(statement),
    kind,
    node: value,
    ...(kind === "function" ? { fn: value } : {}),
    nameNode: target.childForFieldName("property")!,
    name,
    exported: true,
    declared: false,
    global: false,
    member: false,
  });
}

function addMembers(items: Item[], members: Node[], decorators: Array<{ start: number; end: number; row: number }>): void {
  members.sort((a, b) => a.startIndex - b.startIndex);
  decorators.sort((a, b) => a.start - b.start);
  let next = 0;
  for (const member of members) {
    // TS puts a method's decorators before it in the class body: they belong to the method.
    let first: { start: number; row: number } | undefined;
    while (next < decorators.length && decorators[next]!.end <= member.startIndex) {
      first ??= decorators[next]!;
      next += 1;
    }
    const isField = member.type === "public_field_definition" || member.type === "field_definition";
    const nameNode = member.childForFieldName(member.type === "field_definition" ? "property" : "name");
    if (!nameNode) continue;
    const value = isField ? member.childForFieldName("value") : null;
    const fn = isField ? (value && FUNCTION_VALUES.has(value.type) ? value : undefined) : member;
    if (isField && !fn) {
      // Plain fields are state, not surface; a static constant (readonly, or UPPER_CASE) is.
      const children = member.children;
      if (!children.some((child) => child?.type === "static")) continue;
      if (!children.some((child) => child?.type === "readonly") && !UPPER_CASE.test(nameNode.text)) continue;
    }
    const name = nameNode.type === "string" ? (unquote(nameNode.text) ?? nameNode.text) : collapse(nameNode.text);
    items.push({
      start: first?.start ?? member.startIndex,
      end: member.endIndex,
      startRow: first?.row ?? member.startPosition.row,
      endRow: member.endPosition.row,
      kind: fn ? "method" : "field",
      node: member,
      ...(fn ? { fn } : {}),
      nameNode,
      name,
      exported: false,
      declared: false,
      global: false,
      member: true,
    });
  }
}

function memberAccess(item: Item): Visibility {
  if (item.name.startsWith("#")) return "private";
  for (const child of item.node.children) {
    if (child?.type === "accessibility_modifier") return child.text === "private" ? "private" : child.text === "protected" ? "internal" : "public";
    if (!child || child.startIndex >= (item.nameNode?.startIndex ?? Infinity)) break;
  }
  return "public";
}

/** Texts of type annotations and defaults, whitespace collapsed and comments cut. */
class Texts {
  private readonly comments: Array<readonly [number, number]>;
  constructor(
    private readonly source: string,
    comments: ReadonlyArray<readonly [number, number]>,
  ) {
    this.comments = [...comments].sort((a, b) => a[0] - b[0]);
  }

  of(node: Node): string {
    const text = node.text;
    if (!text.includes("/")) return collapse(text);
    const start = node.startIndex;
    const end = node.endIndex;
    let out = "";
    let at = start;
    for (const [s, e] of this.comments) {
      if (e <= start || s < at) continue;
      if (s >= end) break;
      out += `${this.source.slice(at, s)} `;
      at = e;
    }
    return collapse(out + this.source.slice(at, end));
  }
}

function readSignature(item: Item, texts: Texts): SignatureDef {
  const fn = item.fn!;
  const modifiers = new Set<string>();
  const holders = fn === item.node ? [fn] : [item.node, fn];
  for (const holder of holders) {
    for (const child of holder.children) {
      if (!child) continue;
      if (MODIFIERS.has(child.type)) modifiers.add(child.type);
      else if (child.type === "*") modifiers.add("generator");
      else if (child.type === "formal_parameters" || child.type === "statement_block" || child.type === "=") break;
    }
  }
  if (fn.type.startsWith("generator_function")) modifiers.add("generator");
  if (fn.type === "abstract_method_signature") modifiers.add("abstract");
  // `fetch: (request: Request) => Response = (request) => ...`: callers are held to the declared type.
  const declared = fn === item.node ? undefined : item.node.childForFieldName("type")?.namedChildren[0];
  const source = declared?.type === "function_type" ? declared : fn;
  const parameters: ParameterDef[] = [];
  const list = source.childForFieldName("parameters");
  if (list) {
    for (const child of list.namedChildren) {
      const parameter = child ? readParameter(child, texts) : undefined;
      if (parameter) parameters.push(parameter);
    }
  } else {
    // `x => ...`: a single bare parameter.
    const single = source.childForFieldName("parameter");
    if (single) parameters.push({ name: single.text });
  }
  const returns = source.childForFieldName("return_type");
  return { parameters, ...(returns ? { returns: annotation(returns, texts) } : {}), modifiers: [...modifiers].sort() };
}

/** `: string` → `string`. */
function annotation(node: Node, texts: Texts): string {
  return texts.of(node).replace(/^:\s*/, "");
}

function readParameter(node: Node, texts: Texts): ParameterDef | undefined {
  switch (node.type) {
    case "required_parameter":
    case "optional_parameter": {
      const pattern = node.childForFieldName("pattern");
      if (!pattern || pattern.type === "this") return undefined;
      const type = node.childForFieldName("type");
      const value = node.childForFieldName("value");
      const parameter: ParameterDef =
        pattern.type === "rest_pattern" ? { name: restName(pattern), variadic: true } : { name: texts.of(pattern) };
      if (type) parameter.type = annotation(type, texts);
      if (value) parameter.default = texts.of(value);
      // `x?: T` can be left out by callers, as if it defaulted to undefined.
      else if (node.type === "optional_parameter") parameter.default = "undefined";
      return parameter;
    }
    case "identifier":
    case "object_pattern":
    case "array_pattern":
      return { name: texts.of(node) };
    case "assignment_pattern": {
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      return { name: left ? texts.of(left) : "", default: right ? texts.of(right) : "" };
    }
    case "rest_pattern":
      return { name: restName(node), variadic: true };
    default:
      // Comments and anything unexpected are not parameters.
      return undefined;
  }
}

function restName(node: Node): string {
  return collapse(node.text.replace(/^\.\.\./, ""));
}

function toSymbol(parts: Part[], fingerprints: Fingerprinter): SymbolDef {
  const first = parts[0]!;
  const item = first.item;
  // Overloads: the implementation's signature, else the last declared one.
  const chosen = [...parts].reverse().find((part) => part.hasBody) ?? parts[parts.length - 1]!;
  let signature = chosen.signature;
  if (parts.some((part) => part.accessor)) signature = accessorSignature(parts) ?? signature;
  let visibility: Visibility = "private";
  for (const part of parts) if (RANK[part.visibility] > RANK[visibility]) visibility = part.visibility;
  const texts: string[] = [];
  const shapes: string[] = [];
  for (const part of parts) {
    const { start, end, nameNode } = part.item;
    texts.push(fingerprints.normalized(start, end));
    shapes.push(nameNode ? fingerprints.normalized(start, end, [nameNode.startIndex, nameNode.endIndex]) : texts[texts.length - 1]!);
  }
  const symbol: SymbolDef = {
    name: [...first.scope.map((s) => s.name), item.name].join("."),
    shortName: item.name,
    kind: first.kind,
    scope: first.scope,
    visibility,
    fingerprint: hashParts(texts),
    shape: hashParts(shapes),
    startLine: Math.min(...parts.map((part) => part.item.startRow)) + 1,
    endLine: Math.max(...parts.map((part) => part.item.endRow)) + 1,
  };
  if (signature) symbol.signature = signature;
  return symbol;
}

/** `get x()` and `set x(v)` are one property: the setter's parameter, the getter's type. */
function accessorSignature(parts: Part[]): SignatureDef | undefined {
  const getter = [...parts].reverse().find((part) => part.accessor === "get")?.signature;
  const setter = [...parts].reverse().find((part) => part.accessor === "set")?.signature;
  if (!getter || !setter) return undefined;
  const modifiers = [...new Set([...getter.modifiers, ...setter.modifiers])].sort();
  return { parameters: setter.parameters, ...(getter.returns ? { returns: getter.returns } : {}), modifiers };
}

function hashParts(texts: string[]): string {
  return hashText(texts.join("\u0002"));
}

// ---------------------------------------------------------------------------------------
// Command-line options: commander `.option("-p, --port <n>", "desc", default)`,
// `.requiredOption(...)`, `new Option(...).choices([...]).default(v)`; yargs
// `.option("port", { alias, choices, default })` and `.options({ port: {...} })`.
// ---------------------------------------------------------------------------------------

/** A commander third argument that is a value parser, not a default. */
const PARSER = /^(parseInt|parseFloat|Number|String|Boolean|BigInt|parse[A-Z]\w*|\w*[pP]arser|\w*[pP]arse)$/;

function argumentsOf(args: Node): Node[] {
  return args.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
}

function stringValue(node: Node | undefined): string | undefined {
  if (!node || (node.type !== "string" && node.type !== "template_string")) return undefined;
  return unquote(node.text);
}

function readCliFlags(calls: ReadonlyArray<{ method: Node; args: Node }>, options: ReadonlyArray<{ node: Node; args: Node }>): CliFlagDef[] {
  const flags: CliFlagDef[] = [];
  for (const { method, args } of calls) {
    const line = method.startPosition.row + 1;
    const values = argumentsOf(args);
    const first = values[0];
    if (!first) continue;
    if (method.text === "options") {
      if (first.type !== "object") continue;
      for (const property of first.namedChildren) {
        if (property?.type !== "pair") continue;
        const keyNode = property.childForFieldName("key");
        const value = property.childForFieldName("value");
        const key = keyNode ? (stringValue(keyNode) ?? keyNode.text) : undefined;
        if (key && value?.type === "object") flags.push(yargsFlag(key, value, property.startPosition.row + 1));
      }
      continue;
    }
    const text = stringValue(first);
    if (text === undefined) continue;
    if (text.startsWith("-")) {
      const flag = commanderFlag(text, line);
      if (!flag) continue;
      // (flags, description, default) or (flags, description, parser, default).
      const third = values[2];
      const fourth = values[3];
      const defaultNode = fourth ?? (third && !FUNCTION_VALUES.has(third.type) && !(third.type === "identifier" && PARSER.test(third.text)) ? third : undefined);
      if (defaultNode) flag.default = collapse(defaultNode.text);
      flags.push(flag);
    } else if (method.text === "option" && values[1]?.type === "object") {
      flags.push(yargsFlag(text, values[1], line));
    }
  }
  for (const { node, args } of options) {
    const text = stringValue(argumentsOf(args)[0]);
    const flag = text?.startsWith("-") ? commanderFlag(text, node.startPosition.row + 1) : undefined;
    if (!flag) continue;
    followChain(node, flag);
    flags.push(flag);
  }
  return flags.sort((a, b) => a.line - b.line);
}

function commanderFlag(spec: string, line: number): CliFlagDef | undefined {
  const names = spec.split(/[\s,|]+/).filter((token) => /^--?[^-\s<[]/.test(token));
  if (names.length === 0) return undefined;
  const long = names.find((name) => name.startsWith("--")) ?? names[0]!;
  const bare = long.replace(/^-+/, "");
  // commander stores `--no-color` as `color` and `--dry-run` as `dryRun`.
  const dest = (long.startsWith("--no-") ? bare.slice(3) : bare).replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  return { name: long, aliases: names.filter((name) => name !== long), dest, framework: "commander", line };
}

/** `new Option(...).choices([...]).default(v)`: the calls chained on the option. */
function followChain(start: Node, flag: CliFlagDef): void {
  let node = start;
  for (let depth = 0; depth < 16; depth++) {
    const parent = node.parent;
    if (parent?.type === "parenthesized_expression") {
      node = parent;
      continue;
    }
    if (parent?.type !== "member_expression") return;
    const call = parent.parent;
    if (call?.type !== "call_expression") return;
    const method = parent.childForFieldName("property")?.text;
    const first = argumentsOf(call.childForFieldName("arguments") ?? call)[0];
    if (method === "choices" && first) {
      const choices = readStrings(first);
      if (choices) flag.choices = choices;
    } else if (method === "default" && first) flag.default = collapse(first.text);
    node = call;
  }
}

function yargsFlag(key: string, config: Node, line: number): CliFlagDef {
  const dashed = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);
  const flag: CliFlagDef = { name: dashed(key), aliases: [], dest: key, framework: "yargs", line };
  for (const property of config.namedChildren) {
    if (property?.type !== "pair") continue;
    const keyNode = property.childForFieldName("key");
    const name = keyNode ? (stringValue(keyNode) ?? keyNode.text) : "";
    const value = property.childForFieldName("value");
    if (!value) continue;
    if (name === "alias") {
      const aliases = stringValue(value) !== undefined ? [stringValue(value)!] : readStrings(value);
      if (aliases) flag.aliases = aliases.map(dashed);
    } else if (name === "choices") {
      const choices = readStrings(value);
      if (choices) flag.choices = choices;
    } else if (name === "default") flag.default = collapse(value.text);
  }
  return flag;
}

function readStrings(node: Node): string[] | undefined {
  if (node.type !== "array") return undefined;
  const values: string[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === "comment") continue;
    const text = stringValue(child);
    if (text === undefined) return undefined;
    values.push(text);
  }
  return values;
}
