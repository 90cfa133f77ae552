/**
 * C and C++ (and CUDA, read with the C++ grammar): functions and their prototypes (in a
 * header the prototypes are the API), classes, structs and unions, enums, typedefs and
 * `using` aliases, `#define` macros, `const`/`constexpr` globals and static members, and
 * methods, named as C++ writes a reference (`nixl::Agent::createXferReq`). Namespaces are
 * scopes, never symbols. Visibility follows the access specifiers (class members default
 * to private, struct and union members to public, `protected` is internal), anonymous
 * namespaces and `static` free functions and variables (translation-unit local:
 * https://en.cppreference.com/w/cpp/language/storage_duration#Linkage) are private, and
 * namespaces named `detail`, `internal`, `impl`, `details` or `priv` are internal by
 * convention. Out-of-class definitions `T::m(...) { }` are internal unless the class in the
 * same file declares them (the declaration decides). A declaration and a definition of the
 * same function in one file fold into one symbol; overloads stay apart by their parameter
 * types. Command-line options: gflags `DEFINE_<type>(name, default, help)` and Abseil
 * `ABSL_FLAG(type, name, default, help)`. Definitions inside function bodies are local.
 */
import type { Node, Tree } from "web-tree-sitter";
import type { SymbolKind } from "../../types.js";
import { Fingerprinter, collapse, countErrors, findParents, hashText } from "../normalize.js";
import { queryFor } from "../tree-sitter.js";
import type { CliFlagDef, FileStructure, LanguageAdapter, ParameterDef, Scope, SignatureDef, SymbolDef, Visibility } from "../types.js";

type Role =
  | "function"
  | "declaration"
  | "field"
  | "class"
  | "struct"
  | "enum"
  | "namespace"
  | "linkage"
  | "typedef"
  | "alias"
  | "macro"
  | "access"
  | "friend"
  | "broken"
  | "comment"
  | "flag";

/** Where gflags and Abseil define their flags: at file or namespace level. */
const FLAG_PARENTS = ["translation_unit", "declaration_list"];
const FLAG_MACROS = "^(DEFINE_(bool|int32|int64|uint32|uint64|double|string)|ABSL_FLAG)$";

/**
 * The patterns, one role each. Declarations are matched anywhere rather than under the
 * parents where they can be API items: a pattern anchored to a parent stays in progress over
 * the parent's whole subtree and costs more than the local declarations it would leave out,
 * which nesting drops anyway (inside a function's range nothing is a symbol).
 */
function patterns(cpp: boolean): Array<readonly [Role, string]> {
  const list: Array<readonly [Role, string]> = [
    ["function", "(function_definition) @item"],
    ["struct", "(struct_specifier name: (_) body: (_)) @item"],
    ["struct", "(union_specifier name: (_) body: (_)) @item"],
    ["enum", "(enum_specifier name: (_) body: (_)) @item"],
    ["linkage", "(linkage_specification) @item"],
    ["typedef", "(type_definition) @item"],
    ["macro", "(preproc_def) @item"],
    ["macro", "(preproc_function_def) @item"],
    ["comment", "(comment) @item"],
    ["declaration", "(declaration) @item"],
    // A function whose body the grammar could not read: its header and statements lie loose in an ERROR.
    ["broken", "(ERROR (function_declarator) @name) @item"],
  ];
  for (const parent of FLAG_PARENTS) {
    list.push(["flag", `(${parent} (expression_statement (call_expression function: (identifier) @name arguments: (argument_list) @args) @item) (#match? @name "${FLAG_MACROS}"))`]);
  }
  if (cpp) {
    list.push(
      ["class", "(class_specifier name: (_) body: (_)) @item"],
      ["namespace", "(namespace_definition) @item"],
      ["alias", "(alias_declaration) @item"],
      ["friend", "(friend_declaration) @item"],
      // Methods (a function declarator, maybe under `*`/`&`) and static members; plain data members are not symbols.
      ["field", "(field_declaration declarator: [(function_declarator) (pointer_declarator) (reference_declarator)]) @item"],
      ["field", "(field_declaration (storage_class_specifier)) @item"],
      ["access", "(access_specifier) @item"],
    );
  }
  return list;
}

interface Grammar {
  cpp: boolean;
  query: string;
  roles: Role[];
}

function grammarOf(cpp: boolean): Grammar {
  const list = patterns(cpp);
  return { cpp, query: list.map(([, pattern]) => pattern).join("\n"), roles: list.map(([role]) => role) };
}

const C_GRAMMAR = grammarOf(false);
const CPP_GRAMMAR = grammarOf(true);

const VISIBILITY_RANK: Record<Visibility, number> = { private: 0, internal: 1, public: 2 };
function least(a: Visibility, b: Visibility): Visibility {
  return VISIBILITY_RANK[a] <= VISIBILITY_RANK[b] ? a : b;
}

const INTERNAL_NAMESPACES = new Set(["detail", "internal", "impl", "details", "priv"]);
const NAME_TYPES = new Set([
  "identifier",
  "field_identifier",
  "type_identifier",
  "qualified_identifier",
  "destructor_name",
  "operator_name",
  "operator_cast",
  "template_function",
]);
/** CUDA execution-space and inlining keywords: the C++ grammar reads them as a type name. */
const CUDA_BEFORE = /(?:\b__(?:global|device|host|forceinline|noinline)__\s+)+$/;
const CUDA_KEYWORDS = /\b(__global__|__device__|__host__|__forceinline__|__noinline__|__launch_bounds__\s*\([^)]*\))\s*/g;

