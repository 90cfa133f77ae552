/**
 * Go: top-level functions, methods (`Type.Method`), type declarations (struct, interface
 * with its method elements as `Iface.Method`, other types and aliases) and top-level
 * `const`/`var` names, with visibility by capitalisation
 * (https://go.dev/ref/spec#Exported_identifiers), and command-line flags declared with the
 * standard `flag` package or spf13/pflag (which cobra's `cmd.Flags()` returns).
 *
 * Go has no nested declarations that can be referenced from outside a body, so the query
 * itself anchors every definition at `source_file`: function literals and declarations
 * inside bodies never match, and no nesting has to be worked out afterwards.
 */
import type { Node, Tree } from "web-tree-sitter";
import { Fingerprinter, collapse, countErrors, hashText, linesOf, unquote } from "../normalize.js";
import { queryFor } from "../tree-sitter.js";
import type { CliFlagDef, CliFramework, FileStructure, LanguageAdapter, ParameterDef, Scope, SignatureDef, SymbolDef, Visibility } from "../types.js";

/** The typed flag constructors of `flag` and pflag; each also has `<T>Var`, and in pflag `<T>P` and `<T>VarP`. */
const TYPED_FLAGS = [
  "Bool", "BoolSlice", "BytesBase64", "BytesHex", "Count", "Duration", "DurationSlice",
  "Float32", "Float32Slice", "Float64", "Float64Slice", "IP", "IPMask", "IPNet", "IPNetSlice", "IPSlice",
  "Int", "Int8", "Int16", "Int32", "Int32Slice", "Int64", "Int64Slice", "IntSlice",
  "String", "StringArray", "StringSlice", "StringToInt", "StringToInt64", "StringToString",
  "Uint", "Uint8", "Uint16", "Uint32", "Uint64", "UintSlice",
];
/** Groups: 1 typed base, 2 `Var`, 3 `P`; 4 `Var` itself, 5 `P`/`PF`; 6 `TextVar`, 7 `P`; 8 `Func`/`BoolFunc`, 9 `P`. */
const FLAG_METHOD = `^(?:(${TYPED_FLAGS.join("|")})(Var)?(P)?|(Var)(P|PF)?|(TextVar)(P)?|(Func|BoolFunc)(P)?)$`;
const FLAG_METHOD_RE = new RegExp(FLAG_METHOD);

const QUERY = `
(source_file (package_clause (package_identifier) @package))
(import_spec) @import
(source_file (function_declaration) @function)
(source_file (method_declaration) @method)
(source_file (type_declaration) @types)
(source_file (const_declaration) @consts)
(source_file (var_declaration) @vars)
(comment) @comment
(call_expression
  function: (selector_expression operand: (_) @operand field: (field_identifier) @flagfn)
  arguments: (argument_list . [(interpreted_string_literal) (raw_string_literal)]) @args
  (#match? @flagfn "${FLAG_METHOD}")) @call
(call_expression
  function: (selector_expression operand: (_) @operand field: (field_identifier) @flagfn)
  arguments: (argument_list . (_) . [(interpreted_string_literal) (raw_string_literal)]) @args
  (#match? @flagfn "${FLAG_METHOD}")) @call
`;

const EXPORTED = /^\p{Lu}/u;
/** A receiver chain that went through cobra's accessors returns a `*pflag.FlagSet`. */
const PFLAG_CHAIN = /\b(?:Persistent|Local|Inherited|NonInherited|LocalNonPersistent)?Flags\(\s*\)/;
const STD_FLAG = "flag";
const PFLAG = "github.com/spf13/pflag";
const COBRA = "github.com/spf13/cobra";

interface FlagCall {
  operand: Node;
  method: string;
  args: Node;
  call: Node;
}

