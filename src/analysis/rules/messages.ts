/**
 * Every sentence the rules analyzer writes, in every language, side by side so that
 * the languages stay in step. Each template takes only facts (names, counts, versions
 * as written) and states them; none adds a claim of its own. zh-CN is simplified
 * Chinese with Chinese punctuation; code names are in backticks in both languages.
 */
import type { DependencyChange, FileKind, Origin, SignalKind, SurfaceKind, SymbolKind } from "../../facts/types.js";
import { pick, type Lang, type Localized } from "../../i18n/lang.js";
import type { LineCount, ModuleTouch } from "./fact-queries.js";

/** Full-width punctuation and CJK ideographs: no space belongs between two of them. */
const CJK = "\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef";
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) +(?=[${CJK}])`, "gu");
/** Code spans and quoted commit text are left exactly as written. */
const VERBATIM = /(`[^`]*`|“[^”]*”)/u;

/**
 * Picks the text in `lang`. Templates put spaces around every placeholder, as
 * Chinese typesetting wants around code names; where the placeholder turned out to be
 * Chinese words ("仓库根目录"), the spaces go.
 */
export function renderText(lang: Lang, text: Localized): string {
  const picked = pick(lang, text);
  if (lang !== "zh-CN") return picked;
  return picked
    .split(VERBATIM)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(SPACE_BETWEEN_CJK, "")))
    .join("");
}

/** How many names a list shows before it says "and N more". */
const LIST_LIMIT = 5;

function code(name: string): string {
  // A name with a backtick in it needs a longer fence (CommonMark code spans).
  return name.includes("`") ? `\`\` ${name} \`\`` : `\`${name}\``;
}

function same(text: string): Localized {
  return { "zh-CN": text, en: text };
}

/** `a`、`b` 等 7 个 / `a`, `b` and 5 more. */
function listOf(items: readonly string[], limit = LIST_LIMIT, zhUnit = "个"): Localized {
  const shown = items.slice(0, limit);
  const rest = items.length - shown.length;
  return {
    "zh-CN": shown.join("、") + (rest > 0 ? ` 等 ${items.length} ${zhUnit}` : ""),
    en: shown.join(", ") + (rest > 0 ? ` and ${rest} more` : ""),
  };
}

function listCode(names: readonly string[], limit = LIST_LIMIT): Localized {
  return listOf(names.map(code), limit);
}

