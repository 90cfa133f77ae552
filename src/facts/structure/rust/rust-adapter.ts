/**
 * Rust: functions, structs and unions, enums, traits, type aliases, consts and statics,
 * `macro_rules!` macros and modules, with methods and associated items of `impl` and
 * `trait` blocks named as Rust writes a path to them (`OptArgs::set_notification_message`,
 * `<Foo as Display>::fmt`, `outer::inner::item`), visibility by `pub` and the enclosing
 * inline modules (https://doc.rust-lang.org/reference/visibility-and-privacy.html), and
 * command-line options declared with clap (derive attributes and the `Arg` builder).
 * Items inside function bodies (and const/static initialisers) are local and are not symbols;
 * anything under `#[cfg(test)]` or marked as a test is private.
 */
import type { Node, Tree } from "web-tree-sitter";
import type { SymbolKind } from "../../types.js";
import { Fingerprinter, collapse, countErrors, findParents } from "../normalize.js";
import { queryFor } from "../tree-sitter.js";
import type { CliFlagDef, FileStructure, LanguageAdapter, ParameterDef, Scope, SignatureDef, SymbolDef, Visibility } from "../types.js";

type ItemKind = "function" | "struct" | "enum" | "trait" | "type" | "constant" | "macro" | "module" | "impl" | "foreign";

/** One query of these patterns; a match's pattern index says which role it plays. */
const PATTERNS: ReadonlyArray<readonly [role: ItemKind | "comment" | "attribute" | "inner" | "argNew" | "argMacro" | "argMethod", pattern: string]> = [
  ["function", "(function_item name: (identifier) @name) @item"],
  ["function", "(function_signature_item name: (identifier) @name) @item"],
  ["struct", "(struct_item name: (type_identifier) @name) @item"],
  ["struct", "(union_item name: (type_identifier) @name) @item"],
  ["enum", "(enum_item name: (type_identifier) @name) @item"],
  ["trait", "(trait_item name: (type_identifier) @name) @item"],
  ["type", "(type_item name: (type_identifier) @name) @item"],
  ["type", "(associated_type name: (type_identifier) @name) @item"],
  ["constant", "(const_item name: (identifier) @name) @item"],
  ["constant", "(static_item name: (identifier) @name) @item"],
  ["macro", "(macro_definition name: (identifier) @name) @item"],
  ["module", "(mod_item name: (identifier) @name) @item"],
  ["impl", "(impl_item) @item"],
  ["foreign", "(foreign_mod_item) @item"],
  ["comment", "(line_comment) @item"],
  ["comment", "(block_comment) @item"],
  ["attribute", "(attribute_item) @item"],
  ["inner", '(inner_attribute_item (attribute (identifier) @name (#eq? @name "cfg"))) @item'],
  [
    "argNew",
    '(call_expression function: (scoped_identifier path: (_) @path name: (identifier) @name) (#match? @path "(^|::)Arg$") (#match? @name "^(new|with_name)$")) @item',
  ],
  ["argMacro", '(macro_invocation macro: (_) @name (#match? @name "^(clap::)?arg$")) @item'],
  [
    "argMethod",
    "(call_expression function: (field_expression field: (field_identifier) @name) arguments: (arguments) @args" +
      ' (#match? @name "^(long|short|default_values?|default_value_os|value_parser|possible_values?|(visible_)?(short_)?alias(es)?)$")) @item',
  ],
];
/**
 * The builder patterns match every method call and path call of a file only to keep a few;
 * a file that never names `Arg::new`/`arg!` is read with the same query without them (the
 * builder patterns come last, so pattern indices agree).
 */
const QUERY = PATTERNS.map(([, pattern]) => pattern).join("\n");
const QUERY_WITHOUT_BUILDER = PATTERNS.filter(([role]) => !role.startsWith("arg")).map(([, pattern]) => pattern).join("\n");
const MENTIONS_BUILDER = /\bArg\s*::\s*(?:new|with_name)\b|\barg\s*!/;

const VISIBILITY_RANK: Record<Visibility, number> = { private: 0, internal: 1, public: 2 };
function least(a: Visibility, b: Visibility): Visibility {
  return VISIBILITY_RANK[a] <= VISIBILITY_RANK[b] ? a : b;
}