export const goAdapter: LanguageAdapter = {
  id: "go",
  language: "Go",
  grammar: { package: "tree-sitter-go", file: "tree-sitter-go.wasm" },
  extensions: ["go"],
  read(tree: Tree, source: string): FileStructure {
    const query = queryFor(tree.language, QUERY);
    const comments: Array<[number, number]> = [];
    const definitions: Array<{ kind: string; node: Node }> = [];
    const imports: Node[] = [];
    const calls: FlagCall[] = [];
    const seenCalls = new Set<number>();
    let packageName: string | undefined;
    for (const match of query.matches(tree.rootNode)) {
      // Every pattern but the flag calls captures one node.
      const capture = match.captures.length === 1 ? match.captures[0]! : match.captures.find((c) => c.name === "call");
      if (!capture) continue;
      const node = capture.node;
      switch (capture.name) {
        case "comment":
          comments.push([node.startIndex, node.endIndex]);
          break;
        case "package":
          packageName = node.text;
          break;
        case "import":
          imports.push(node);
          break;
        case "call": {
          // Both call patterns can match one call (its first two arguments both strings).
          if (seenCalls.has(node.startIndex)) break;
          seenCalls.add(node.startIndex);
          const byName = new Map(match.captures.map((c) => [c.name, c.node]));
          calls.push({ operand: byName.get("operand")!, method: byName.get("flagfn")!.text, args: byName.get("args")!, call: node });
          break;
        }
        default:
          definitions.push({ kind: capture.name, node });
      }
    }

    const fingerprints = new Fingerprinter(source, comments);
    const symbols: SymbolDef[] = [];
    for (const { kind, node } of definitions) {
      switch (kind) {
        case "function":
          readFunction(node, fingerprints, symbols);
          break;
        case "method":
          readMethod(node, fingerprints, symbols);
          break;
        case "types":
          readTypes(node, fingerprints, symbols);
          break;
        case "consts":
          readConsts(node, source, fingerprints, symbols);
          break;
        case "vars":
          readVars(node, fingerprints, symbols);
          break;
      }
    }
    symbols.sort((a, b) => a.startLine - b.startLine);

    const structure: FileStructure = { symbols, cliFlags: readCliFlags(calls, readImports(imports)), errorCount: countErrors(tree) };
    if (packageName !== undefined) structure.packageName = packageName;
    return structure;
  },
};

function isExported(name: string): boolean {
  return EXPORTED.test(name);
}

/** A method is API only when both it and its receiver (or interface) are exported. */
function memberVisibility(name: string, owner: string): Visibility {
  if (!isExported(name)) return "private";
  return isExported(owner) ? "public" : "internal";
}

function range(node: Node): [number, number] {
  return [node.startIndex, node.endIndex];
}

function define(
  fingerprints: Fingerprinter,
  node: Node,
  nameNode: Node,
  fields: Pick<SymbolDef, "kind" | "visibility"> & { scope?: Scope[]; signature?: SignatureDef },
): SymbolDef {
  const shortName = nameNode.text;
  const scope = fields.scope ?? [];
  const symbol: SymbolDef = {
    name: [...scope.map((s) => s.name), shortName].join("."),
    shortName,
    kind: fields.kind,
    scope,
    visibility: fields.visibility,
    fingerprint: fingerprints.fingerprint(node.startIndex, node.endIndex),
    shape: fingerprints.fingerprint(node.startIndex, node.endIndex, range(nameNode)),
    ...linesOf(node),
  };
  if (fields.signature) symbol.signature = fields.signature;
  return symbol;
}

function readFunction(node: Node, fingerprints: Fingerprinter, symbols: SymbolDef[]): void {
  const nameNode = node.childForFieldName("name");
  // `func _()` (stringer's compile-time checks) can never be referenced.
  if (!nameNode || nameNode.text === "_") return;
  const modifiers: string[] = [];
  const typeParameters = node.childForFieldName("type_parameters");
  if (typeParameters) modifiers.push(`typeparams:${collapse(typeParameters.text)}`);
  symbols.push(
    define(fingerprints, node, nameNode, {
      kind: "function",
      visibility: isExported(nameNode.text) ? "public" : "private",
      signature: readSignature(node, modifiers),
    }),
  );
}

function readMethod(node: Node, fingerprints: Fingerprinter, symbols: SymbolDef[]): void {
  const nameNode = node.childForFieldName("name");
  const receiver = readReceiver(node.childForFieldName("receiver"));
  if (!nameNode || !receiver || nameNode.text === "_") return;
  symbols.push(
    define(fingerprints, node, nameNode, {
      kind: "method",
      // A method declaration attaches to its receiver's type wherever that is declared: an impl, not a struct body.
      scope: [{ kind: "impl", name: receiver.type }],
      visibility: memberVisibility(nameNode.text, receiver.type),
      signature: readSignature(node, receiver.pointer ? ["pointer-receiver"] : []),
    }),
  );
}

/** `(s *Set[K, V])` → Set, pointer. */
function readReceiver(list: Node | null): { type: string; pointer: boolean } | undefined {
  const declaration = list?.namedChildren.find((child) => child?.type === "parameter_declaration");
  let type = declaration?.childForFieldName("type") ?? null;
  let pointer = false;
  while (type) {
    if (type.type === "type_identifier") return { type: type.text, pointer };
    if (type.type === "pointer_type") pointer = true;
    else if (type.type === "generic_type") {
      type = type.childForFieldName("type");
      continue;
    } else if (type.type !== "parenthesized_type") return undefined;
    type = type.namedChildren.find((child) => child?.type !== "comment") ?? null;
  }
  return undefined;
}

function readSignature(node: Node, modifiers: string[]): SignatureDef {
  const result = node.childForFieldName("result");
  return {
    parameters: readParameters(node.childForFieldName("parameters")),
    ...(result ? { returns: collapse(result.text) } : {}),
    modifiers: modifiers.sort(),
  };
}

