/**
 * Which of a commit's changes touch what the user's code uses (issue 14). Stands on the facts
 * alone: a symbol change names its file, qualified name and what changed; a surface change
 * names the variable, flag or key. A match is claimed only where the user's use resolves to
 * the same thing by its module path (Python, Go), package and exported name (TS/JS, Rust), or
 * qualified name (C/C++) — never by a bare short name — so a user's own `Group` or a `--port`
 * of another program is never "affected".
 *
 * breaking (lifted to the top): removed, renamed, moved out of the module the user imports,
 * a breaking signature change, a default the user's call relies on, a flag's choices removed,
 * a variable the user sets no longer read or renamed. Mentioned only: a member added to what
 * the user uses, its code changed, a compatible signature change, a default the user passes
 * explicitly anyway, a variable the project now reads that the user already sets.
 */
import type { CommitFacts, SurfaceChange, SymbolChange } from "../facts/types.js";
import type { Lang } from "../i18n/lang.js";
import type { AffectedUse, ProjectIdentity, SymbolUse, Use, UsageIndex, UseSite } from "./types.js";

/** Uses shown per affected name; the rest are counted. */
const USES_SHOWN = 3;

export interface UsageContext {
  identity: ProjectIdentity;
  indexes: readonly UsageIndex[];
  /**
   * What the project's packages re-export (`click.Option` → `click.core`), read from their
   * `__init__.py`: a use through a package reaches a changed definition only where the package
   * says it takes that name from the changed module. Absent: no use through a package matches.
   */
  reexports?: ReadonlyMap<string, string>;
}

interface Found {
  use: Use;
  label: string;
}

interface Candidate {
  kind: AffectedUse["kind"];
  name: string;
  change: AffectedUse["change"];
  detail: string;
  breaking: boolean;
  origin: { file: string; line?: number };
  found: Found[];
}

/** The commit's changes that touch the user's uses, breaking first, then by name. */
export function matchUsage(facts: CommitFacts, context: UsageContext, lang: Lang): AffectedUse[] {
  const words = WORDS[lang];
  const candidates: Candidate[] = [];
  const uses = context.indexes.flatMap((index) => index.uses.map((use) => ({ use, label: index.label })));
  const symbolUses = uses.filter((item): item is { use: SymbolUse; label: string } => item.use.kind === "symbol");
  if (symbolUses.length > 0) {
    // A module that gains (or changes) `__getattr__` as it drops names most often keeps serving
    // them, deprecated: their removal is not claimed to break anything.
    const shimmed = new Set(
      facts.symbols.filter((change) => change.language === "Python" && change.name === "__getattr__" && change.change !== "removed").map((change) => change.origin.file),
    );
    for (const change of facts.symbols) {
      const candidate = matchSymbol(change, symbolUses, context, words, shimmed);
      if (candidate) candidates.push(candidate);
    }
  }
  const surfaceUses = uses.filter((item) => item.use.kind !== "symbol");
  if (surfaceUses.length > 0) {
    for (const change of settledSurface(facts.surface)) {
      const candidate = matchSurface(change, surfaceUses, words);
      if (candidate) candidates.push(candidate);
    }
  }
  return merge(candidates)
    .map((candidate) => toAffected(candidate))
    .sort((a, b) => Number(b.breaking) - Number(a.breaking) || a.name.localeCompare(b.name));
}

/** The commit changes something the user's code uses in a way that can break it. */
export function isLifted(affects: readonly AffectedUse[] | undefined): boolean {
  return affects?.some((item) => item.breaking) ?? false;
}

function toAffected(candidate: Candidate): AffectedUse {
  const sorted = [...candidate.found].sort(
    (a, b) => a.label.localeCompare(b.label) || a.use.site.file.localeCompare(b.use.site.file) || a.use.site.line - b.use.site.line,
  );
  const unique = sorted.filter(
    (item, index) => index === 0 || item.label !== sorted[index - 1]!.label || item.use.site.file !== sorted[index - 1]!.use.site.file || item.use.site.line !== sorted[index - 1]!.use.site.line,
  );
  return {
    kind: candidate.kind,
    name: candidate.name,
    change: candidate.change,
    detail: candidate.detail,
    breaking: candidate.breaking,
    origin: candidate.origin,
    uses: unique.slice(0, USES_SHOWN).map((item) => ({ label: item.label, site: item.use.site })),
    totalUses: unique.length,
  };
}