/** `#[cfg(test)]`, `#[cfg(all(test, ...))]`, whitespace removed. */
const CFG_TEST = /^#!?\[cfg\((?:test|all\((?:.*,)?test(?:,.*)?\))\)\]$/;
/** `#[test]`, `#[tokio::test(...)]`, `#[rstest]`, `#[bench]`..., whitespace removed. */
const TEST_ATTRIBUTE = /^#\[(?:(?:\w+::)*test|bench|rstest|test_case|quickcheck|wasm_bindgen_test)(?:\(.*\))?\]$/;
const MACRO_EXPORT = /^#\[macro_export(?:\(.*\))?\]$/;
const CLAP_ATTRIBUTE = /^#\s*\[\s*(?:arg|clap|structopt)\s*\(/;
/** Whitespace and comments only: an attribute separated from an item by this belongs to it. */
const TRIVIA = /^(?:\s|\/\/[^\n]*|\/\*[^]*?\*\/)*$/;

interface Attribute {
  node: Node;
  start: number;
  end: number;
  /** The text with whitespace removed. */
  compact: string;
}

interface Item {
  node: Node;
  nameNode: Node | undefined;
  kind: ItemKind;
  /** Including the item's outer attributes. */
  start: number;
  end: number;
  startRow: number;
  attributes: Attribute[];
}

/** What an item's children inherit. Undefined for an item whose contents are local. */
interface Context {
  /** Inline module names, outermost first. */
  modules: string[];
  scope: Scope[];
  /** The most any item inside may be seen. */
  cap: Visibility;
  /** Under `#[cfg(test)]` or a test: everything inside is private. */
  test: boolean;
  container: "module" | "impl" | "trait" | "foreign";
  /** An impl's self type, module-qualified (`api::Handle`), and its trait when it implements one (`Display`). */
  implType?: string;
  implTrait?: string;
  /** The trait's name and visibility, for items inside a trait. */
  traitName?: string;
  traitVisibility?: Visibility;
}

interface ChainRoot {
  node: Node;
  kind: "argNew" | "argMacro";
  /** The `Arg::new` id, or the `arg!` body. */
  text: string;
}

interface ChainMethod {
  method: string;
  args: Node;
}

export const rustAdapter: LanguageAdapter = {
  id: "rust",
  language: "Rust",
  grammar: { package: "tree-sitter-rust", file: "tree-sitter-rust.wasm" },
  extensions: ["rs"],
  read(tree: Tree, source: string): FileStructure {
    const query = queryFor(tree.language, MENTIONS_BUILDER.test(source) ? QUERY : QUERY_WITHOUT_BUILDER);
    const items: Item[] = [];
    const comments: Array<[number, number]> = [];
    const attributes: Attribute[] = [];
    const innerTestAttributes: number[] = [];
    const roots: ChainRoot[] = [];
    const methods = new Map<number, ChainMethod[]>();

    for (const match of query.matches(tree.rootNode)) {
      const role = PATTERNS[match.patternIndex]![0];
      let node: Node | undefined;
      let nameNode: Node | undefined;
      let args: Node | undefined;
      for (const capture of match.captures) {
        if (capture.name === "item") node = capture.node;
        else if (capture.name === "name") nameNode = capture.node;
        else if (capture.name === "args") args = capture.node;
      }
      if (!node) continue;
      switch (role) {
        case "comment":
          comments.push([node.startIndex, node.endIndex]);
          break;
        case "attribute":
          attributes.push({ node, start: node.startIndex, end: node.endIndex, compact: source.slice(node.startIndex, node.endIndex).replace(/\s+/g, "") });
          break;
        case "inner":
          if (CFG_TEST.test(source.slice(node.startIndex, node.endIndex).replace(/\s+/g, ""))) innerTestAttributes.push(node.startIndex);
          break;
        case "argNew": {
          const first = node.childForFieldName("arguments")?.namedChildren[0];
          const id = first ? stringValue(first.text) : undefined;
          if (id !== undefined) roots.push({ node, kind: "argNew", text: id });
          break;
        }
        case "argMacro":
          roots.push({ node, kind: "argMacro", text: source.slice(nameNode?.endIndex ?? node.startIndex, node.endIndex) });
          break;
        case "argMethod": {
          if (!nameNode || !args) break;
          const list = methods.get(node.startIndex);
          const method = { method: nameNode.text, args };
          if (list) list.push(method);
          else methods.set(node.startIndex, [method]);
          break;
        }
        default:
          items.push({ node, nameNode, kind: role, start: node.startIndex, end: node.endIndex, startRow: node.startPosition.row, attributes: [] });
      }
    }

    attributes.sort((a, b) => a.start - b.start);
    attachAttributes(items, attributes, source);
    items.sort((a, b) => a.start - b.start || b.end - a.end);

    const fingerprints = new Fingerprinter(source, comments);
    const parents = findParents(items);
    const testModules = findInnerTestModules(items, innerTestAttributes);
    const rootContext: Context = {
      modules: [],
      scope: [],
      // `#![cfg(test)]` at the top of a file makes the whole file test code.
      cap: testModules.has(-1) ? "private" : "public",
      test: testModules.has(-1),
      container: "module",
    };
    const contexts: Array<Context | undefined> = [];
    const symbols: SymbolDef[] = [];

    items.forEach((item, index) => {
      const parentIndex = parents[index]!;
      const parent = parentIndex < 0 ? rootContext : contexts[parentIndex];
      if (!parent) {
        contexts.push(undefined);
        return;
      }
      const read = readItem(item, index, parent, testModules, fingerprints);
      contexts.push(read.context);
      if (read.symbol) symbols.push(read.symbol);
    });

    return { symbols, cliFlags: readCliFlags(attributes, roots, methods, items, source), errorCount: countErrors(tree) };
  },
};