function joinLocalized(parts: readonly Localized[], separator: Localized): Localized {
  return {
    "zh-CN": parts.map((part) => part["zh-CN"]).join(separator["zh-CN"]),
    en: parts.map((part) => part.en).join(separator.en),
  };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function capitalize(text: string): string {
  return /^[a-z]/.test(text) ? text[0]!.toUpperCase() + text.slice(1) : text;
}

function signedLines(count: { additions: number; deletions: number }): string {
  return `+${count.additions}/−${count.deletions}`;
}

/** A module name for prose: the root folder has no name worth quoting. */
function moduleName(module: string): Localized {
  return module === "." ? { "zh-CN": "仓库根目录", en: "the repository root" } : same(code(module));
}

/** Lines shown for one place before "…"; a reader opens the file for the rest. */
const MAX_LINES_SHOWN = 4;

function location(origin: Origin & { lines?: readonly number[] }): Localized {
  const lines = origin.lines && origin.lines.length > 0 ? origin.lines : origin.line === undefined ? [] : [origin.line];
  if (lines.length === 0) return { "zh-CN": `${code(origin.file)} 中`, en: code(origin.file) };
  if (lines.length === 1) return { "zh-CN": `${code(origin.file)} 第 ${lines[0]} 行`, en: `${code(origin.file)} line ${lines[0]}` };
  const shown = lines.slice(0, MAX_LINES_SHOWN);
  const more = lines.length > shown.length;
  return {
    "zh-CN": `${code(origin.file)} 第 ${shown.join("、")}${more ? " 等" : ""} 行`,
    en: `${code(origin.file)} lines ${shown.join(", ")}${more ? ", …" : ""}`,
  };
}

const FILE_KIND_LABELS: Record<FileKind, Localized> = {
  source: { "zh-CN": "源码", en: "source" },
  test: { "zh-CN": "测试", en: "test" },
  docs: { "zh-CN": "文档", en: "docs" },
  config: { "zh-CN": "配置", en: "config" },
  ci: { "zh-CN": "CI", en: "CI" },
  build: { "zh-CN": "构建", en: "build" },
  manifest: { "zh-CN": "包清单", en: "manifest" },
  lockfile: { "zh-CN": "锁文件", en: "lockfile" },
  generated: { "zh-CN": "生成", en: "generated" },
  vendored: { "zh-CN": "第三方", en: "vendored" },
  asset: { "zh-CN": "资源", en: "asset" },
  other: { "zh-CN": "其他", en: "other" },
};

const SYMBOL_KIND_LABELS: Record<SymbolKind, Localized> = {
  function: { "zh-CN": "函数", en: "function" },
  method: { "zh-CN": "方法", en: "method" },
  class: { "zh-CN": "类", en: "class" },
  struct: { "zh-CN": "结构体", en: "struct" },
  enum: { "zh-CN": "枚举", en: "enum" },
  trait: { "zh-CN": "trait", en: "trait" },
  interface: { "zh-CN": "接口", en: "interface" },
  type: { "zh-CN": "类型", en: "type" },
  constant: { "zh-CN": "常量", en: "constant" },
  macro: { "zh-CN": "宏", en: "macro" },
  module: { "zh-CN": "模块", en: "module" },
};

const SURFACE_KIND_LABELS: Record<SurfaceKind, Localized> = {
  "env-var": { "zh-CN": "环境变量", en: "environment variable" },
  "cli-flag": { "zh-CN": "命令行参数", en: "command-line flag" },
  "config-key": { "zh-CN": "配置项", en: "config key" },
};

const SURFACE_KIND_HEADINGS: Record<SurfaceKind, Localized> = {
  "env-var": { "zh-CN": "环境变量", en: "Environment variables" },
  "cli-flag": { "zh-CN": "命令行参数", en: "Command-line flags" },
  "config-key": { "zh-CN": "配置项", en: "Config keys" },
};

const SIGNAL_KIND_LABELS: Record<SignalKind, Localized> = {
  timeout: { "zh-CN": "超时设置", en: "timeout setting" },
  limit: { "zh-CN": "上限设置", en: "limit setting" },
  "process-exec": { "zh-CN": "外部进程调用", en: "external process call" },
  eval: { "zh-CN": "动态求值", en: "dynamic evaluation" },
  unsafe: { "zh-CN": "unsafe 代码", en: "unsafe code" },
  auth: { "zh-CN": "认证逻辑", en: "authentication logic" },
  crypto: { "zh-CN": "加密逻辑", en: "cryptography" },
  secret: { "zh-CN": "密钥或凭据处理", en: "secret handling" },
  "network-listen": { "zh-CN": "网络监听", en: "network listener" },
  permission: { "zh-CN": "权限设置", en: "permission setting" },
};

function symbolWithKind(symbol: { name: string; kind: SymbolKind }): Localized {
  const label = SYMBOL_KIND_LABELS[symbol.kind];
  return { "zh-CN": `${code(symbol.name)}（${label["zh-CN"]}）`, en: `${code(symbol.name)} (${label.en})` };
}

function listSymbols(symbols: ReadonlyArray<{ name: string; kind: SymbolKind }>): Localized {
  const shown = symbols.slice(0, LIST_LIMIT).map(symbolWithKind);
  const rest = symbols.length - shown.length;
  return {
    "zh-CN": shown.map((item) => item["zh-CN"]).join("、") + (rest > 0 ? ` 等 ${symbols.length} 个` : ""),
    en: shown.map((item) => item.en).join(", ") + (rest > 0 ? ` and ${rest} more` : ""),
  };
}

function dependencyText(dependency: DependencyChange): Localized {
  const name = code(dependency.name);
  let text: Localized;
  if (dependency.change === "added") {
    text = dependency.to
      ? { "zh-CN": `${name}（新增，${dependency.to}）`, en: `${name} (added, ${dependency.to})` }
      : { "zh-CN": `${name}（新增）`, en: `${name} (added)` };
  } else if (dependency.change === "removed") {
    text = dependency.from
      ? { "zh-CN": `${name}（移除，原为 ${dependency.from}）`, en: `${name} (removed, was ${dependency.from})` }
      : { "zh-CN": `${name}（移除）`, en: `${name} (removed)` };
  } else if (dependency.from !== undefined && dependency.to !== undefined) {
    text = same(`${name} ${dependency.from} → ${dependency.to}`);
  } else {
    text = { "zh-CN": `${name}（版本有变化）`, en: `${name} (version changed)` };
  }
  if (!dependency.major) return text;
  return { "zh-CN": `${text["zh-CN"]}（主版本变化）`, en: `${text.en} (major)` };
}

function joinDependencyTexts(dependencies: readonly DependencyChange[], limit: number): Localized {
  const shown = dependencies.slice(0, limit).map(dependencyText);
  const rest = dependencies.length - shown.length;
  return {
    "zh-CN": shown.map((item) => item["zh-CN"]).join("、") + (rest > 0 ? ` 等 ${dependencies.length} 项` : ""),
    en: shown.map((item) => item.en).join(", ") + (rest > 0 ? ` and ${rest} more` : ""),
  };
}

/* ---------- summary ---------- */

export interface SummaryCounts {
  files: number;
  additions: number;
  deletions: number;
  /** Files per kind, largest first; only kinds present. */
  kinds: Array<{ kind: FileKind; files: number }>;
  /** Modules in the order of the facts (largest first). */
  modules: string[];
}

export const SUMMARY = {
  lead(description: string, counts: SummaryCounts): Localized {
    const quoted: Localized = description
      ? { "zh-CN": `提交说明为“${description}”，`, en: `“${description}”: ` }
      : { "zh-CN": "", en: "" };
    const lines = signedLines(counts);
    let files: Localized;
    const onlyKind = counts.kinds.length === 1 ? counts.kinds[0] : undefined;
    if (counts.files === 0) {
      files = { "zh-CN": "没有文件改动", en: "no files changed" };
    } else if (onlyKind) {
      const label = FILE_KIND_LABELS[onlyKind.kind];
      files = {
        "zh-CN": `共改动 ${counts.files} 个${label["zh-CN"]}文件（${lines}）`,
        en: `${plural(counts.files, `${label.en} file`, `${label.en} files`)} changed (${lines})`,
      };
    } else {
      const breakdown = joinLocalized(
        counts.kinds.map(({ kind, files: n }) => ({
          "zh-CN": `${FILE_KIND_LABELS[kind]["zh-CN"]} ${n} 个`,
          en: `${n} ${FILE_KIND_LABELS[kind].en}`,
        })),
        { "zh-CN": "、", en: ", " },
      );
      files = {
        "zh-CN": `共改动 ${counts.files} 个文件（${lines}；${breakdown["zh-CN"]}）`,
        en: `${plural(counts.files, "file", "files")} changed (${lines}; ${breakdown.en})`,
      };
    }
    const modules =
      counts.modules.length > 0 ? listOf(counts.modules.map((m) => moduleName(m)["zh-CN"]), 3, "个模块") : undefined;
    const modulesEn = counts.modules.length > 0 ? listOf(counts.modules.map((m) => moduleName(m).en), 3) : undefined;
    return {
      "zh-CN": `${quoted["zh-CN"]}${files["zh-CN"]}${modules ? `，涉及 ${modules["zh-CN"]}` : ""}。`,
      en: capitalize(`${quoted.en}${files.en}${modulesEn ? ` in ${modulesEn.en}` : ""}.`),
    };
  },

  /** Joins the highlight fragments into one sentence. */
  highlights(fragments: readonly Localized[]): Localized {
    return {
      "zh-CN": `${fragments.map((fragment) => fragment["zh-CN"]).join("，")}。`,
      en: `${capitalize(fragments.map((fragment) => fragment.en).join("; "))}.`,
    };
  },
  breaking: { "zh-CN": "提交标记为破坏性变更", en: "marked as a breaking change" } as Localized,
  revert(shortSha: string | undefined): Localized {
    return shortSha
      ? { "zh-CN": `撤销了提交 ${code(shortSha)}`, en: `reverts ${code(shortSha)}` }
      : { "zh-CN": "撤销了此前的一个提交", en: "reverts an earlier commit" };
  },
  apiRemoved(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `删除公开符号 ${list["zh-CN"]}`, en: `removes public ${names.length === 1 ? "symbol" : "symbols"} ${list.en}` };
  },
  surface(kind: SurfaceKind, change: "added" | "removed", names: readonly string[]): Localized {
    const list = listCode(names, 3);
    const label = SURFACE_KIND_LABELS[kind];
    const enLabel = names.length === 1 ? label.en : `${label.en}s`;
    return change === "added"
      ? { "zh-CN": `新增${label["zh-CN"]} ${list["zh-CN"]}`, en: `adds ${enLabel} ${list.en}` }
      : { "zh-CN": `删除${label["zh-CN"]} ${list["zh-CN"]}`, en: `removes ${enLabel} ${list.en}` };
  },
  newModules(names: readonly string[]): Localized {
    const list = listOf(names.map((name) => moduleName(name)["zh-CN"]), 3);
    const listEn = listOf(names.map((name) => moduleName(name).en), 3);
    return { "zh-CN": `新增模块 ${list["zh-CN"]}`, en: `adds ${names.length === 1 ? "module" : "modules"} ${listEn.en}` };
  },
  apiAdded(count: number): Localized {
    return { "zh-CN": `新增 ${count} 个公开符号`, en: `adds ${plural(count, "public symbol", "public symbols")}` };
  },
  majorDependency(dependency: DependencyChange, others: number): Localized {
    const text = dependencyText(dependency);
    return others > 0
      ? { "zh-CN": `依赖 ${text["zh-CN"]}，另有 ${others} 项主版本变化`, en: `dependency ${text.en}, and ${plural(others, "more major change", "more major changes")}` }
      : { "zh-CN": `依赖 ${text["zh-CN"]}`, en: `dependency ${text.en}` };
  },
  dependencies(count: number): Localized {
    return { "zh-CN": `依赖变更 ${count} 项`, en: plural(count, "dependency change", "dependency changes") };
  },
};