/**
 * `(a, b int, _ string, ...int)` → a: int, b: int, _2: string, ..._3: int. Unnamed and
 * blank parameters are named by position: callers cannot tell `int` from `_ int`.
 */
function readParameters(list: Node | null): ParameterDef[] {
  const parameters: ParameterDef[] = [];
  for (const child of list?.namedChildren ?? []) {
    if (!child) continue;
    const variadic = child.type === "variadic_parameter_declaration";
    if (!variadic && child.type !== "parameter_declaration") continue;
    const typeNode = child.childForFieldName("type");
    const type = typeNode ? { type: collapse(typeNode.text) } : {};
    const names = child.childrenForFieldName("name").filter((name) => name?.type === "identifier");
    if (names.length === 0) {
      parameters.push({ name: `_${parameters.length}`, ...type, ...(variadic ? { variadic } : {}) });
      continue;
    }
    for (const name of names) {
      const text = name!.text;
      parameters.push({ name: text === "_" ? `_${parameters.length}` : text, ...type, ...(variadic ? { variadic } : {}) });
    }
  }
  return parameters;
}

function readTypes(declaration: Node, fingerprints: Fingerprinter, symbols: SymbolDef[]): void {
  for (const spec of declaration.namedChildren) {
    if (!spec || (spec.type !== "type_spec" && spec.type !== "type_alias")) continue;
    const nameNode = spec.childForFieldName("name");
    if (!nameNode || nameNode.text === "_") continue;
    const name = nameNode.text;
    const typeNode = spec.type === "type_spec" ? spec.childForFieldName("type") : null;
    const kind = typeNode?.type === "struct_type" ? "struct" : typeNode?.type === "interface_type" ? "interface" : "type";
    const typeParameters = spec.childForFieldName("type_parameters");
    // The spec, not the declaration: `type X int` and `type ( X int )` are the same definition.
    symbols.push(
      define(fingerprints, spec, nameNode, {
        kind,
        visibility: isExported(name) ? "public" : "private",
        ...(typeParameters ? { signature: { parameters: [], modifiers: [`typeparams:${collapse(typeParameters.text)}`] } } : {}),
      }),
    );
    if (kind === "interface") readInterfaceMethods(typeNode!, name, fingerprints, symbols);
  }
}

function readInterfaceMethods(body: Node, iface: string, fingerprints: Fingerprinter, symbols: SymbolDef[]): void {
  const scope: Scope[] = [{ kind: "interface", name: iface }];
  for (const element of body.namedChildren) {
    if (element?.type !== "method_elem") continue;
    const nameNode = element.childForFieldName("name");
    if (!nameNode) continue;
    symbols.push(
      define(fingerprints, element, nameNode, {
        kind: "method",
        scope,
        visibility: memberVisibility(nameNode.text, iface),
        signature: readSignature(element, []),
      }),
    );
  }
}

function specNames(spec: Node): Node[] {
  return spec.childrenForFieldName("name").filter((name): name is Node => name?.type === "identifier" && name.text !== "_");
}

/**
 * A constant's value depends on more than its own spec: a spec without a value repeats
 * the previous type and expression list, and `iota` is the spec's index in its block.
 * Both are folded into the fingerprint, so inserting a constant above `B` in an iota
 * block (which does change `B`'s value) reads as a change to `B`.
 */
function readConsts(declaration: Node, source: string, fingerprints: Fingerprinter, symbols: SymbolDef[]): void {
  let inherited = "";
  let usesIota = false;
  let index = -1;
  for (const spec of declaration.namedChildren) {
    if (spec?.type !== "const_spec") continue;
    index += 1;
    const value = spec.childForFieldName("value");
    if (value) {
      const type = spec.childForFieldName("type");
      usesIota = /\biota\b/.test(source.slice(value.startIndex, value.endIndex));
      inherited = `=${type ? fingerprints.normalized(type.startIndex, type.endIndex) : ""}=${fingerprints.normalized(value.startIndex, value.endIndex)}`;
    }
    const context = (value ? "" : inherited) + (usesIota ? `@${index}` : "");
    for (const nameNode of specNames(spec)) {
      const symbol = define(fingerprints, spec, nameNode, { kind: "constant", visibility: isExported(nameNode.text) ? "public" : "private" });
      if (context) {
        symbol.fingerprint = hashText(fingerprints.normalized(spec.startIndex, spec.endIndex) + context);
        symbol.shape = hashText(fingerprints.normalized(spec.startIndex, spec.endIndex, range(nameNode)) + context);
      }
      symbols.push(symbol);
    }
  }
}