/** A declarator resolved down to its name: `fn` is the function declarator that applies to the name itself. */
interface Resolved {
  /** The outermost declarator (init_declarator unwrapped). */
  top: Node;
  name: Node;
  fn?: Node;
  /** The `= value` of an init_declarator. */
  value?: Node;
  /** The qualifier of the innermost pointer, if any pointer applies to the name: top-level constness. */
  pointerConst?: boolean;
  /**
   * `EXPORT_MACRO type *name(...)`: the grammar takes the macro for the type and `type` for a
   * scope with a missing `::`. This is that "scope", the real return type.
   */
  misread?: Node;
}

interface Item {
  role: Role;
  node: Node;
  /** The outermost `template <...>` wrapper, or the node. */
  outer: Node;
  /** Template parameter lists, outermost first. */
  templates: Node[];
  start: number;
  end: number;
  resolved?: Resolved[];
  declaratorStart?: number;
}

/** What an item's children inherit. */
interface Context {
  /** Inside a function body (or something skipped): nothing below is a symbol. */
  local: boolean;
  scope: Scope[];
  visibility: Visibility;
  /** The class whose body this is, with its current access. */
  classKind?: "class" | "struct";
  className?: string;
  access?: Visibility;
  externC: boolean;
  friend: boolean;
}

interface Built {
  symbol: SymbolDef;
  key: string;
  /** A definition with a body (or `= default`): its lines win when folding. */
  hasBody: boolean;
  /** `T::m` defined outside its class: the in-class declaration decides visibility. */
  outOfClass: boolean;
}

function makeAdapter(id: "c" | "cpp", language: string, grammarPackage: string, extensions: string[], grammar: Grammar): LanguageAdapter {
  return {
    id,
    language,
    grammar: { package: grammarPackage, file: `${grammarPackage}.wasm` },
    extensions,
    read(tree: Tree, source: string): FileStructure {
      return new Reader(tree, source, grammar).read();
    },
  };
}

export const cAdapter: LanguageAdapter = makeAdapter("c", "C", "tree-sitter-c", ["c"], C_GRAMMAR);

export const cppAdapter: LanguageAdapter = makeAdapter(
  "cpp",
  "C++",
  "tree-sitter-cpp",
  ["cc", "cpp", "cxx", "c++", "h", "hh", "hpp", "hxx", "cu", "cuh", "inl", "ipp"],
  CPP_GRAMMAR,
);

class Reader {
  private readonly items: Item[] = [];
  private readonly comments: Array<[number, number]> = [];
  private readonly flagCalls: Array<{ name: string; args: Node; call: Node }> = [];
  private readonly fingerprints: Fingerprinter;
  /** Qualified class names seen in this file, for the scope kinds of `T::m`. */
  private readonly classKinds = new Map<string, "class" | "struct">();
  private readonly namespaces = new Set<string>();

  constructor(
    private readonly tree: Tree,
    private readonly source: string,
    private readonly grammar: Grammar,
  ) {
    this.collect();
    this.fingerprints = new Fingerprinter(source, this.comments);
  }

