/**
 * Python: imports of the project's packages and every reference reached from an imported
 * name (attribute chains, calls with their keyword names, decorators, base classes,
 * annotations), methods reached through an instance made in the same file (`a = Agent(...)`,
 * `self.a = Agent(...)`), and variables set through `os.environ`. Relative imports are the
 * user's own modules. `getattr`, `importlib.import_module`, `__import__` and `import *` are
 * counted as dynamic, never claimed.
 */
import type { Node } from "web-tree-sitter";
import type { ProjectIdentity, SymbolUse, Use } from "../../types.js";
import { collectNodes, parseWith, same, siteOf, stringValue } from "../code.js";
import { makeSite } from "../site.js";
import type { ReadResult, UsageFile, UsageReader } from "../types.js";

const GRAMMAR = { package: "tree-sitter-python", file: "tree-sitter-python.wasm" };
const TYPES = new Set(["import_statement", "import_from_statement", "identifier", "attribute", "assignment", "call"]);
/** Parents under which an identifier is a name being defined, not a reference. */
const DEFINING = new Set(["dotted_name", "aliased_import", "parameters", "typed_parameter", "lambda_parameters", "global_statement", "nonlocal_statement"]);
/** Parents whose `name` is defined (or a keyword) and whose `value` is a reference. */
const NAMED = new Set(["keyword_argument", "default_parameter", "typed_default_parameter"]);

interface Target {
  module: string;
  path: string[];
}

export const pythonReader: UsageReader = {
  id: "python",
  language: "python",
  kinds: ["symbol", "env-var"],
  accepts: (path) => /\.pyi?$/.test(path),
  async read(file, identity) {
    // Most files import nothing of the project and set no variable: no parse for them.
    if (!mentionsAny(file.text, identity.python) && !file.text.includes("environ") && !file.text.includes("putenv")) return { uses: [], dynamic: 0 };
    const tree = await parseWith(GRAMMAR, file.text);
    try {
      return readPython(tree.rootNode, file, identity);
    } finally {
      tree.delete();
    }
  },
};

export function mentionsAny(text: string, names: readonly string[]): boolean {
  return names.some((name) => text.includes(name));
}