/** Outer attributes are siblings before the item, separated from it by whitespace and comments only. */
function attachAttributes(items: Item[], attributes: readonly Attribute[], source: string): void {
  if (attributes.length === 0) return;
  for (const item of items) {
    // Binary search for the last attribute that ends at or before the item.
    let lo = 0;
    let hi = attributes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (attributes[mid]!.end <= item.start) lo = mid + 1;
      else hi = mid;
    }
    let at = item.start;
    const attached: Attribute[] = [];
    for (let i = lo - 1; i >= 0; i--) {
      const attribute = attributes[i]!;
      if (!TRIVIA.test(source.slice(attribute.end, at))) break;
      attached.push(attribute);
      at = attribute.start;
    }
    if (attached.length > 0) {
      attached.reverse();
      item.attributes = attached;
      item.start = attached[0]!.start;
      item.startRow = attached[0]!.node.startPosition.row;
    }
  }
}

/**
 * Modules whose body starts with `#![cfg(test)]` (by item index; -1 for the file itself):
 * the innermost module that contains the inner attribute.
 */
function findInnerTestModules(items: readonly Item[], positions: readonly number[]): Set<number> {
  const found = new Set<number>();
  for (const position of positions) {
    let innermost = -1;
    items.forEach((item, index) => {
      if (item.kind === "module" && item.start < position && position < item.end) innermost = index;
    });
    found.add(innermost);
  }
  return found;
}