  private collect(): void {
    const query = queryFor(this.tree.language, this.grammar.query);
    const seen = new Set<number>();
    for (const match of query.matches(this.tree.rootNode)) {
      const role = this.grammar.roles[match.patternIndex]!;
      let node: Node | undefined;
      let name: Node | undefined;
      let args: Node | undefined;
      for (const capture of match.captures) {
        if (capture.name === "item") node = capture.node;
        else if (capture.name === "name") name = capture.node;
        else if (capture.name === "args") args = capture.node;
      }
      if (!node) continue;
      if (role === "comment") {
        this.comments.push([node.startIndex, node.endIndex]);
        continue;
      }
      if (role === "flag") {
        this.flagCalls.push({ name: name!.text, args: args!, call: node });
        continue;
      }
      if (role === "field") {
        // A static method matches both field patterns.
        if (seen.has(node.id)) continue;
        seen.add(node.id);
      } else if (role === "access" && !this.isMemberAccess(node)) continue;
      if (role === "broken") {
        // From the loose function header to the end of the error: its statements are local.
        this.items.push({ role, node, outer: node, templates: [], start: name!.startIndex, end: node.endIndex });
        continue;
      }
      this.items.push({ role, node, outer: node, templates: [], start: node.startIndex, end: node.endIndex });
    }
    this.items.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** `public:` in a class body, not `public Base` in a base clause. */
  private isMemberAccess(node: Node): boolean {
    const at = node.startIndex + wordAt(this.source, node.startIndex).length;
    const rest = /\s*(:+)/y;
    rest.lastIndex = at;
    return rest.exec(this.source)?.[1] === ":";
  }

  /**
   * `template <...>` wrappers, read only for items that become symbols: the definition's text
   * and lines start at the outermost one, and each parameter list is a modifier.
   */
  private unwrapTemplates(item: Item): void {
    if (!this.grammar.cpp || item.outer !== item.node) return;
    // A `template <...>` (or its `requires` clause) ends right before the node; after `;`, `{`,
    // `}` or an access specifier's `:` there is none, and the tree need not be asked.
    let at = item.node.startIndex - 1;
    while (at >= 0 && /\s/.test(this.source[at]!)) at--;
    if (at < 0 || ";{}:".includes(this.source[at]!)) return;
    let parent = item.node.parent;
    while (parent?.type === "template_declaration") {
      item.outer = parent;
      const parameters = parent.childForFieldName("parameters");
      if (parameters) item.templates.unshift(parameters);
      parent = parent.parent;
    }
    item.start = item.outer.startIndex;
    item.end = item.outer.endIndex;
  }

  /** Where a declaration's declarators begin: what it holds before them is its type (`struct S {...} s;`). */
  private declaratorStart(item: Item): number {
    item.declaratorStart ??= item.node.childForFieldName("declarator")?.startIndex ?? item.end;
    return item.declaratorStart;
  }

  /** The declarators of a declaration that can be symbols: functions, and variables that may be constants. */
  private resolveDeclarators(node: Node): Resolved[] {
    const out: Resolved[] = [];
    for (const declarator of node.childrenForFieldName("declarator")) {
      if (!declarator) continue;
      const resolved = resolveDeclarator(declarator);
      if (!resolved) continue;
      if (resolved.fn || this.isConstantCandidate(node, resolved)) out.push(resolved);
    }
    return out;
  }

  private isConstantCandidate(node: Node, resolved: Resolved): boolean {
    let constant = false;
    let isStatic = false;
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === "type_qualifier") {
        const text = wordAt(this.source, child.startIndex);
        if (text === "constexpr" || text === "constinit") return true;
        if (text === "const") constant = true;
      } else if (child.type === "storage_class_specifier" && wordAt(this.source, child.startIndex) === "static") isStatic = true;
    }
    // A data member is per object; only a static one is a class-level constant.
    if (node.type === "field_declaration" && !isStatic) return false;
    // `const char *p` points at constants but is itself a variable; `const char *const p` is constant.
    return resolved.pointerConst === undefined ? constant : resolved.pointerConst;
  }

  read(): FileStructure {
    const items = this.items;
    const parents = findParents(items);
    const contexts: Context[] = [];
    /** The parent context as it was at each item: a class body's access changes as it goes. */
    const seenFrom: Context[] = [];
    const root: Context = { local: false, scope: [], visibility: "public", externC: false, friend: false };
    const local: Context = { ...root, local: true };
    // Pass 1: what each item gives its children, and the classes and namespaces of this file.
    items.forEach((item, index) => {
      const parentIndex = parents[index]!;
      let parent = parentIndex < 0 ? root : contexts[parentIndex]!;
      const parentItem = parentIndex < 0 ? undefined : items[parentIndex]!;
      // Inside a declaration but past its type: in a lambda of its initialiser, local.
      if (!parent.local && (parentItem?.role === "declaration" || parentItem?.role === "field") && item.start >= this.declaratorStart(parentItem)) parent = local;
      seenFrom.push(parent.classKind !== undefined && !parent.local ? { ...parent } : parent);
      contexts.push(this.contextOf(item, parent));
    });
    // Pass 2: symbols, once every class and namespace of the file is known (for `T::m` before `T`).
    const built: Built[] = [];
    items.forEach((item, index) => {
      const parent = seenFrom[index]!;
      if (parent.local) return;
      if (item.role === "access") return;
      if (item.role === "declaration" || item.role === "field") {
        // `friend void f(A&);` names a function declared elsewhere; only a friend's definition is one here.
        if (parent.friend) return;
        item.resolved = this.resolveDeclarators(item.node);
        if (item.resolved.length === 0) return;
      }
      if (item.role === "function" || item.role === "declaration" || item.role === "field" || item.role === "class" || item.role === "struct" || item.role === "alias") {
        this.unwrapTemplates(item);
      }
      for (const result of this.build(item, parent)) built.push(result);
    });
    return { symbols: fold(built), cliFlags: this.readFlags(), errorCount: countErrors(this.tree) };
  }

  private contextOf(item: Item, parent: Context): Context {
    if (parent.local) return parent;
    switch (item.role) {
      case "function":
        return { ...parent, local: true };
      case "declaration":
      case "field":
      case "enum":
      case "typedef":
      case "alias":
      case "macro":
      case "comment":
      case "flag":
        return parent;
      case "linkage":
        return { ...parent, externC: /^extern\s*"C"(?!\+)/.test(this.source.slice(item.start, item.start + 16)) || parent.externC };
      case "friend":
        return { ...parent, friend: true };
      case "broken":
        return { ...parent, local: true };
      case "access": {
        // Later members of this class body read the new access from the class's context object.
        const text = wordAt(this.source, item.start);
        parent.access = text.startsWith("public") ? "public" : text.startsWith("protected") ? "internal" : "private";
        return parent;
      }
      case "namespace": {
        const nameNode = item.node.childForFieldName("name");
        const parts = nameNode ? (nameNode.type === "nested_namespace_specifier" ? nameNode.namedChildren.map((n) => n?.text ?? "") : [nameNode.text]) : [];
        let visibility = parent.visibility;
        if (parts.length === 0) visibility = "private";
        else if (parts.some((part) => INTERNAL_NAMESPACES.has(part))) visibility = least(visibility, "internal");
        // `inline namespace v1` is written through: `ns::f`, not `ns::v1::f`.
        const inline = nameNode !== null && item.node.firstChild?.type === "inline";
        const scope = inline ? parent.scope : [...parent.scope, ...parts.map((name): Scope => ({ kind: "namespace", name }))];
        if (parts.length > 0) this.namespaces.add(scope.map((s) => s.name).join("::"));
        return { local: false, scope, visibility, externC: parent.externC, friend: false };
      }
      case "class":
      case "struct": {
        const name = typeName(item.node.childForFieldName("name")!, false, this.source);
        const kind: "class" | "struct" = item.role === "class" ? "class" : "struct";
        const visibility = memberVisibility(parent);
        const scope = [...parent.scope, { kind, name }];
        this.classKinds.set(scope.map((s) => s.name).join("::"), kind);
        return {
          local: false,
          scope,
          visibility,
          classKind: kind,
          className: name,
          access: kind === "class" ? "private" : "public",
          externC: parent.externC,
          friend: false,
        };
      }
    }
  }

  private build(item: Item, parent: Context): Built[] {
    const node = item.node;
    switch (item.role) {
      case "class":
      case "struct": {
        const nameNode = node.childForFieldName("name")!;
        const name = typeName(nameNode, false, this.source);
        const kind: SymbolKind = item.role === "class" ? "class" : "struct";
        return [this.simple(item, parent, name, nameNode, kind, memberVisibility(parent))];
      }
      case "enum": {
        const nameNode = node.childForFieldName("name")!;
        return [this.simple(item, parent, typeName(nameNode, false, this.source), nameNode, "enum", memberVisibility(parent))];
      }
      case "alias": {
        const nameNode = node.childForFieldName("name");
        return nameNode ? [this.simple(item, parent, nameNode.text, nameNode, "type", memberVisibility(parent))] : [];
      }
      case "typedef": {
        const out: Built[] = [];
        for (const declarator of node.childrenForFieldName("declarator")) {
          const resolved = declarator ? resolveDeclarator(declarator) : undefined;
          if (resolved) out.push(this.simple(item, parent, resolved.name.text, resolved.name, "type", memberVisibility(parent)));
        }
        return out;
      }
      case "macro": {
        const nameNode = node.childForFieldName("name");
        if (!nameNode || this.isIncludeGuard(node, nameNode)) return [];
        // The preprocessor knows no scopes: a macro is named alone wherever it is defined.
        return [this.simple(item, { ...parent, scope: [] }, nameNode.text, nameNode, "macro", "public")];
      }
      case "function": {
        const declarator = node.childForFieldName("declarator");
        const resolved = declarator ? resolveDeclarator(declarator) : undefined;
        // A body under a declarator without a function (macro soup the grammar could not read) is no symbol.
        if (!resolved?.fn) return [];
        const built = this.callable(item, parent, resolved, true);
        return built ? [built] : [];
      }
      case "declaration":
      case "field": {
        const out: Built[] = [];
        for (const resolved of item.resolved ?? []) {
          const built = resolved.fn ? this.callable(item, parent, resolved, false) : this.constant(item, parent, resolved);
          if (built) out.push(built);
        }
        return out;
      }
      default:
        return [];
    }
  }

  private isIncludeGuard(node: Node, nameNode: Node): boolean {
    if (node.type !== "preproc_def" || node.childForFieldName("value")) return false;
    const parent = node.parent;
    if (parent?.type === "preproc_ifdef") return parent.childForFieldName("name")?.text === nameNode.text;
    if (parent?.type === "preproc_if") return (parent.childForFieldName("condition")?.text ?? "").includes(nameNode.text);
    return false;
  }

  /**
   * Fingerprint and shape with one pass over the text: the shape blanks the name, the
   * fingerprint hashes the shape with the name (a long body is hashed once, not twice).
   */
  private prints(item: Item, nameNode: Node): { fingerprint: string; shape: string } {
    const nameStart = nameNode.startIndex;
    const nameEnd = nameNode.endIndex;
    if (nameStart < item.start || nameEnd > item.end) {
      return { fingerprint: this.fingerprints.fingerprint(item.start, item.end), shape: this.fingerprints.fingerprint(item.start, item.end, [nameStart, nameEnd]) };
    }
    const shape = hashText(`${this.fingerprints.normalized(item.start, nameStart)}\u0001${this.fingerprints.normalized(nameEnd, item.end)}`);
    // The shape covers everything but the name, so the shape and the name together are the text.
    return { fingerprint: hashText(`${shape}\u0001${this.source.slice(nameStart, nameEnd).replace(/\s+/g, "")}`), shape };
  }

  private simple(item: Item, parent: Context, shortName: string, nameNode: Node, kind: SymbolKind, visibility: Visibility): Built {
    const symbol: SymbolDef = {
      name: qualify(parent.scope, shortName),
      shortName,
      kind,
      scope: parent.scope,
      visibility,
      ...this.prints(item, nameNode),
      ...linesOf(item.outer),
    };
    return { symbol, key: `${kind} ${symbol.name}`, hasBody: true, outOfClass: false };
  }

  /** Scope and visibility of a name that may be qualified (`T::m`, `ns::f`), written in `parent`. */
  private placeName(parent: Context, nameNode: Node, templated: boolean): {
    scope: Scope[];
    own: Node;
    shortName: string;
    qualified: boolean;
    visibility: Visibility;
    inNamespace: boolean;
    /** `Vec<T>::get`: scopes with template arguments, whose `template <...>` lists are the class's, not the member's. */
    templateScopes: number;
  } {
    const scope = [...parent.scope];
    let own = nameNode;
    let qualified = false;
    let inNamespace = false;
    let templateScopes = 0;
    while (own.type === "qualified_identifier") {
      const scopeNode = own.childForFieldName("scope");
      const next = own.childForFieldName("name");
      if (!next) break;
      if (scopeNode) {
        qualified = true;
        if (scopeNode.type === "template_type") templateScopes += 1;
        const name = typeName(scopeNode, templated, this.source);
        const path = [...scope.map((s) => s.name), name].join("::");
        const known = this.classKinds.get(path) ?? this.classKinds.get(name);
        const isNamespace = !known && (this.namespaces.has(path) || this.namespaces.has(name));
        inNamespace = isNamespace;
        scope.push({ kind: isNamespace ? "namespace" : (known ?? "class"), name });
      }
      own = next;
    }
    let visibility: Visibility;
    if (qualified && !inNamespace) visibility = least(parent.visibility, "internal");
    else visibility = memberVisibility(parent);
    // `int detail::helper() {}`: the namespace written in the name counts as if the definition were inside it.
    if (inNamespace && scope.some((s) => s.kind === "namespace" && INTERNAL_NAMESPACES.has(s.name))) visibility = least(visibility, "internal");
    return { scope, own, shortName: ownName(own, this.source), qualified, visibility, inNamespace, templateScopes };
  }

  private callable(item: Item, parent: Context, resolved: Resolved, isDefinition: boolean): Built | undefined {
    const node = item.node;
    const fn = resolved.fn!;
    const inClass = parent.classKind !== undefined && !parent.friend;
    const placed = this.placeName(parent, resolved.name, isPrimaryTemplate(item));
    const typeNode = node.childForFieldName("type");
    const hasType = typeNode !== null;
    if (!hasType) {
      // Without a return type only constructors, destructors and conversions are functions; the rest are macro calls.
      const special = placed.own.type === "destructor_name" || placed.own.type === "operator_cast";
      const ctor = inClass ? placed.shortName === parent.className : placed.qualified && placed.shortName === placed.scope[placed.scope.length - 1]?.name;
      if (!special && !ctor) return undefined;
    }
    let scope = placed.scope;
    let visibility = placed.visibility;
    let kind: SymbolKind;
    if (parent.friend) {
      // A friend defined in a class is a free function of the enclosing namespace, found by argument lookup.
      scope = parent.scope.filter((s) => s.kind === "namespace");
      visibility = parent.visibility;
      kind = "function";
    } else if (inClass) kind = "method";
    else if (placed.qualified && !placed.inNamespace) kind = "method";
    else kind = "function";
    const signature = this.signature(item, resolved, fn, parent, typeNode, placed.templateScopes);
    if (!inClass && !parent.friend && !placed.qualified && signature.modifiers.includes("static")) visibility = "private";
    const name = qualify(scope, placed.shortName);
    const symbol: SymbolDef = {
      name,
      shortName: placed.shortName,
      kind,
      scope,
      visibility,
      signature,
      ...this.prints(item, placed.own),
      ...linesOf(item.outer),
    };
    const qualifiers = signature.modifiers.filter((m) => m === "const" || m === "&" || m === "&&").join(" ");
    const key = `callable ${name}(${signature.parameters.map((p) => (p.variadic ? `...${p.type ?? ""}` : (p.type ?? ""))).join(",")})${qualifiers}`;
    return { symbol, key, hasBody: isDefinition, outOfClass: placed.qualified && !placed.inNamespace };
  }

  private constant(item: Item, parent: Context, resolved: Resolved): Built | undefined {
    const placed = this.placeName(parent, resolved.name, isPrimaryTemplate(item));
    let visibility = placed.visibility;
    if (parent.classKind === undefined && !placed.qualified && hasStorage(item.node, "static", this.source)) visibility = "private";
    const symbol: SymbolDef = {
      name: qualify(placed.scope, placed.shortName),
      shortName: placed.shortName,
      kind: "constant",
      scope: placed.scope,
      visibility,
      ...this.prints(item, placed.own),
      ...linesOf(item.outer),
    };
    return { symbol, key: `constant ${symbol.name}`, hasBody: resolved.value !== undefined, outOfClass: placed.qualified && !placed.inNamespace };
  }

  private signature(item: Item, resolved: Resolved, fn: Node, parent: Context, typeNode: Node | null, classTemplates: number): SignatureDef {
    const node = item.node;
    const modifiers = new Set<string>();
    // The member's own templates: in `template <class T> template <class U> void A<T>::f(U)`, `<class U>`.
    for (const list of item.templates.slice(classTemplates)) modifiers.add(`template:${collapse(list.text)}`);
    if (parent.externC) modifiers.add('extern "C"');
    const typeStart = typeNode?.startIndex ?? Infinity;
    const qualifiers: string[] = [];
    let errorAfterType = false;
    for (const child of node.children) {
      if (!child) continue;
      switch (child.type) {
        case "ERROR":
          if (child.startIndex > typeStart && child.startIndex < resolved.top.startIndex) errorAfterType = true;
          break;
        case "storage_class_specifier": {
          const text = wordAt(this.source, child.startIndex);
          if (text === "static" || text === "inline") modifiers.add(text);
          break;
        }
        case "virtual":
          modifiers.add("virtual");
          break;
        case "explicit_function_specifier":
          modifiers.add("explicit");
          break;
        case "type_qualifier": {
          const text = wordAt(this.source, child.startIndex);
          // `const char *f()`; a qualifier after the type (`char const *`) is in the type's text below.
          if (text === "const" || text === "volatile") {
            if (child.startIndex < typeStart) qualifiers.push(text);
          }
          else if (text === "constexpr" || text === "consteval") modifiers.add(text);
          break;
        }
        case "default_method_clause":
          modifiers.add("= default");
          break;
        case "delete_method_clause":
          modifiers.add("= delete");
          break;
      }
    }
    // `virtual void f() = 0;`, `T &operator=(T&&) = default;` outside the class, `= delete` under a template.
    const value = resolved.value ?? (node.type === "field_declaration" ? node.childForFieldName("default_value") : null);
    if (value) {
      const text = value.type === "number_literal" ? collapse(value.text) : wordAt(this.source, value.startIndex);
      if (text === "0") modifiers.add("= 0");
      else if (text === "default") modifiers.add("= default");
      else if (text === "delete" || value.type === "delete_expression") modifiers.add("= delete");
    }
    let trailing: Node | undefined;
    let parametersNode: Node | null = null;
    const fnChildren = fn.children;
    for (const child of fnChildren) {
      if (!child) continue;
      switch (child.type) {
        case "parameter_list":
          parametersNode = child;
          break;
        case "type_qualifier":
          if (wordAt(this.source, child.startIndex) === "const") modifiers.add("const");
          break;
        case "noexcept":
          NOEXCEPT_FALSE.lastIndex = child.startIndex;
          if (!NOEXCEPT_FALSE.test(this.source)) modifiers.add("noexcept");
          break;
        case "virtual_specifier":
          modifiers.add(wordAt(this.source, child.startIndex));
          break;
        case "ref_qualifier":
          modifiers.add(this.source.startsWith("&&", child.startIndex) ? "&&" : "&");
          break;
        case "trailing_return_type":
          trailing = child;
          break;
      }
    }
    let returns: string | undefined;
    const misread = resolved.misread;
    // CUDA's `__global__` and friends, wherever the grammar put them: in the type, or (in a
    // class body) split off before the definition as a field of their own.
    const cudaText = (typeNode ? this.source.slice(typeNode.startIndex, resolved.top.startIndex) : "") + " " + (CUDA_BEFORE.exec(this.source.slice(Math.max(0, item.start - 96), item.start))?.[0] ?? "");
    if (cudaText.includes("__")) {
      for (const match of cudaText.matchAll(CUDA_KEYWORDS)) modifiers.add(match[1]!.replace(/\s*\(.*$/, ""));
    }
    if (misread) {
      // `EXPORT_MACRO type *name(...)`: the misread scope and what follows it up to the name.
      const ops = fn.startIndex > misread.endIndex ? this.source.slice(misread.endIndex, fn.startIndex) : "";
      returns = normalizeType(`${misread.text} ${ops}`);
    } else if (trailing) returns = normalizeType(trailing.text.replace(/^->/, ""));
    else if (typeNode) {
      // `EXPORT_MACRO void f()` and `__global__ void f()`: the grammar takes the macro for the
      // type and leaves the real one in an ERROR before the declarator.
      const typeText = errorAfterType
        ? this.source.slice(typeNode.endIndex, resolved.top.startIndex)
        : this.source.slice(typeNode.startIndex, resolved.top.startIndex);
      const ops = this.source.slice(resolved.top.startIndex, fn.startIndex) + this.source.slice(fn.endIndex, resolved.top.endIndex);
      returns = normalizeType(`${qualifiers.join(" ")} ${typeText} ${ops}`.replace(CUDA_KEYWORDS, ""));
    }
    const parameters = parametersNode ? readParameters(parametersNode, this.source) : [];
    const signature: SignatureDef = { parameters, modifiers: [...modifiers].sort() };
    if (returns) signature.returns = returns;
    return signature;
  }

  private readFlags(): CliFlagDef[] {
    const flags: CliFlagDef[] = [];
    for (const { name, args, call } of this.flagCalls) {
      const values = args.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
      const absl = name === "ABSL_FLAG";
      const flagName = values[absl ? 1 : 0];
      const defaultValue = values[absl ? 2 : 1];
      if (!flagName || flagName.type !== "identifier") continue;
      const flag: CliFlagDef = { name: `--${flagName.text}`, aliases: [], framework: "flag", line: call.startPosition.row + 1 };
      if (defaultValue) flag.default = collapse(defaultValue.text);
      // Both libraries give the value a `FLAGS_<name>` variable.
      flag.dest = `FLAGS_${flagName.text}`;
      flags.push(flag);
    }
    return flags;
  }
}