/* ---------- impact ---------- */

export const IMPACT = {
  module(touch: ModuleTouch): Localized {
    const name = moduleName(touch.module);
    const lines = signedLines(touch);
    if (touch.paths.length <= 3) {
      const paths = listCode(touch.paths);
      return { "zh-CN": `${name["zh-CN"]}：${paths["zh-CN"]}（${lines}）`, en: `${capitalize(name.en)}: ${paths.en} (${lines})` };
    }
    return {
      "zh-CN": `${name["zh-CN"]}：${touch.files} 个文件（${lines}）`,
      en: `${capitalize(name.en)}: ${touch.files} files (${lines})`,
    };
  },
  otherModules(modules: number, count: LineCount): Localized {
    return {
      "zh-CN": `另有 ${modules} 个模块，共 ${count.files} 个文件（${signedLines(count)}）`,
      en: `${plural(modules, "more module", "more modules")}, ${plural(count.files, "file", "files")} (${signedLines(count)})`,
    };
  },
  publicApi(parts: {
    added: ReadonlyArray<{ name: string; kind: SymbolKind }>;
    removed: ReadonlyArray<{ name: string; kind: SymbolKind }>;
    modified: ReadonlyArray<{ name: string; kind: SymbolKind }>;
    moved: ReadonlyArray<{ name: string; kind: SymbolKind }>;
  }): Localized {
    const pieces: Localized[] = [];
    const addPiece = (symbols: ReadonlyArray<{ name: string; kind: SymbolKind }>, zh: string, en: string): void => {
      if (symbols.length === 0) return;
      const list = listSymbols(symbols);
      pieces.push({ "zh-CN": `${zh} ${list["zh-CN"]}`, en: `${en} ${list.en}` });
    };
    addPiece(parts.added, "新增", "adds");
    addPiece(parts.removed, "删除", "removes");
    addPiece(parts.modified, "修改", "changes");
    addPiece(parts.moved, "移动", "moves");
    const joined = joinLocalized(pieces, { "zh-CN": "；", en: "; " });
    return { "zh-CN": `公开接口：${joined["zh-CN"]}`, en: `Public API: ${joined.en}` };
  },
  surface(kind: SurfaceKind, added: readonly string[], removed: readonly string[]): Localized {
    const pieces: Localized[] = [];
    if (added.length > 0) {
      const list = listCode(added);
      pieces.push({ "zh-CN": `新增 ${list["zh-CN"]}`, en: `adds ${list.en}` });
    }
    if (removed.length > 0) {
      const list = listCode(removed);
      pieces.push({ "zh-CN": `删除 ${list["zh-CN"]}`, en: `removes ${list.en}` });
    }
    const joined = joinLocalized(pieces, { "zh-CN": "；", en: "; " });
    const heading = SURFACE_KIND_HEADINGS[kind];
    return { "zh-CN": `${heading["zh-CN"]}：${joined["zh-CN"]}`, en: `${heading.en}: ${joined.en}` };
  },
  dependencies(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, LIST_LIMIT);
    return { "zh-CN": `依赖：${list["zh-CN"]}`, en: `Dependencies: ${list.en}` };
  },
  ignored(paths: readonly string[]): Localized {
    const list = listCode(paths, 3);
    return { "zh-CN": `按忽略规则未分析：${list["zh-CN"]}`, en: `Not analysed (ignore patterns): ${list.en}` };
  },
};