/** One entry per (kind, name, change): a name removed in two files of one commit is one line. */
function merge(candidates: readonly Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const key = `${candidate.kind}\u0000${candidate.name}\u0000${candidate.change}`;
    const held = byKey.get(key);
    if (held) held.found.push(...candidate.found);
    else byKey.set(key, { ...candidate, found: [...candidate.found] });
  }
  return [...byKey.values()];
}

// ---- symbols ---------------------------------------------------------------------------

/** How a use's path relates to a changed definition's: it names it, reaches inside it, or names what contains it. */
type Relation = "same" | "inside" | "container";

interface SymbolMatch {
  relation: Relation;
  /** The use reached it through a parent package (a re-export), not the module that defines it. */
  reexport: boolean;
  found: { use: SymbolUse; label: string };
}

function matchSymbol(
  change: SymbolChange,
  uses: ReadonlyArray<{ use: SymbolUse; label: string }>,
  context: UsageContext,
  words: Words,
  shimmed: ReadonlySet<string>,
): Candidate | undefined {
  if (change.change === "moved" && change.from?.file === change.origin.file) return undefined; // moved within its file: nothing a caller sees
  const language = languageOf(change.language);
  if (language === undefined) return undefined;
  const file = change.change === "moved" || change.change === "renamed" ? (change.from?.file ?? change.origin.file) : change.origin.file;
  const name = change.change === "renamed" && change.from?.name ? change.from.name : change.name;
  const matches: SymbolMatch[] = [];
  for (const item of uses) {
    if (!sameFamily(item.use.language, language)) continue;
    const relation = relate(item.use, language, file, name, change, context);
    if (relation) matches.push({ ...relation, found: item });
  }
  if (matches.length === 0) return undefined;
  return judgeSymbol(change, name, matches, words, shimmed.has(change.origin.file));
}

function judgeSymbol(change: SymbolChange, name: string, matches: readonly SymbolMatch[], words: Words, shimmed: boolean): Candidate | undefined {
  const origin = { file: change.origin.file, ...(change.origin.line === undefined ? {} : { line: change.origin.line }) };
  const base = { kind: "symbol" as const, name, origin };
  const direct = matches.filter((match) => match.relation !== "container");
  const pick = (list: readonly SymbolMatch[]) => list.map((match) => match.found);
  switch (change.change) {
    case "removed":
      if (direct.length === 0) return undefined;
      return shimmed
        ? { ...base, change: "removed", detail: words.removedShimmed, breaking: false, found: pick(direct) }
        : { ...base, change: "removed", detail: words.removed, breaking: true, found: pick(direct) };
    case "renamed":
      return direct.length > 0 ? { ...base, change: "renamed", detail: words.renamed(change.name), breaking: true, found: pick(direct) } : undefined;
    case "moved": {
      // Imported from the module it left: that import now fails, unless the old module re-exports it,
      // which the facts cannot see; a use through a parent package's re-export is not claimed.
      const exact = direct.filter((match) => !match.reexport);
      return exact.length > 0 ? { ...base, change: "moved", detail: words.moved(change.from?.file ?? "", change.origin.file), breaking: true, found: pick(exact) } : undefined;
    }
    case "signature":
      return judgeSignature(change, base, matches, words);
    case "modified": {
      // A class "modified" is its members changing: they speak for themselves.
      if (CONTAINERS.has(change.kind)) return undefined;
      const same = matches.filter((match) => match.relation === "same");
      return same.length > 0 ? { ...base, change: "modified", detail: words.modified, breaking: false, found: pick(same) } : undefined;
    }
    case "added": {
      // Something new and public inside what the user uses (a method of their class): worth knowing, nothing breaks.
      if (!change.exported || /(?:^|\.)_[^.]*$/.test(change.name)) return undefined;
      const containers = matches.filter((match) => match.relation === "container");
      const container = change.name.replace(/(?:\.|::)[^.:]+$/, "");
      return containers.length > 0 ? { ...base, change: "added", detail: words.added(container), breaking: false, found: pick(containers) } : undefined;
    }
  }
}