/** Class-level access (with the class's own visibility), or the enclosing namespace's. */
function memberVisibility(parent: Context): Visibility {
  if (parent.classKind === undefined) return parent.visibility;
  return least(parent.visibility, parent.access ?? (parent.classKind === "class" ? "private" : "public"));
}

function hasStorage(node: Node, keyword: string, source: string): boolean {
  for (const child of node.children) {
    if (child?.type === "storage_class_specifier" && wordAt(source, child.startIndex) === keyword) return true;
  }
  return false;
}

const WORD = /[A-Za-z_$][\w$]*/y;
const NOEXCEPT_FALSE = /noexcept\s*\(\s*false\s*\)/y;

/**
 * The identifier or keyword starting at `index`: a keyword node's or an identifier's text
 * without asking the tree for its end (each such question is a call into WebAssembly).
 */
function wordAt(source: string, index: number): string {
  WORD.lastIndex = index;
  return WORD.exec(source)?.[0] ?? "";
}

function qualify(scope: readonly Scope[], name: string): string {
  return scope.length === 0 ? name : `${scope.map((s) => s.name).join("::")}::${name}`;
}

/**
 * A type or scope name: `Foo<T>` under a template is the template itself (`Foo`, as its
 * members are named in the class), an explicit specialisation `Foo<int>` keeps its arguments.
 */