/* ---------- insights ---------- */

export const INSIGHT = {
  newModules(names: readonly string[]): Localized {
    const zh = listOf(names.map((name) => moduleName(name)["zh-CN"]));
    const en = listOf(names.map((name) => moduleName(name).en));
    return { "zh-CN": `新增模块：${zh["zh-CN"]}`, en: `New ${names.length === 1 ? "module" : "modules"}: ${en.en}` };
  },
  removedModules(names: readonly string[]): Localized {
    const zh = listOf(names.map((name) => moduleName(name)["zh-CN"]));
    const en = listOf(names.map((name) => moduleName(name).en));
    return { "zh-CN": `删除模块：${zh["zh-CN"]}`, en: `Removed ${names.length === 1 ? "module" : "modules"}: ${en.en}` };
  },
  publicApiCounts(counts: { added: number; removed: number; modified: number }): Localized {
    const zh: string[] = [];
    const en: string[] = [];
    if (counts.added > 0) {
      zh.push(`新增 ${counts.added} 个`);
      en.push(`${counts.added} added`);
    }
    if (counts.removed > 0) {
      zh.push(`删除 ${counts.removed} 个`);
      en.push(`${counts.removed} removed`);
    }
    if (counts.modified > 0) {
      zh.push(`修改 ${counts.modified} 个`);
      en.push(`${counts.modified} changed`);
    }
    return { "zh-CN": `公开符号：${zh.join("、")}`, en: `Public symbols: ${en.join(", ")}` };
  },
  moved(symbol: { name: string; from: string; to: string }): Localized {
    return {
      "zh-CN": `公开符号 ${code(symbol.name)} 的定义从 ${code(symbol.from)} 移到 ${code(symbol.to)}`,
      en: `The definition of public symbol ${code(symbol.name)} moves from ${code(symbol.from)} to ${code(symbol.to)}`,
    };
  },
  spread(modules: number): Localized {
    return { "zh-CN": `改动分布在 ${modules} 个模块`, en: `The change spans ${modules} modules` };
  },
  perfDeclared: {
    "zh-CN": "提交声明为性能改进（perf）",
    en: "The commit is declared a performance change (perf)",
  } as Localized,
  /** The type was read from the subject's words ("Optimize", "Reduce … latency"), quoted as written. */
  perfStated(words: string): Localized {
    return { "zh-CN": `提交说明写明“${words}”，属于性能改进`, en: `The message says “${words}”: a performance change` };
  },
  /** With the first line's text as evidence, so a reader can judge the signal without opening the diff. */
  signal(kind: SignalKind, change: "added" | "removed", origin: Origin & { lines?: readonly number[] }, text: string): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    const evidence = text ? code(text) : "";
    return change === "added"
      ? { "zh-CN": `${where["zh-CN"]}新增${label["zh-CN"]}${evidence ? `：${evidence}` : ""}`, en: `${where.en}: ${label.en} added${evidence ? `: ${evidence}` : ""}` }
      : { "zh-CN": `${where["zh-CN"]}删除${label["zh-CN"]}${evidence ? `：${evidence}` : ""}`, en: `${where.en}: ${label.en} removed${evidence ? `: ${evidence}` : ""}` };
  },
  dependencyVersions(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, 3);
    return {
      "zh-CN": `依赖版本变化，运行表现可能随之改变：${list["zh-CN"]}`,
      en: `Dependency versions change, and runtime behaviour may change with them: ${list.en}`,
    };
  },
  dependenciesAdded(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, 3);
    return { "zh-CN": `引入新依赖：${list["zh-CN"]}`, en: `New third-party code: ${list.en}` };
  },
  dependenciesRemoved(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, 3);
    return { "zh-CN": `移除依赖：${list["zh-CN"]}`, en: `Dependencies removed: ${list.en}` };
  },
  dependenciesUpdated(count: number): Localized {
    return {
      "zh-CN": `${count} 项依赖版本变化，构建产物中的第三方代码随之改变`,
      en: `${count === 1 ? "1 dependency changes" : `${count} dependencies change`} version, so the third-party code in the build changes`,
    };
  },
  testsAdded(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `新增 ${names.length} 个测试：${list["zh-CN"]}`, en: `${plural(names.length, "test", "tests")} added: ${list.en}` };
  },
  testsRemoved(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `删除 ${names.length} 个测试：${list["zh-CN"]}`, en: `${plural(names.length, "test", "tests")} removed: ${list.en}` };
  },
  refactorSize(count: LineCount): Localized {
    return {
      "zh-CN": `重构涉及 ${count.files} 个源码文件、${count.lines} 行（${signedLines(count)}）`,
      en: `The refactoring touches ${plural(count.files, "source file", "source files")}, ${count.lines} lines (${signedLines(count)})`,
    };
  },
  docsUpdated(paths: readonly string[]): Localized {
    const list = listCode(paths, 3);
    return { "zh-CN": `更新文档：${list["zh-CN"]}`, en: `Docs updated: ${list.en}` };
  },
  breaking(note: string | undefined): Localized {
    return note
      ? { "zh-CN": `提交标记为破坏性变更：“${note}”`, en: `Marked as a breaking change: “${note}”` }
      : { "zh-CN": "提交标记为破坏性变更", en: "Marked as a breaking change" };
  },
  apiRemoved(symbols: ReadonlyArray<{ name: string; kind: SymbolKind }>): Localized {
    const list = listSymbols(symbols);
    return { "zh-CN": `删除公开符号：${list["zh-CN"]}`, en: `Public symbols removed: ${list.en}` };
  },
  surfaceRemoved(kind: SurfaceKind, names: readonly string[]): Localized {
    const list = listCode(names);
    return {
      "zh-CN": `不再读取${SURFACE_KIND_LABELS[kind]["zh-CN"]}：${list["zh-CN"]}`,
      en: `${SURFACE_KIND_HEADINGS[kind].en} no longer read: ${list.en}`,
    };
  },
  majorDependencies(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(
      dependencies.map((dependency) => ({ ...dependency, major: false })),
      3,
    );
    return { "zh-CN": `依赖主版本变化：${list["zh-CN"]}`, en: `Major dependency versions change: ${list.en}` };
  },
};