function readItem(
  item: Item,
  index: number,
  parent: Context,
  testModules: ReadonlySet<number>,
  fingerprints: Fingerprinter,
): { context?: Context; symbol?: SymbolDef } {
  const { node, kind } = item;
  const isTest =
    parent.test || testModules.has(index) || item.attributes.some((attribute) => CFG_TEST.test(attribute.compact) || TEST_ATTRIBUTE.test(attribute.compact));
  if (kind === "impl") {
    const typeNode = node.childForFieldName("type");
    if (!typeNode) return {};
    const traitNode = node.childForFieldName("trait");
    const params = genericParameters(node);
    const typeName = typeKey(typeNode, params);
    const context: Context = {
      modules: parent.modules,
      scope: [...parent.scope, { kind: "impl", name: typeName }],
      cap: isTest ? "private" : parent.cap,
      test: isTest,
      container: "impl",
      implType: [...parent.modules, typeName].join("::"),
    };
    // The trait by its last path segment (`fmt::Display` is `Display`), with concrete type arguments (`From<&str>`).
    if (traitNode) context.implTrait = typeKey(traitNode, params);
    return { context };
  }
  if (kind === "foreign") {
    return { context: { ...parent, cap: isTest ? "private" : parent.cap, test: isTest, container: "foreign" } };
  }

  const nameNode = item.nameNode;
  if (!nameNode) return {};
  const shortName = nameNode.text;
  // `const _: () = { ... };` names nothing.
  if (kind === "constant" && shortName === "_") return {};
  const children = node.children;

  let own: Visibility = ownVisibility(children);
  let name: string;
  let scope: Scope[] = parent.scope;
  if (parent.container === "trait") {
    own = parent.traitVisibility ?? own;
    name = [...parent.modules, parent.traitName!, shortName].join("::");
  } else if (parent.container === "impl") {
    if (parent.implTrait !== undefined) {
      // Implementing a trait adds no name to the API: the trait already has it.
      own = "internal";
      name = `<${parent.implType!} as ${parent.implTrait}>::${shortName}`;
    } else {
      name = `${parent.implType!}::${shortName}`;
    }
  } else if (kind === "macro") {
    // `#[macro_export]` puts a macro at the crate root, whatever module defines it; any
    // other `macro_rules!` is textually scoped and never public.
    const exported = item.attributes.some((attribute) => MACRO_EXPORT.test(attribute.compact));
    own = exported ? "public" : "private";
    if (exported) scope = [];
    name = exported ? shortName : [...parent.modules, shortName].join("::");
  } else {
    name = [...parent.modules, shortName].join("::");
  }
  // An exported macro ignores the privacy of the modules around it.
  const visibility: Visibility = isTest ? "private" : kind === "macro" ? own : least(own, parent.cap);

  let context: Context | undefined;
  if (kind === "module") {
    const hasBody = children.some((child) => child.type === "declaration_list");
    if (hasBody) {
      context = {
        modules: [...parent.modules, shortName],
        scope: [...parent.scope, { kind: "module", name: shortName }],
        cap: visibility,
        test: isTest,
        container: "module",
      };
    }
  } else if (kind === "trait") {
    context = {
      modules: parent.modules,
      scope: [...parent.scope, { kind: "trait", name: shortName }],
      cap: visibility,
      test: isTest,
      container: "trait",
      traitName: shortName,
      traitVisibility: visibility,
    };
  }

  const inBlock = parent.container === "impl" || parent.container === "trait";
  const symbolKind: SymbolKind = kind === "function" ? (inBlock ? "method" : "function") : (kind as SymbolKind);
  const symbol: SymbolDef = {
    name,
    shortName,
    kind: symbolKind,
    scope,
    visibility,
    fingerprint: fingerprints.fingerprint(item.start, item.end),
    shape: fingerprints.fingerprint(item.start, item.end, [nameNode.startIndex, nameNode.endIndex]),
    startLine: item.startRow + 1,
    endLine: node.endPosition.row + 1,
  };
  if (kind === "function") symbol.signature = readSignature(node, children, parent.container === "foreign");
  return context ? { context, symbol } : { symbol };
}

/** `pub` is public; `pub(crate)`, `pub(super)`, `pub(self)`, `pub(in path)` are internal; none is private. */
function ownVisibility(children: readonly Node[]): Visibility {
  const modifier = children.find((child) => child.type === "visibility_modifier");
  if (!modifier) return "private";
  return modifier.text === "pub" ? "public" : "internal";
}

/**
 * The self type of an impl as a name: the last path segment, without lifetimes and without
 * type arguments that are only the impl's own generic parameters (`impl<T> Foo<T>` is `Foo`),
 * but with concrete ones, which make a different impl (`BitbucketPagination<BitbucketCommit>`).
 */
function typeKey(node: Node, params: ReadonlySet<string>): string {
  switch (node.type) {
    case "type_identifier":
    case "primitive_type":
      return node.text;
    case "scoped_type_identifier":
      return node.childForFieldName("name")?.text ?? node.text;
    case "generic_type": {
      const inner = node.childForFieldName("type");
      const base = inner ? typeKey(inner, params) : node.text;
      return base + typeArguments(node.childForFieldName("type_arguments"), params);
    }
    case "reference_type": {
      const inner = node.childForFieldName("type");
      const mutable = node.children.some((child) => child.type === "mutable_specifier");
      return `&${mutable ? "mut " : ""}${inner ? typeKey(inner, params) : ""}`;
    }
    default:
      return withoutLifetimes(collapse(node.text));
  }
}