function typeName(node: Node, templated: boolean, source: string): string {
  if (node.type === "template_type") {
    const base = node.childForFieldName("name")?.text ?? node.text;
    return templated ? base : normalizeType(node.text);
  }
  return node.type === "namespace_identifier" || node.type === "type_identifier" || node.type === "identifier" ? wordAt(source, node.startIndex) : normalizeType(node.text);
}

/** A declarator's own name as written: `~Agent`, `operator==`, `operator bool`, `get<int>`. */
function ownName(node: Node, source: string): string {
  switch (node.type) {
    case "identifier":
    case "field_identifier":
    case "type_identifier":
      return wordAt(source, node.startIndex);
    case "destructor_name":
      return `~${node.text.replace(/^~\s*/, "")}`;
    case "operator_cast": {
      const type = node.childForFieldName("type");
      return `operator ${normalizeType(type?.text ?? "")}`;
    }
    case "operator_name": {
      const rest = collapse(node.text.replace(/^operator/, ""));
      return /^[A-Za-z_]/.test(rest) ? `operator ${rest.replace(/\s*(\[\])/, "$1")}` : `operator${rest.replace(/\s+/g, "")}`;
    }
    default:
      return normalizeType(node.text);
  }
}

/**
 * Walks a declarator down to its name: through pointers, references, arrays, parentheses and
 * initialisers. `fn` is set when a function declarator applies to the name itself (a function,
 * not a pointer to one: `int (*fp)(int)` is a variable).
 */