/* ---------- risks ---------- */

/** What a reviewer has to confirm about a new line of each security-sensitive kind. */
const SECURITY_CONCERNS: Record<SignalKind, Localized> = {
  timeout: { "zh-CN": "需要确认取值适合实际负载", en: "check that the value suits real load" },
  limit: { "zh-CN": "需要确认取值适合实际负载", en: "check that the value suits real load" },
  "process-exec": { "zh-CN": "需要确认传入的命令和参数可信", en: "check that the command and its arguments are trusted" },
  eval: { "zh-CN": "需要确认被求值的内容可信", en: "check that what is evaluated is trusted" },
  unsafe: { "zh-CN": "需要确认其内存安全前提成立", en: "check that its memory-safety preconditions hold" },
  auth: { "zh-CN": "认证逻辑的改动需要安全审查", en: "changes to authentication need a security review" },
  crypto: { "zh-CN": "加密相关的改动需要安全审查", en: "changes to cryptography need a security review" },
  secret: { "zh-CN": "需要确认密钥不会写入日志或代码库", en: "check that the secret never reaches logs or the repository" },
  "network-listen": { "zh-CN": "需要确认监听地址和访问控制", en: "check the bind address and who can connect" },
  permission: { "zh-CN": "需要确认权限没有被放宽", en: "check that permissions are not widened" },
};