/** `<u8>` as written (lifetimes dropped); nothing when the arguments are only lifetimes and the impl's parameters. */
function typeArguments(node: Node | null, params: ReadonlySet<string>): string {
  if (!node) return "";
  const onlyParameters = node.namedChildren.every((arg) => arg.type === "lifetime" || (arg.type === "type_identifier" && params.has(arg.text)));
  return onlyParameters ? "" : withoutLifetimes(collapse(node.text));
}

/** The names of an impl's type and const parameters (`impl<'a, T: Clone, const N: usize>` → T, N). */
function genericParameters(node: Node): Set<string> {
  const names = new Set<string>();
  const list = node.childForFieldName("type_parameters");
  if (!list) return names;
  for (const parameter of list.namedChildren) {
    if (parameter.type === "type_parameter" || parameter.type === "const_parameter") {
      const name = parameter.childForFieldName("name")?.text;
      if (name) names.add(name);
    } else if (parameter.type === "type_identifier") {
      names.add(parameter.text);
    }
  }
  return names;
}

/** `&'a mut T` → `&mut T`, `Deserialize<'de>` → `Deserialize`: lifetimes name nothing a caller sees. */
function withoutLifetimes(text: string): string {
  if (!text.includes("'")) return text;
  return text
    .replace(/'[A-Za-z_]\w*\s*\+?\s*,?\s*/g, "")
    .replace(/,\s*>/g, ">")
    .replace(/<\s*>/g, "")
    .replace(/&\s+/g, "&")
    .trim();
}

function readSignature(node: Node, children: readonly Node[], foreign: boolean): SignatureDef {
  const parameters: ParameterDef[] = [];
  const modifiers = new Set<string>();
  let generics = "";
  let returns: string | undefined;
  if (foreign) modifiers.add("extern");
  for (const child of children) {
    switch (child.type) {
      case "function_modifiers":
        for (const modifier of child.children) {
          if (modifier.type === "extern_modifier") modifiers.add("extern");
          else if (modifier.type === "async" || modifier.type === "const" || modifier.type === "unsafe") modifiers.add(modifier.type);
        }
        break;
      case "type_parameters":
        generics = child.text;
        break;
      case "where_clause":
        generics = `${generics} ${child.text}`;
        break;
      case "parameters":
        for (const parameter of child.namedChildren) readParameter(parameter, parameters, modifiers);
        break;
    }
  }
  const returnType = node.childForFieldName("return_type");
  if (returnType) returns = collapse(returnType.text);
  if (generics) modifiers.add(`generics:${collapse(generics)}`);
  return { parameters, ...(returns ? { returns } : {}), modifiers: [...modifiers].sort() };
}

/** `pattern: Type`; the receiver is recorded as a modifier (`&self`, `&mut self`, `self`, `mut self`, `self: Box<Self>`). */
function readParameter(node: Node, parameters: ParameterDef[], modifiers: Set<string>): void {
  switch (node.type) {
    case "self_parameter":
      modifiers.add(withoutLifetimes(collapse(node.text)));
      return;
    case "parameter": {
      const pattern = node.childForFieldName("pattern");
      const type = node.childForFieldName("type");
      if (pattern?.type === "self") {
        modifiers.add(`self: ${collapse(type?.text ?? "")}`);
        return;
      }
      parameters.push({ name: collapse(pattern?.text ?? ""), ...(type ? { type: collapse(type.text) } : {}) });
      return;
    }
    case "variadic_parameter": {
      const pattern = node.childForFieldName("pattern");
      parameters.push({ name: pattern ? collapse(pattern.text) : "...", variadic: true });
      return;
    }
    default:
      // Attributes on parameters, comments.
      return;
  }
}

// ---------------------------------------------------------------------------------------
// clap

interface FlagParts {
  long?: string;
  short?: string;
  aliases: string[];
  choices?: string[];
  default?: string;
  /** `value_enum` / `arg_enum`: the choices are the variants of the field's enum. */
  valueEnum?: boolean;
  /** A `value_parser` that is not a list of literals: it, not the enum, decides what is accepted. */
  customParser?: boolean;
}

function readCliFlags(
  attributes: readonly Attribute[],
  roots: readonly ChainRoot[],
  methods: ReadonlyMap<number, ChainMethod[]>,
  items: readonly Item[],
  source: string,
): CliFlagDef[] {
  const flags: Array<CliFlagDef & { order: number }> = [];

  // Derive: `#[arg(short, long, default_value = "x")] field: T` inside a struct (or a struct-like variant).
  const byField = new Map<number, { field: string; type: string; line: number; order: number; parts: FlagParts }>();
  for (const attribute of attributes) {
    if (!CLAP_ATTRIBUTE.test(source.slice(attribute.start, Math.min(attribute.end, attribute.start + 40)))) continue;
    const node = attribute.node;
    if (node.parent?.type !== "field_declaration_list") continue;
    let sibling = node.nextNamedSibling;
    while (sibling && (sibling.type === "attribute_item" || sibling.type === "line_comment" || sibling.type === "block_comment")) sibling = sibling.nextNamedSibling;
    if (sibling?.type !== "field_declaration") continue;
    const fieldName = sibling.childForFieldName("name")?.text;
    if (!fieldName) continue;
    const field = fieldName.replace(/^r#/, "");
    let entry = byField.get(sibling.startIndex);
    if (!entry) {
      entry = { field, type: sibling.childForFieldName("type")?.text ?? "", line: node.startPosition.row + 1, order: attribute.start, parts: { aliases: [] } };
      byField.set(sibling.startIndex, entry);
    }
    const text = source.slice(attribute.start, attribute.end);
    const open = text.indexOf("(");
    const close = text.lastIndexOf(")");
    if (open < 0 || close <= open) continue;
    for (const part of splitTopLevel(text.slice(open + 1, close))) {
      const m = /^([A-Za-z_]\w*)\s*(?:=\s*([^]*)|\(([^]*)\))?$/.exec(part);
      if (!m) continue;
      const key = m[1]!;
      const value = m[2] ?? m[3];
      applyOption(entry.parts, key, value === undefined ? undefined : value.trim(), field);
    }
  }
  for (const entry of byField.values()) {
    if (entry.parts.valueEnum && !entry.parts.choices && !entry.parts.customParser) {
      // `Option<Strip>`, `Vec<Sort>`: the enum is the innermost type, when this file defines it.
      const enumName = /([A-Za-z_]\w*)\s*>*\s*$/.exec(entry.type)?.[1];
      const definition = enumName ? items.find((item) => item.kind === "enum" && item.nameNode?.text === enumName) : undefined;
      const choices = definition ? readValueEnum(definition) : undefined;
      if (choices) entry.parts.choices = choices;
    }
    const flag = toFlag(entry.parts, entry.field, entry.line);
    if (flag) flags.push({ ...flag, order: entry.order });
  }

  // Builder: `Arg::new("id").long("x").short('x')...` and `arg!(-x --xx <V> "help")...`; a chain's calls all start where its root does.
  for (const root of roots) {
    const parts: FlagParts = { aliases: [] };
    let dest: string | undefined;
    if (root.kind === "argMacro") {
      const parsed = parseArgMacro(root.text);
      if (!parsed) continue;
      Object.assign(parts, parsed.parts);
      dest = parsed.id;
    } else {
      dest = root.text;
    }
    const chain = [...(methods.get(root.node.startIndex) ?? [])].sort((a, b) => a.args.startIndex - b.args.startIndex);
    for (const { method, args } of chain) {
      const inner = source.slice(args.startIndex + 1, args.endIndex - 1).trim();
      applyOption(parts, method, inner, undefined);
    }
    const flag = toFlag(parts, dest, root.node.startPosition.row + 1);
    if (flag) flags.push({ ...flag, order: root.node.startIndex });
  }

  flags.sort((a, b) => a.order - b.order);
  return flags.map(({ order: _order, ...flag }) => flag);
}

/**
 * One `key = value` / `key(value)` / bare `key` of a clap attribute, or one builder method
 * with its argument text. `field` is the derive field (for bare `long` and `short`).
 */
function applyOption(parts: FlagParts, key: string, value: string | undefined, field: string | undefined): void {
  switch (key) {
    case "long":
      if (value === undefined) {
        if (field !== undefined) parts.long = `--${field.replace(/_/g, "-")}`;
      } else {
        const text = stringValue(value);
        if (text !== undefined) parts.long = `--${text}`;
      }
      return;
    case "short":
      if (value === undefined) {
        if (field !== undefined) parts.short = `-${field.charAt(0)}`;
      } else {
        const text = stringValue(value);
        if (text !== undefined) parts.short = `-${text}`;
      }
      return;
    case "default_value":
    case "default_value_t":
    case "default_values":
    case "default_values_t":
    case "default_value_os":
    case "default_value_os_t":
      if (value !== undefined) parts.default = collapse(value);
      return;
    case "value_parser":
    case "possible_values": {
      const choices = value === undefined ? undefined : stringList(value);
      if (choices) parts.choices = choices;
      else if (key === "value_parser") parts.customParser = true;
      return;
    }
    case "value_enum":
    case "arg_enum":
      parts.valueEnum = true;
      return;
    case "possible_value": {
      const text = value === undefined ? undefined : stringValue(value);
      if (text !== undefined) parts.choices = [...(parts.choices ?? []), text];
      return;
    }
    default: {
      const alias = /^(?:visible_)?(short_)?alias(es)?$/.exec(key);
      if (!alias || value === undefined) return;
      const dashes = alias[1] ? "-" : "--";
      const names = alias[2] ? stringList(value) : [stringValue(value)];
      for (const name of names ?? []) if (name !== undefined) parts.aliases.push(dashes + name);
    }
  }
}

function toFlag(parts: FlagParts, dest: string | undefined, line: number): CliFlagDef | undefined {
  const name = parts.long ?? parts.short;
  // Neither `long` nor `short`: a positional argument, not an option.
  if (!name) return undefined;
  const aliases = [...(parts.long && parts.short ? [parts.short] : []), ...parts.aliases].filter((alias) => alias !== name);
  const flag: CliFlagDef = { name, aliases: [...new Set(aliases)], framework: "clap", line };
  if (parts.choices) flag.choices = parts.choices;
  if (parts.default !== undefined) flag.default = parts.default;
  flag.dest = dest ?? name.replace(/^-+/, "").replace(/-/g, "_");
  return flag;
}

/** `arg!(id: -c --config <FILE> "help")`: the id and the option's spellings; undefined for a positional. */
function parseArgMacro(text: string): { id?: string; parts: FlagParts } | undefined {
  const open = text.search(/[([{]/);
  if (open < 0) return undefined;
  let body = text.slice(open + 1, -1);
  let long: string | undefined;
  const quotedLong = /--\s*"([^"]+)"/.exec(body);
  if (quotedLong) long = quotedLong[1];
  // Help strings and value names say nothing about the spelling.
  body = body.replace(/"(?:\\.|[^"\\])*"/g, " ").replace(/<[^>]*>/g, " ").replace(/\[[^\]]*\]/g, " ");
  let id: string | undefined;
  const idMatch = /^\s*([A-Za-z_][\w-]*)\s*:(?!:)/.exec(body);
  if (idMatch) {
    id = idMatch[1];
    body = body.slice(idMatch[0].length);
  }
  long ??= /--\s*([A-Za-z0-9][\w-]*)/.exec(body)?.[1];
  const short = /(?:^|[^-\w])-\s*([A-Za-z0-9])(?![\w-])/.exec(body.replace(/--\s*[A-Za-z0-9][\w-]*/g, " "))?.[1];
  if (!long && !short) return undefined;
  const parts: FlagParts = { aliases: [] };
  if (long) parts.long = `--${long}`;
  if (short) parts.short = `-${short}`;
  return { id: id ?? long ?? short, parts };
}

/** Splits on commas outside brackets, strings and char literals. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      i = skipString(text, i);
    } else if (ch === "'" && /^'(?:\\.|[^\\'])'/.test(text.slice(i, i + 4))) {
      i = text.indexOf("'", i + 2);
    } else if (ch === "(" || ch === "[" || ch === "{") {
      depth++;
    } else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
    } else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

/** Index of the closing quote of the string starting at `i`. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
}

/** The contents of a Rust string or char literal (`"x"`, `r"x"`, `r#"x"#`, `'x'`); undefined for anything else. */
function stringValue(text: string): string | undefined {
  const trimmed = text.trim();
  const m = /^(?:"((?:\\.|[^"\\])*)"|r(#*)"([^]*)"\2|'(\\.|[^\\'])')$/.exec(trimmed);
  if (!m) return undefined;
  return m[1] ?? m[3] ?? m[4];
}