function resolveDeclarator(declarator: Node): Resolved | undefined {
  let node: Node | null = declarator;
  let top = declarator;
  let value: Node | undefined;
  let pointerConst: boolean | undefined;
  let misread: Node | undefined;
  if (node.type === "init_declarator") {
    value = node.childForFieldName("value") ?? undefined;
    node = node.childForFieldName("declarator");
    if (!node) return undefined;
    top = node;
  }
  for (let depth = 0; node && depth < 32; depth++) {
    switch (node.type) {
      case "function_declarator": {
        const inner: Node | null = node.childForFieldName("declarator");
        if (inner?.type === "qualified_identifier" && inner.hasError) {
          // `EXPORT_MACRO type name(...)`, see `misread`.
          let last: Node | null = inner;
          while (last?.type === "qualified_identifier") last = last.childForFieldName("name");
          const scope = inner.childForFieldName("scope");
          if (last && scope && (last.type === "identifier" || last.type === "field_identifier")) {
            return { top, name: last, fn: node, ...(value ? { value } : {}), misread: scope };
          }
        }
        if (inner && NAME_TYPES.has(inner.type)) return { top, name: inner, fn: node, ...(value ? { value } : {}), ...(misread ? { misread } : {}) };
        node = inner;
        break;
      }
      case "operator_cast": {
        // `explicit operator bool() const;`: the name carries its own function declarator.
        const inner = node.childForFieldName("declarator");
        return inner?.type === "abstract_function_declarator" ? { top, name: node, fn: inner, ...(value ? { value } : {}) } : undefined;
      }
      case "qualified_identifier": {
        let last: Node | null = node;
        while (last?.type === "qualified_identifier") last = last.childForFieldName("name");
        if (node.hasError && last) {
          misread = node.childForFieldName("scope") ?? undefined;
          if (last.type === "identifier" || last.type === "field_identifier" || last.type === "type_identifier") {
            return { top, name: last, ...(value ? { value } : {}), ...(misread ? { misread } : {}) };
          }
          node = last;
          break;
        }
        if (last?.type === "operator_cast") {
          const inner = last.childForFieldName("declarator");
          if (inner?.type === "abstract_function_declarator") return { top, name: node, fn: inner, ...(value ? { value } : {}) };
        }
        return { top, name: node, ...(value ? { value } : {}), ...(pointerConst !== undefined ? { pointerConst } : {}) };
      }
      case "pointer_declarator":
      case "pointer_type_declarator": {
        let isConst = false;
        for (const child of node.children) if (child?.type === "type_qualifier" && child.text === "const") isConst = true;
        pointerConst = isConst;
        node = node.childForFieldName("declarator");
        break;
      }
      case "array_declarator":
      case "attributed_declarator":
        node = node.childForFieldName("declarator") ?? node.namedChild(0);
        break;
      case "reference_declarator":
      case "parenthesized_declarator": {
        const named: Node[] = node.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
        node = named[named.length - 1] ?? null;
        break;
      }
      default:
        if (NAME_TYPES.has(node.type)) return { top, name: node, ...(value ? { value } : {}), ...(pointerConst !== undefined ? { pointerConst } : {}) };
        return undefined;
    }
  }
  return undefined;
}