export const RISK = {
  breaking: {
    "zh-CN": "提交标记为破坏性变更，依赖旧行为的调用方需要随之调整。",
    en: "The commit is marked as breaking: callers that rely on the old behaviour need changes.",
  } as Localized,
  apiRemoved(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return {
      "zh-CN": `删除了公开符号 ${list["zh-CN"]}，仍在引用${names.length === 1 ? "它" : "它们"}的代码会出错。`,
      en: `Public ${names.length === 1 ? "symbol" : "symbols"} ${list.en} ${names.length === 1 ? "is" : "are"} removed; code that still uses ${names.length === 1 ? "it" : "them"} will break.`,
    };
  },
  surfaceRemoved(kind: SurfaceKind, names: readonly string[]): Localized {
    const list = listCode(names, 3);
    const label = SURFACE_KIND_LABELS[kind];
    if (kind === "cli-flag") {
      return {
        "zh-CN": `删除了${label["zh-CN"]} ${list["zh-CN"]}，仍传入${names.length === 1 ? "它" : "它们"}的脚本可能报错。`,
        en: `The ${names.length === 1 ? label.en : `${label.en}s`} ${list.en} ${names.length === 1 ? "is" : "are"} removed; scripts that still pass ${names.length === 1 ? "it" : "them"} may fail.`,
      };
    }
    return {
      "zh-CN": `不再读取${label["zh-CN"]} ${list["zh-CN"]}，仍设置${names.length === 1 ? "它" : "它们"}的部署将不再生效。`,
      en: `The ${names.length === 1 ? label.en : `${label.en}s`} ${list.en} ${names.length === 1 ? "is" : "are"} no longer read; deployments that still set ${names.length === 1 ? "it" : "them"} silently lose the effect.`,
    };
  },
  majorDependency(dependency: DependencyChange): Localized {
    const text = dependencyText({ ...dependency, major: false });
    return {
      "zh-CN": `依赖 ${text["zh-CN"]} 跨越主版本，可能带来不兼容的变化。`,
      en: `Dependency ${text.en} crosses a major version and may bring incompatible changes.`,
    };
  },
  securitySignal(kind: SignalKind, origin: Origin): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    const concern = SECURITY_CONCERNS[kind];
    return {
      "zh-CN": `${where["zh-CN"]}新增${label["zh-CN"]}，${concern["zh-CN"]}。`,
      en: `New ${label.en} at ${where.en}: ${concern.en}.`,
    };
  },
  limitSignal(kind: SignalKind, origin: Origin): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    return {
      "zh-CN": `${where["zh-CN"]}改动了${label["zh-CN"]}，取值不当会让正常请求失败或长时间等待。`,
      en: `A ${label.en} changes at ${where.en}; a wrong value makes healthy requests fail or wait.`,
    };
  },
  untestedSource(lines: number): Localized {
    return {
      "zh-CN": `改动了 ${lines} 行源码，但本次提交没有测试改动。`,
      en: `${plural(lines, "line", "lines")} of source change with no test changes in this commit.`,
    };
  },
  testsRemoved(count: number): Localized {
    return {
      "zh-CN": `删除了 ${count} 个测试，相应行为失去了测试覆盖。`,
      en: `${plural(count, "test is", "tests are")} removed; the behaviour they covered is no longer tested.`,
    };
  },
};