function readVars(declaration: Node, fingerprints: Fingerprinter, symbols: SymbolDef[]): void {
  const specs = declaration.namedChildren.flatMap((child) => (child?.type === "var_spec" ? [child] : child?.type === "var_spec_list" ? child.namedChildren : []));
  for (const spec of specs) {
    if (spec?.type !== "var_spec") continue;
    for (const nameNode of specNames(spec)) {
      symbols.push(define(fingerprints, spec, nameNode, { kind: "constant", visibility: isExported(nameNode.text) ? "public" : "private" }));
    }
  }
}

/** Local package name → import path. */
function readImports(specs: readonly Node[]): Map<string, string> {
  const imports = new Map<string, string>();
  for (const spec of specs) {
    const path = unquote(spec.childForFieldName("path")?.text ?? "");
    if (!path) continue;
    const alias = spec.childForFieldName("name")?.text;
    imports.set(alias ?? path.slice(path.lastIndexOf("/") + 1), path);
  }
  return imports;
}

/**
 * Argument positions of each constructor: `String(name, value, usage)`,
 * `StringVarP(&p, name, shorthand, value, usage)`, `Count(name, usage)` (no default),
 * `Var(value, name, usage)`, `TextVar(p, name, value, usage)`, `Func(name, usage, fn)`.
 */
function flagLayout(method: string): { bound: boolean; shorthand: boolean; hasDefault: boolean; arity: number } | undefined {
  const m = FLAG_METHOD_RE.exec(method);
  if (!m) return undefined;
  let bound: boolean;
  let shorthand: boolean;
  let hasDefault: boolean;
  let trailing = 1; // usage
  if (m[1]) {
    bound = m[2] !== undefined;
    shorthand = m[3] !== undefined;
    hasDefault = m[1] !== "Count";
  } else if (m[4]) {
    bound = true;
    shorthand = m[5] !== undefined;
    hasDefault = false;
  } else if (m[6]) {
    bound = true;
    shorthand = m[7] !== undefined;
    hasDefault = true;
  } else {
    bound = false;
    shorthand = m[9] !== undefined;
    hasDefault = false;
    trailing = 2; // usage, fn
  }
  return { bound, shorthand, hasDefault, arity: (bound ? 1 : 0) + 1 + (shorthand ? 1 : 0) + (hasDefault ? 1 : 0) + trailing };
}

function stringValue(node: Node | undefined): string | undefined {
  if (!node || (node.type !== "interpreted_string_literal" && node.type !== "raw_string_literal")) return undefined;
  return unquote(node.text);
}

/** Which library a call goes to, from its receiver and the file's imports; undefined when it is not a flag set at all. */
function flagFramework(operand: Node, shorthand: boolean, imports: ReadonlyMap<string, string>): CliFramework | undefined {
  const text = operand.text;
  const root = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text)?.[0];
  const rootPath = root === undefined ? undefined : imports.get(root);
  if (rootPath === PFLAG) return "pflag";
  if (rootPath === STD_FLAG) return shorthand ? undefined : "flag";
  if (PFLAG_CHAIN.test(text)) return "pflag";
  // A FlagSet in a variable or field: the file's imports say which kind it can be.
  const paths = new Set(imports.values());
  const pflag = paths.has(PFLAG) || paths.has(COBRA);
  if (pflag && (shorthand || !paths.has(STD_FLAG))) return "pflag";
  if (paths.has(STD_FLAG)) return shorthand ? undefined : "flag";
  return pflag ? "pflag" : undefined;
}

function readCliFlags(calls: readonly FlagCall[], imports: ReadonlyMap<string, string>): CliFlagDef[] {
  const flags: CliFlagDef[] = [];
  for (const { operand, method, args, call } of calls) {
    const layout = flagLayout(method);
    if (!layout) continue;
    const values = args.namedChildren.filter((arg): arg is Node => !!arg && arg.type !== "comment");
    // `c.String("name")` (urfave/cli reading a value) and `b.String()` have other arities.
    if (values.length !== layout.arity) continue;
    let at = 0;
    const bound = layout.bound ? values[at++] : undefined;
    const name = stringValue(values[at++]);
    const shorthand = layout.shorthand ? stringValue(values[at++]) : undefined;
    const defaultValue = layout.hasDefault ? values[at++] : undefined;
    if (!name || (layout.shorthand && shorthand === undefined)) continue;
    const framework = flagFramework(operand, layout.shorthand, imports);
    if (!framework) continue;
    const flag: CliFlagDef = {
      name: `${framework === "flag" ? "-" : "--"}${name}`,
      aliases: shorthand ? [`-${shorthand}`] : [],
      framework,
      line: call.startPosition.row + 1,
    };
    if (defaultValue) flag.default = collapse(defaultValue.text);
    flag.dest = bound ? collapse(bound.text).replace(/^&\s*/, "") : name;
    flags.push(flag);
  }
  return flags;
}