/** The identifier a parameter's declarator names, if any, by walking the declarator. */
function parameterName(declarator: Node | null): Node | undefined {
  let node = declarator;
  for (let depth = 0; node && depth < 32; depth++) {
    switch (node.type) {
      case "identifier":
        return node;
      case "pointer_declarator":
      case "array_declarator":
      case "function_declarator":
      case "attributed_declarator":
        node = node.childForFieldName("declarator");
        break;
      case "reference_declarator":
      case "parenthesized_declarator":
      case "variadic_declarator": {
        const named: Node[] = node.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
        node = named[named.length - 1] ?? null;
        break;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `*const name[4]`, `&&... args`: without parentheses the name is the declarator's last identifier. */
const TRAILING_NAME = /([A-Za-z_$][\w$]*)\s*(?:\[[^\]]*\]\s*)*$/;
const SIMPLE_DECLARATORS = new Set(["pointer_declarator", "reference_declarator", "array_declarator", "variadic_declarator"]);

/**
 * Parameters from their text, the tree giving only where each starts: a parameter ends where
 * the next `,` or `)` begins, and the name is found in the declarator's text (the tree is
 * walked only for declarators with parentheses, `void (*cb)(int)`).
 */
function readParameters(list: Node, source: string): ParameterDef[] {
  const parameters: ParameterDef[] = [];
  const children = list.children;
  for (let index = 0; index < children.length; index++) {
    const child = children[index];
    if (!child) continue;
    switch (child.type) {
      case "parameter_declaration":
      case "optional_parameter_declaration":
      case "variadic_parameter_declaration": {
        const start = child.startIndex;
        const end = children[index + 1]?.startIndex ?? child.endIndex;
        const declarator = child.childForFieldName("declarator");
        const defaultNode = child.type === "optional_parameter_declaration" ? child.childForFieldName("default_value") : null;
        // The declaration without `= default`.
        const declarationEnd = defaultNode ? defaultNode.startIndex : end;
        let nameStart = -1;
        let nameEnd = -1;
        if (declarator?.type === "identifier") {
          nameStart = declarator.startIndex;
          nameEnd = nameStart + wordAt(source, nameStart).length;
        } else if (declarator && SIMPLE_DECLARATORS.has(declarator.type) && !source.slice(declarator.startIndex, declarationEnd).includes("(")) {
          const match = TRAILING_NAME.exec(source.slice(declarator.startIndex, declarationEnd).replace(/=\s*$/, ""));
          if (match) {
            nameStart = declarator.startIndex + match.index;
            nameEnd = nameStart + match[1]!.length;
          }
        } else if (declarator) {
          const name = parameterName(declarator);
          if (name) {
            nameStart = name.startIndex;
            nameEnd = name.endIndex;
          }
        }
        let typeText = nameStart >= 0 ? source.slice(start, nameStart) + source.slice(nameEnd, declarationEnd) : source.slice(start, declarationEnd);
        if (defaultNode) typeText = typeText.replace(/=\s*$/, "");
        const type = normalizeType(typeText);
        if (nameStart < 0 && type === "void" && parameters.length === 0) continue;
        const parameter: ParameterDef = { name: nameStart >= 0 ? source.slice(nameStart, nameEnd) : "", type };
        if (defaultNode) parameter.default = collapse(source.slice(defaultNode.startIndex, end));
        if (child.type === "variadic_parameter_declaration") parameter.variadic = true;
        parameters.push(parameter);
        break;
      }
      case "variadic_parameter":
      case "...":
        parameters.push({ name: "...", variadic: true });
        break;
    }
  }
  return parameters;
}

/**
 * A type as written with its spacing made canonical, so `const char* p` and `const char *p`
 * read the same: no spaces around punctuation, one after commas, one before a run of `*`/`&`.
 */
export function normalizeType(text: string): string {
  let normal = normalTypes.get(text);
  if (normal === undefined) {
    // The same few types recur through a history: remember them, within bounds.
    if (normalTypes.size >= 20000) normalTypes.clear();
    normal = spaceType(text);
    normalTypes.set(text, normal);
  }
  return normal;
}

const normalTypes = new Map<string, string>();

function spaceType(text: string): string {
  return collapse(text)
    .replace(/\s*(::|[*&,<>()[\]])\s*/g, "$1")
    .replace(/,/g, ", ")
    .replace(/([\w>\])])([*&]+)/g, "$1 $2")
    .replace(/([*&])(?=[A-Za-z_])/g, "$1 ")
    .trim();
}

/** Lines of a node; a preprocessor line's node ends after its newline, on the next row. */
function linesOf(node: Node): { startLine: number; endLine: number } {
  const start = node.startPosition.row;
  const end = node.endPosition;
  return { startLine: start + 1, endLine: end.column === 0 && end.row > start ? end.row : end.row + 1 };
}

/**
 * One symbol per name and kind, and per parameter list for functions: a prototype and its
 * definition in one file, or the two arms of an `#if`, are one definition. The in-class
 * declaration decides visibility and modifiers; the definition with a body gives the lines.
 */
function fold(built: Built[]): SymbolDef[] {
  const byKey = new Map<string, Built>();
  const order: Built[] = [];
  for (const entry of built) {
    const existing = byKey.get(entry.key);
    if (!existing) {
      byKey.set(entry.key, entry);
      order.push(entry);
      continue;
    }
    const a = existing.symbol;
    const b = entry.symbol;
    // Order-independent: moving the definition above its prototype changes nothing.
    a.fingerprint = hashText([a.fingerprint, b.fingerprint].sort().join(" "));
    a.shape = hashText([a.shape, b.shape].sort().join(" "));
    if (existing.outOfClass && !entry.outOfClass) {
      a.visibility = b.visibility;
      a.kind = b.kind;
      a.scope = b.scope;
      existing.outOfClass = false;
    } else if (existing.outOfClass === entry.outOfClass) {
      // Two arms of an `#if`, or a prototype and its definition: the most visible one.
      if (VISIBILITY_RANK[b.visibility] > VISIBILITY_RANK[a.visibility]) a.visibility = b.visibility;
    }
    if (entry.hasBody && !existing.hasBody) {
      a.startLine = b.startLine;
      a.endLine = b.endLine;
      existing.hasBody = true;
    }
    if (a.signature && b.signature) a.signature = mergeSignatures(a.signature, b.signature);
  }
  return order.map((entry) => entry.symbol);
}

function mergeSignatures(a: SignatureDef, b: SignatureDef): SignatureDef {
  const parameters = a.parameters.map((p, index) => {
    const q = b.parameters[index];
    if (!q) return p;
    const merged: ParameterDef = { ...p };
    if (!merged.name && q.name) merged.name = q.name;
    if (merged.default === undefined && q.default !== undefined) merged.default = q.default;
    return merged;
  });
  const signature: SignatureDef = { parameters, modifiers: [...new Set([...a.modifiers, ...b.modifiers])].sort() };
  const returns = a.returns ?? b.returns;
  if (returns) signature.returns = returns;
  return signature;
}

/** Under `template <typename T>` (not `template <>`, an explicit specialisation, which keeps its arguments). */
function isPrimaryTemplate(item: Item): boolean {
  return item.templates.some((list) => !/^<\s*>$/.test(list.text));
}