/* ---------- recommendations ---------- */

export const RECOMMEND = {
  addTests(module: string): Localized {
    const name = moduleName(module);
    return { "zh-CN": `为 ${name["zh-CN"]} 的源码改动补充测试。`, en: `Add tests for the source changes in ${name.en}.` };
  },
  markBreaking: {
    "zh-CN": "提交删除了公开接口但没有标记破坏性变更，建议在变更日志中注明。",
    en: "Public API is removed without a breaking-change marker; note it in the changelog.",
  } as Localized,
  reviewSignal(kind: SignalKind, origin: Origin): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    return { "zh-CN": `复核 ${where["zh-CN"]}的${label["zh-CN"]}。`, en: `Review the ${label.en} at ${where.en}.` };
  },
  vetDependencies(dependencies: readonly DependencyChange[]): Localized {
    const list = listCode(dependencies.map((dependency) => dependency.name), 3);
    return {
      "zh-CN": `确认新依赖 ${list["zh-CN"]} 的许可证与维护状态。`,
      en: `Check the licence and maintenance status of the new ${dependencies.length === 1 ? "dependency" : "dependencies"} ${list.en}.`,
    };
  },
  checkApiUsage(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `升级前检查代码中对 ${list["zh-CN"]} 的引用。`, en: `Before upgrading, look for uses of ${list.en} in your code.` };
  },
  readBreakingNote: {
    "zh-CN": "升级前阅读该提交的破坏性变更说明。",
    en: "Read the commit's breaking-change note before upgrading.",
  } as Localized,
  checkRemovedSurface(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `检查部署配置和脚本是否仍在使用 ${list["zh-CN"]}。`, en: `Check whether your deployment or scripts still use ${list.en}.` };
  },
  useNewSurface(kind: SurfaceKind, names: readonly string[]): Localized {
    const list = listCode(names, 3);
    const label = SURFACE_KIND_LABELS[kind];
    return {
      "zh-CN": `升级后可通过新增的${label["zh-CN"]} ${list["zh-CN"]} 调整相关行为。`,
      en: `After upgrading, the new ${names.length === 1 ? label.en : `${label.en}s`} ${list.en} ${names.length === 1 ? "is" : "are"} available.`,
    };
  },
  checkMajorDependency(dependency: DependencyChange): Localized {
    const version = dependency.to ? ` ${dependency.to}` : "";
    return {
      "zh-CN": `确认你的环境与 ${code(dependency.name)}${version} 兼容。`,
      en: `Make sure your environment works with ${code(dependency.name)}${version}.`,
    };
  },
  watchCi(paths: readonly string[]): Localized {
    const list = listCode(paths, 3);
    return { "zh-CN": `关注 ${list["zh-CN"]} 改动后的首次 CI 运行结果。`, en: `Watch the first CI run after the change to ${list.en}.` };
  },
  rebuildForDependencies: {
    "zh-CN": "依赖有变化，CI 应重新构建并运行完整测试。",
    en: "Dependencies change: rebuild and run the full test suite in CI.",
  } as Localized,
  runNewTests(count: number): Localized {
    return {
      "zh-CN": `确认新增的 ${count} 个测试已纳入 CI。`,
      en: `Make sure the ${plural(count, "new test runs", "new tests run")} in CI.`,
    };
  },
  verifyBuild(paths: readonly string[]): Localized {
    const list = listCode(paths, 3);
    return { "zh-CN": `验证 ${list["zh-CN"]} 改动后构建仍然通过。`, en: `Verify that the build still passes with the changes to ${list.en}.` };
  },
};

/* ---------- importance reasons ---------- */

type ReasonParams = Record<string, string | number>;

function param(params: ReasonParams, key: string): string {
  const value = params[key];
  return value === undefined ? "" : String(value);
}

function count(params: ReasonParams): number {
  return Number(params.count ?? 0);
}

function splitNames(params: ReasonParams, key: string, separator: string): string[] {
  const value = param(params, key);
  return value === "" ? [] : value.split(separator);
}

/** “a”、“b” / “a”, “b”: words quoted from the commit message, left as written. */
function quoteAll(words: readonly string[]): Localized {
  return listOf(words.map((word) => `“${word}”`), LIST_LIMIT);
}