const CONTAINERS: ReadonlySet<SymbolChange["kind"]> = new Set(["class", "struct", "enum", "trait", "interface", "module"]);

function judgeSignature(
  change: SymbolChange,
  base: Pick<Candidate, "kind" | "name" | "origin">,
  matches: readonly SymbolMatch[],
  words: Words,
): Candidate | undefined {
  // Only uses of the function itself (or of a class whose constructor changed) see its parameters.
  const callers = matches.filter((match) => match.relation === "same" || isConstructorOf(change, match));
  if (callers.length === 0) return undefined;
  const signature = change.signature;
  if (!signature) return { ...base, change: "signature", detail: words.signature("", ""), breaking: true, found: callers.map((match) => match.found) };
  const namedArgsOf = (match: SymbolMatch) => new Set(match.found.use.namedArgs ?? []);
  // A parameter the user passes by name that is gone breaks that call outright.
  const removedPassed = signature.parametersRemoved.filter((parameter) => callers.some((match) => namedArgsOf(match).has(parameter)));
  if (removedPassed.length > 0) {
    // The calls that pass it are the ones that break: those are the lines to show.
    const passing = callers.filter((match) => removedPassed.some((parameter) => namedArgsOf(match).has(parameter)));
    return { ...base, change: "signature", detail: words.parameterRemoved(removedPassed), breaking: true, found: passing.map((match) => match.found) };
  }
  if (signature.breaking) {
    return { ...base, change: "signature", detail: words.signature(signature.before, signature.after), breaking: true, found: callers.map((match) => match.found) };
  }
  if (signature.defaultsChanged.length > 0) {
    // A new default reaches only calls that leave the parameter out.
    const relying = callers.filter((match) => match.found.use.how === "call" && signature.defaultsChanged.some((item) => !namedArgsOf(match).has(item.name)));
    const defaults = signature.defaultsChanged.map((item) => words.defaultChange(item.name, item.from, item.to)).join("; ");
    if (relying.length > 0) return { ...base, change: "default", detail: defaults, breaking: true, found: relying.map((match) => match.found) };
    return { ...base, change: "default", detail: `${defaults}${words.passedExplicitly}`, breaking: false, found: callers.map((match) => match.found) };
  }
  return { ...base, change: "signature", detail: words.compatible(signature.before, signature.after), breaking: false, found: callers.map((match) => match.found) };
}

/** A call of the class itself is a call of its constructor (`Group(...)` and `Group.__init__`, `Agent::new` is not one). */
function isConstructorOf(change: SymbolChange, match: SymbolMatch): boolean {
  return match.relation === "container" && /(?:^|\.)(?:__init__|constructor)$/.test(change.name) && match.found.use.how === "call";
}

type Family = "python" | "js" | "rust" | "go" | "c";

function languageOf(language: string): Family | undefined {
  switch (language.toLowerCase()) {
    case "python":
      return "python";
    case "typescript":
    case "tsx":
    case "javascript":
      return "js";
    case "rust":
      return "rust";
    case "go":
      return "go";
    case "c":
    case "c++":
    case "cpp":
      return "c";
    default:
      return undefined;
  }
}

function sameFamily(use: SymbolUse["language"], family: Family): boolean {
  if (family === "js") return use === "typescript" || use === "javascript";
  if (family === "c") return use === "c" || use === "cpp";
  return use === family;
}

/**
 * How the use's path stands to the changed definition `name` of `file`, or undefined when it
 * does not reach it. Each language decides what module the file is and how names are joined.
 */