/** `["a", "b"]`, `&["a", "b"]`, `PossibleValuesParser::new(["a", "b"])`: the strings, when all elements are literals. */
function stringList(text: string): string[] | undefined {
  const trimmed = text.trim();
  const list = /^&?\s*\[([^]*)\]$/.exec(trimmed) ?? /^(?:[\w:]*::)?PossibleValuesParser::new\(\s*&?\s*\[([^]*)\]\s*\)$/.exec(trimmed);
  if (!list) return undefined;
  const values: string[] = [];
  for (const element of splitTopLevel(list[1]!)) {
    const value = stringValue(element);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

const VALUE_ENUM_DERIVE = /^#\[derive\(.*\b(?:ValueEnum|ArgEnum)\b/;
const RENAME_ALL = /^#\[(?:value|clap)\(.*\brename_all="([^"]*)"/;
const VALUE_SKIP = /^#\[(?:value|clap)\((?:.*,)?skip(?:[,)=]|$)/;
const VALUE_NAME = /^#\[(?:value|clap)\((?:.*,)?name=("(?:\\.|[^"\\])*")/;

/**
 * The values a `#[derive(ValueEnum)]` enum accepts: each variant's `#[value(name = "...")]`,
 * else its name in kebab-case (clap's default), without `#[value(skip)]` variants; undefined
 * for a `rename_all` this does not know.
 */
function readValueEnum(item: Item): string[] | undefined {
  if (!item.attributes.some((attribute) => VALUE_ENUM_DERIVE.test(attribute.compact))) return undefined;
  let rename = "kebab-case";
  for (const attribute of item.attributes) {
    const m = RENAME_ALL.exec(attribute.compact);
    if (m) rename = m[1]!;
  }
  const values: string[] = [];
  let skip = false;
  let explicit: string | undefined;
  for (const child of item.node.childForFieldName("body")?.namedChildren ?? []) {
    if (child.type === "attribute_item") {
      const compact = child.text.replace(/\s+/g, "");
      if (VALUE_SKIP.test(compact)) skip = true;
      const name = VALUE_NAME.exec(compact)?.[1];
      if (name) explicit = stringValue(name);
      continue;
    }
    if (child.type !== "enum_variant") continue;
    const variant = child.childForFieldName("name")?.text ?? "";
    if (!skip) {
      const value = explicit ?? renameCase(variant, rename);
      if (value === undefined) return undefined;
      values.push(value);
    }
    skip = false;
    explicit = undefined;
  }
  return values;
}

/** The case conversions of clap's `rename_all` (https://docs.rs/clap/latest/clap/_derive/index.html#arg-attributes). */
function renameCase(name: string, rename: string): string | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_]+/)
    .filter(Boolean);
  switch (rename) {
    case "kebab-case":
      return words.join("-").toLowerCase();
    case "snake_case":
      return words.join("_").toLowerCase();
    case "SCREAMING_SNAKE_CASE":
      return words.join("_").toUpperCase();
    case "lower":
    case "lowercase":
      return name.toLowerCase();
    case "upper":
    case "UPPERCASE":
      return name.toUpperCase();
    case "verbatim":
      return name;
    case "PascalCase":
      return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join("");
    case "camelCase": {
      const pascal = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join("");
      return pascal.charAt(0).toLowerCase() + pascal.slice(1);
    }
    default:
      return undefined;
  }
}