/** "Declared a bug fix", or, when the type was read from the subject's words, those words quoted. */
function declaredType(params: ReasonParams, type: Localized): Localized {
  const words = param(params, "words");
  if (words === "") return { "zh-CN": `提交声明为${type["zh-CN"]}`, en: `Declared ${type.en}` };
  return { "zh-CN": `提交说明写明“${words}”，视为${type["zh-CN"]}`, en: `The message says “${words}”: ${type.en}` };
}

/** Reason texts by rule code; `separator` is what joined the names in the params. */
export function renderReason(ruleCode: string, params: ReasonParams, separator: string): Localized {
  const names = (key: string): Localized => listCode(splitNames(params, key, separator), 3);
  const kinds = (): Localized => {
    const labels = splitNames(params, "kinds", separator).map((kind) => SIGNAL_KIND_LABELS[kind as SignalKind] ?? same(kind));
    return joinLocalized(labels, { "zh-CN": "、", en: ", " });
  };
  switch (ruleCode) {
    case "breaking-change":
      return { "zh-CN": "提交标记为破坏性变更", en: "Marked as a breaking change" };
    case "public-api-removed":
      return { "zh-CN": `删除 ${count(params)} 个公开符号：${names("names")["zh-CN"]}`, en: `Removes ${plural(count(params), "public symbol", "public symbols")}: ${names("names").en}` };
    case "public-api-added":
      return { "zh-CN": `新增 ${count(params)} 个公开符号：${names("names")["zh-CN"]}`, en: `Adds ${plural(count(params), "public symbol", "public symbols")}: ${names("names").en}` };
    case "critical-path":
      return { "zh-CN": `改动关键路径：${names("paths")["zh-CN"]}`, en: `Touches critical paths: ${names("paths").en}` };
    case "dependency-major": {
      const more = count(params) - 1;
      const from = param(params, "from");
      const to = param(params, "to");
      const versions = from && to ? ` ${from} → ${to}` : "";
      return {
        "zh-CN": `依赖 ${code(param(params, "name"))}${versions} 主版本变化${more > 0 ? `（另有 ${more} 项）` : ""}`,
        en: `Major version change of ${code(param(params, "name"))}${versions}${more > 0 ? ` (and ${more} more)` : ""}`,
      };
    }
    case "dependency-change":
      return { "zh-CN": `依赖变更 ${count(params)} 项`, en: plural(count(params), "dependency change", "dependency changes") };
    case "surface-removed":
      return { "zh-CN": `删除对外配置入口：${names("names")["zh-CN"]}`, en: `Removes settings users can pass: ${names("names").en}` };
    case "surface-added":
      return { "zh-CN": `新增对外配置入口：${names("names")["zh-CN"]}`, en: `Adds settings users can pass: ${names("names").en}` };
    case "security-signal":
      return { "zh-CN": `涉及安全敏感代码：${kinds()["zh-CN"]}`, en: `Security-sensitive code: ${kinds().en}` };
    case "security-keyword": {
      const words = quoteAll(splitNames(params, "words", separator));
      return { "zh-CN": `提交说明提到安全相关字样：${words["zh-CN"]}`, en: `The message mentions ${words.en}` };
    }
    case "runtime-limit-signal":
      return { "zh-CN": `改动运行时限制：${kinds()["zh-CN"]}`, en: `Runtime limits change: ${kinds().en}` };
    case "source-lines":
      return { "zh-CN": `源码改动 ${param(params, "lines")} 行`, en: `${param(params, "lines")} lines of source changed` };
    case "new-module": {
      const list = splitNames(params, "names", separator);
      return {
        "zh-CN": `新增模块：${listOf(list.map((name) => moduleName(name)["zh-CN"]), 3)["zh-CN"]}`,
        en: `New modules: ${listOf(list.map((name) => moduleName(name).en), 3).en}`,
      };
    }
    case "tests-removed":
      return { "zh-CN": `删除 ${count(params)} 个测试`, en: `${plural(count(params), "test", "tests")} removed` };
    case "feat-type":
      return declaredType(params, { "zh-CN": "新功能", en: "a feature" });
    case "fix-type":
      return declaredType(params, { "zh-CN": "缺陷修复", en: "a bug fix" });
    case "perf-type":
      return declaredType(params, { "zh-CN": "性能改进", en: "a performance change" });
    case "revert":
      return { "zh-CN": "撤销此前的提交", en: "Reverts an earlier commit" };
    case "ci-change":
      return { "zh-CN": "改动 CI 配置", en: "Changes CI workflows" };
    case "build-change":
      return { "zh-CN": "改动构建文件或包清单", en: "Changes build files or manifests" };
    case "docs-only":
      return { "zh-CN": "只改动文档", en: "Docs only" };
    case "tests-only":
      return { "zh-CN": "只改动测试", en: "Tests only" };
    case "bot-author":
      return { "zh-CN": "由自动化账号提交", en: "Opened by a bot" };
    default:
      return same(ruleCode);
  }
}