function relate(
  use: SymbolUse,
  family: Family,
  file: string,
  name: string,
  change: SymbolChange,
  context: UsageContext,
): { relation: Relation; reexport: boolean } | undefined {
  const { identity } = context;
  switch (family) {
    case "python": {
      const module = pythonModule(file, identity.python);
      if (module === undefined) return undefined;
      const used = [...use.module.split("."), ...use.path];
      const defined = module.split(".");
      const target = name.split(".");
      // The use names the defining module, or one of its parent packages that re-exports the
      // name from it (`click.Option` is `click.core.Option`, not `click.parser.Option`).
      for (let depth = defined.length; depth >= 1; depth--) {
        if (!startsWith(used, defined.slice(0, depth))) continue;
        if (depth < defined.length && resolveReexport(context.reexports, [...used.slice(0, depth), used[depth] ?? ""].join(".")) !== module) continue;
        const relation = compare(used.slice(depth), target);
        if (relation) return { relation, reexport: depth < defined.length };
      }
      return undefined;
    }
    case "go": {
      const packagePath = goPackage(file, identity.goModules);
      if (packagePath === undefined || use.module !== packagePath) return undefined;
      const relation = compare(use.path, name.split("."));
      return relation ? { relation, reexport: false } : undefined;
    }
    case "js": {
      // Only what the package exports is importable from it; the package is the specifier's first part.
      if (!change.exported || !identity.npm.includes(npmPackage(use.module))) return undefined;
      const relation = compare(use.path, name.split("."));
      return relation ? { relation, reexport: true } : undefined;
    }
    case "rust": {
      if (!change.exported || !identity.crates.includes(use.module.split("::")[0]!)) return undefined;
      const target = name.split("::");
      // `use nixl_sys::agent::Agent` and `nixl_sys::Agent` (a re-export) both reach `Agent`: the path after the crate ends the same.
      const relation = compare(use.path.slice(-target.length), target) ?? compare(use.path, target);
      return relation ? { relation, reexport: true } : undefined;
    }
    case "c": {
      if (!change.exported) return undefined;
      // Namespaces the user opened with `using` are not on the use's path: compare from the end.
      const target = name.split("::");
      const relation = compare(use.path, target.slice(-use.path.length)) === "same" && use.path.length >= Math.min(2, target.length) ? "same" : undefined;
      const inside = use.path.length > target.length && compare(use.path.slice(0, target.length), target) === "same" ? "inside" : undefined;
      const result = relation ?? inside;
      return result ? { relation: result, reexport: false } : undefined;
    }
  }
}

/** The module that defines `dotted` (`click.Option` → `click.core`), following re-exports of re-exports. */
function resolveReexport(reexports: ReadonlyMap<string, string> | undefined, dotted: string): string | undefined {
  let name = dotted;
  let module: string | undefined;
  for (let hop = 0; hop < 4 && reexports; hop++) {
    const from = reexports.get(name);
    if (from === undefined) break;
    module = from;
    name = `${from}.${name.slice(name.lastIndexOf(".") + 1)}`;
  }
  return module;
}

/**
 * `from .core import Option`, `from click.core import (A, B as C)` of a package's `__init__.py`:
 * each name the package offers, with the module it comes from. Star imports say nothing.
 */