function readPython(root: Node, file: UsageFile, identity: ProjectIdentity): ReadResult {
  const lines = file.text.split("\n");
  const nodes = collectNodes(root.tree, TYPES);
  const uses: Use[] = [];
  let dynamic = 0;
  const bindings = new Map<string, Target>();
  /** Dotted modules imported whole (`import a.b.c`): `a.b.c.X` is module `a.b.c`, path ["X"]. */
  const wholeModules: string[] = [];
  const ours = (module: string): boolean => identity.python.includes(module.split(".")[0]!);
  const symbol = (target: Target, how: SymbolUse["how"], at: Node, namedArgs?: string[]): void => {
    const use: SymbolUse = { kind: "symbol", language: "python", module: target.module, path: target.path, how, site: siteOf(file.path, lines, at) };
    if (namedArgs && namedArgs.length > 0) use.namedArgs = namedArgs;
    uses.push(use);
  };

  for (const node of nodes) {
    if (node.type === "import_statement") {
      for (const child of node.namedChildren) {
        const dotted = child?.type === "aliased_import" ? child.childForFieldName("name") : child;
        if (!dotted || dotted.type !== "dotted_name" || !ours(dotted.text)) continue;
        const module = dotted.text;
        symbol({ module, path: [] }, "import", node);
        if (child!.type === "aliased_import") bindings.set(child!.childForFieldName("alias")!.text, { module, path: [] });
        else {
          const top = module.split(".")[0]!;
          if (!bindings.has(top)) bindings.set(top, { module: top, path: [] });
          wholeModules.push(module);
        }
      }
    } else if (node.type === "import_from_statement") {
      const moduleNode = node.childForFieldName("module_name");
      if (!moduleNode || moduleNode.type !== "dotted_name" || !ours(moduleNode.text)) continue;
      const module = moduleNode.text;
      if (node.namedChildren.some((child) => child?.type === "wildcard_import")) {
        // `from x import *`: which names it binds is not written here.
        symbol({ module, path: [] }, "import", node);
        dynamic++;
        continue;
      }
      for (const child of node.childrenForFieldName("name")) {
        if (!child) continue;
        const nameNode = child.type === "aliased_import" ? child.childForFieldName("name")! : child;
        const local = child.type === "aliased_import" ? child.childForFieldName("alias")!.text : nameNode.text;
        const path = nameNode.text.split(".");
        symbol({ module, path }, "import", node);
        bindings.set(local, { module, path });
      }
    }
  }
  wholeModules.sort((a, b) => b.length - a.length);

  /** The project's thing an expression names (`click.core.Group`, `G`), or undefined. */
  const resolve = (expression: Node): Target | undefined => {
    const parts: string[] = [];
    let cur: Node | null = expression;
    while (cur?.type === "attribute") {
      parts.unshift(cur.childForFieldName("attribute")!.text);
      cur = cur.childForFieldName("object");
    }
    if (cur?.type !== "identifier") return undefined;
    const binding = bindings.get(cur.text);
    return binding ? rebase(binding, parts) : undefined;
  };
  const rebase = (binding: Target, parts: string[]): Target => {
    if (binding.path.length === 0 && binding.module.indexOf(".") === -1) {
      const dotted = [binding.module, ...parts].join(".");
      const whole = wholeModules.find((module) => dotted === module || dotted.startsWith(`${module}.`));
      if (whole) return { module: whole, path: [binding.module, ...parts].slice(whole.split(".").length) };
    }
    return { module: binding.module, path: [...binding.path, ...parts] };
  };

  // Instances made in this file: `a = Agent(...)`, `self.a = Agent(...)`; a name assigned anything else too is ambiguous.
  const instances = new Map<string, Target | null>();
  for (const node of nodes) {
    if (node.type !== "assignment") continue;
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const key = instanceKey(left);
    if (!key) continue;
    const made = right?.type === "call" ? resolve(right.childForFieldName("function")!) : undefined;
    const before = instances.get(key);
    if (!made || (before !== undefined && (before === null || before.module !== made.module || before.path.join(".") !== made.path.join(".")))) instances.set(key, null);
    else instances.set(key, made);
  }

  /** From `start` (a name or `self.x`), the attribute chain and how it ends. */
  const follow = (start: Node, base: Target, instance: boolean): void => {
    const path = [...base.path];
    let cur = start;
    while (cur.parent?.type === "attribute" && same(cur.parent.childForFieldName("object"), cur)) {
      cur = cur.parent;
      path.push(cur.childForFieldName("attribute")!.text);
    }
    if (instance && path.length === base.path.length) return;
    let parts = path.slice(base.path.length);
    const target = instance ? { module: base.module, path } : rebase({ module: base.module, path: base.path }, parts);
    const parent = cur.parent;
    if (parent?.type === "call" && same(parent.childForFieldName("function"), cur)) {
      symbol(target, instance ? "instance" : "call", start, namedArgsOf(parent));
      // `Agent(...).connect(...)`: a method of what the call made.
      const next = parent.parent;
      if (!instance && next?.type === "attribute" && same(next.childForFieldName("object"), parent)) {
        parts = [...target.path, next.childForFieldName("attribute")!.text];
        const call = next.parent?.type === "call" && same(next.parent.childForFieldName("function"), next) ? next.parent : undefined;
        symbol({ module: target.module, path: parts }, "instance", start, call ? namedArgsOf(call) : undefined);
      }
    } else {
      symbol(target, instance ? "instance" : "reference", start);
    }
  };

  for (const node of nodes) {
    if (node.type === "identifier") {
      const parent = node.parent;
      if (!parent || DEFINING.has(parent.type) || parent.type === "import_statement" || parent.type === "import_from_statement") continue;
      if (parent.type === "attribute" && !same(parent.childForFieldName("object"), node)) continue;
      if (NAMED.has(parent.type) && same(parent.childForFieldName("name"), node)) continue;
      if ((parent.type === "function_definition" || parent.type === "class_definition") && same(parent.childForFieldName("name"), node)) continue;
      const binding = bindings.get(node.text);
      if (binding) {
        if (parent.type === "assignment" && same(parent.childForFieldName("left"), node)) continue;
        if (isGetattrObject(node)) {
          dynamic++;
          continue;
        }
        follow(node, binding, false);
        continue;
      }
      const made = instances.get(node.text);
      if (made && !(parent.type === "assignment" && same(parent.childForFieldName("left"), node))) {
        if (isGetattrObject(node)) dynamic++;
        else follow(node, made, true);
      }
    } else if (node.type === "attribute") {
      const key = instanceKey(node);
      const made = key?.startsWith("self.") ? instances.get(key) : undefined;
      if (made && !(node.parent?.type === "assignment" && same(node.parent.childForFieldName("left"), node))) follow(node, made, true);
    } else if (node.type === "call") {
      const fn = node.childForFieldName("function")!;
      const args = node.childForFieldName("arguments");
      const first = args?.namedChildren[0];
      const name = fn.text;
      if (name === "importlib.import_module" || name === "import_module" || name === "__import__") {
        const module = stringValue(first);
        if (module === undefined || ours(module)) dynamic++;
      } else if (/^(os\.)?(environ\.setdefault|putenv)$/.test(name)) {
        const key = stringValue(first);
        if (key !== undefined && first) uses.push({ kind: "env-var", name: key, site: makeSite(file.path, first.startPosition.row + 1, maskAfter(lines, first, ", …)")) });
      }
    } else if (node.type === "assignment") {
      const left = node.childForFieldName("left");
      if (left?.type !== "subscript" || !/^(os\.)?environ$/.test(left.childForFieldName("value")?.text ?? "")) continue;
      const key = stringValue(left.childForFieldName("subscript"));
      if (key !== undefined) uses.push({ kind: "env-var", name: key, site: makeSite(file.path, left.startPosition.row + 1, maskAfter(lines, left, " = …")) });
    }
  }
  return { uses, dynamic };
}

/** `a` or `self.a` as an instance's key; undefined for anything else. */
function instanceKey(node: Node | null | undefined): string | undefined {
  if (node?.type === "identifier") return node.text;
  if (node?.type === "attribute" && node.childForFieldName("object")?.text === "self" && node.childForFieldName("object")?.type === "identifier") return `self.${node.childForFieldName("attribute")!.text}`;
  return undefined;
}

function isGetattrObject(node: Node): boolean {
  const args = node.parent;
  const call = args?.parent;
  return args?.type === "argument_list" && call?.type === "call" && /^(getattr|hasattr|setattr|delattr)$/.test(call.childForFieldName("function")?.text ?? "") && same(args.namedChildren[0], node);
}

function namedArgsOf(call: Node): string[] {
  const args = call.childForFieldName("arguments");
  if (!args) return [];
  return args.namedChildren.filter((child) => child?.type === "keyword_argument").map((child) => child!.childForFieldName("name")!.text);
}

/** The line up to the end of `node` (on its last line), then `tail`: the value assigned never reaches the site. */
function maskAfter(lines: readonly string[], node: Node, tail: string): string {
  const line = lines[node.startPosition.row] ?? "";
  return node.endPosition.row === node.startPosition.row ? `${line.slice(0, node.endPosition.column)}${tail}` : line;
}