export function readReexports(packageModule: string, source: string): Map<string, string> {
  const found = new Map<string, string>();
  const text = source.replace(/\\\n/g, " ");
  for (const match of text.matchAll(/^from\s+(\.+)?([\w.]*)\s+import\s+(\([^)]*\)|[^\n#]+)/gm)) {
    const dots = match[1]?.length ?? 0;
    const base = dots > 0 ? packageModule.split(".").slice(0, Math.max(0, packageModule.split(".").length - (dots - 1))) : [];
    const from = [...base, ...(match[2] ? match[2].split(".") : [])].join(".");
    if (from === "" || from === packageModule) continue;
    for (const part of match[3]!.replace(/[()]/g, "").split(",")) {
      const words = part.trim().split(/\s+/);
      const original = words[0];
      const alias = words[1] === "as" ? words[2] : original;
      if (!original || !alias || original === "*" || !/^\w+$/.test(original) || !/^\w+$/.test(alias)) continue;
      // Aliased names are taken as they are named in the source module: `A as B` offers the module's A as B.
      if (alias === original) found.set(`${packageModule}.${alias}`, from);
    }
  }
  return found;
}

function compare(used: readonly string[], target: readonly string[]): Relation | undefined {
  if (used.length === 0) return undefined;
  if (startsWith(used, target)) return used.length === target.length ? "same" : "inside";
  if (startsWith(target, used)) return "container";
  return undefined;
}

function startsWith(list: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= list.length && prefix.every((part, index) => list[index] === part);
}

/** `src/click/core.py` → `click.core`; `nixl/__init__.py` → `nixl`; a file outside the project's packages → undefined. */
export function pythonModule(file: string, packages: readonly string[]): string | undefined {
  if (!/\.pyi?$/.test(file)) return undefined;
  const parts = file.replace(/\.pyi?$/, "").split("/");
  const start = parts.findIndex((part) => packages.includes(part));
  if (start < 0) return undefined;
  const module = parts.slice(start);
  if (module.at(-1) === "__init__") module.pop();
  return module.every((part) => /^[A-Za-z_]\w*$/.test(part)) ? module.join(".") : undefined;
}

/** `taskfile/read.go` of `github.com/go-task/task/v3` → `github.com/go-task/task/v3/taskfile`, for the one module. */
function goPackage(file: string, modules: readonly string[]): string | undefined {
  if (!file.endsWith(".go") || file.endsWith("_test.go") || modules.length !== 1) return undefined;
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  return dir === "" ? modules[0] : `${modules[0]}/${dir}`;
}

function npmPackage(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

// ---- variables, flags, keys ---------------------------------------------------------------

/**
 * Product surface only, and a name both removed and added in one commit (a read moved from one
 * file to another) is no change to the user.
 */
function settledSurface(surface: readonly SurfaceChange[]): SurfaceChange[] {
  const product = surface.filter((change) => change.area === "product" && (change.kind !== "env-var" || change.access !== "set"));
  const key = (change: SurfaceChange) => `${change.kind}\u0000${change.name}`;
  const added = new Set(product.filter((change) => change.change === "added").map(key));
  const removed = new Set(product.filter((change) => change.change === "removed").map(key));
  return product.filter((change) => !(added.has(key(change)) && removed.has(key(change))));
}

function matchSurface(change: SurfaceChange, uses: readonly Found[], words: Words): Candidate | undefined {
  const userName = change.change === "renamed" && change.detail?.renamedFrom ? change.detail.renamedFrom : change.name;
  if (change.kind === "config-key" && !userName.includes(".")) return undefined; // one bare word (`name`, `port`) says nothing
  const found = uses.filter((item) => item.use.kind === change.kind && item.use.name === userName);
  if (found.length === 0) return undefined;
  const origin = { file: change.origin.file, ...(change.origin.line === undefined ? {} : { line: change.origin.line }) };
  const base = { kind: change.kind, name: userName, origin, found };
  const detail = change.detail;
  switch (change.change) {
    case "removed":
      return { ...base, change: "removed", detail: change.kind === "env-var" ? words.noLongerRead : words.removed, breaking: true };
    case "renamed":
      return { ...base, change: "renamed", detail: words.renamed(change.name), breaking: true };
    case "added":
      // The project now reads what the user already sets: it starts to matter.
      return change.kind === "env-var" ? { ...base, change: "added", detail: words.nowRead, breaking: false } : undefined;
    case "changed": {
      if (detail?.choicesRemoved?.length) return { ...base, change: "choices", detail: words.choices(detail.choicesAdded ?? [], detail.choicesRemoved), breaking: true };
      if (detail?.choicesAdded?.length) return { ...base, change: "choices", detail: words.choices(detail.choicesAdded, []), breaking: false };
      if (detail?.defaultFrom !== undefined || detail?.defaultTo !== undefined) {
        // A flag the user passes sets its own value; the default reaches them only when left out.
        const text = words.defaultChange(userName, detail.defaultFrom, detail.defaultTo);
        return change.kind === "cli-flag"
          ? { ...base, change: "default", detail: `${text}${words.passedExplicitly}`, breaking: false }
          : { ...base, change: "default", detail: text, breaking: true };
      }
      return { ...base, change: "modified", detail: words.modified, breaking: false };
    }
  }
}

// ---- words --------------------------------------------------------------------------------

interface Words {
  removed: string;
  removedShimmed: string;
  noLongerRead: string;
  nowRead: string;
  renamed: (to: string) => string;
  moved: (from: string, to: string) => string;
  modified: string;
  added: (container: string) => string;
  signature: (before: string, after: string) => string;
  compatible: (before: string, after: string) => string;
  parameterRemoved: (names: readonly string[]) => string;
  defaultChange: (name: string, from?: string, to?: string) => string;
  passedExplicitly: string;
  choices: (added: readonly string[], removed: readonly string[]) => string;
}

const code = (text: string) => `\`${text}\``;
const list = (items: readonly string[]) => items.map(code).join(", ");
/** Signatures run long (typed Python): each side clipped, the change is in the JSON's facts in full. */
const clipped = (text: string) => (text.length > 100 ? `${text.slice(0, 99)}…` : text);
const arrow = (before: string, after: string) => (before || after ? `: ${code(clipped(before) || "?")} → ${code(clipped(after) || "?")}` : "");

const WORDS: Record<Lang, Words> = {
  en: {
    removed: "removed",
    removedShimmed: "removed from its module, which gains a `__getattr__` in the same commit that may still serve it (deprecated)",
    noLongerRead: "no longer read by the project",
    nowRead: "now read by the project (your code already sets it)",
    renamed: (to) => `renamed to ${code(to)}`,
    moved: (from, to) => `moved from ${code(from)} to ${code(to)}; your code imports it from the old module`,
    modified: "its code changed",
    added: (container) => `new in ${code(container)}, which your code uses`,
    signature: (before, after) => `signature changed${arrow(before, after)}`,
    compatible: (before, after) => `signature changed compatibly${arrow(before, after)}`,
    parameterRemoved: (names) => `parameter ${list(names)} removed, which your code passes`,
    defaultChange: (name, from, to) => `default of ${code(name)} ${code(from ?? "?")} → ${code(to ?? "?")}`,
    passedExplicitly: " (your code passes it explicitly)",
    choices: (added, removed) => [removed.length ? `choices removed: ${list(removed)}` : "", added.length ? `choices added: ${list(added)}` : ""].filter(Boolean).join("; "),
  },
  "zh-CN": {
    removed: "已删除",
    removedShimmed: "已从所在模块删除；同一提交为该模块加了 `__getattr__`，可能仍以弃用方式提供",
    noLongerRead: "项目不再读取",
    nowRead: "项目开始读取（你的代码已在设置）",
    renamed: (to) => `改名为 ${code(to)}`,
    moved: (from, to) => `从 ${code(from)} 移到 ${code(to)}；你的代码从旧模块导入它`,
    modified: "实现有改动",
    added: (container) => `${code(container)} 新增的成员（你的代码使用了 ${code(container)}）`,
    signature: (before, after) => `签名变更${arrow(before, after)}`,
    compatible: (before, after) => `签名兼容变更${arrow(before, after)}`,
    parameterRemoved: (names) => `参数 ${list(names)} 已删除，而你的代码传了它`,
    defaultChange: (name, from, to) => `${code(name)} 的默认值 ${code(from ?? "?")} → ${code(to ?? "?")}`,
    passedExplicitly: "（你的代码显式传入）",
    choices: (added, removed) => [removed.length ? `删除可选值：${list(removed)}` : "", added.length ? `新增可选值：${list(added)}` : ""].filter(Boolean).join("；"),
  },
};

/** A use site as the report shows it: `../my-service/serving/engine.py:12`. */
export function siteLabel(label: string, site: UseSite): string {
  const root = label.replace(/\/+$/, "");
  return `${root === "." ? "" : `${root}/`}${site.file}:${site.line}`;
}
