/**
 * Every sentence the rules analyzer writes, in every language, side by side so that
 * the languages stay in step. Each template takes only facts (names, counts, versions
 * as written) and states them; none adds a claim of its own. zh-CN is simplified
 * Chinese with Chinese punctuation; code names are in backticks in both languages.
 */
import type {
  DependencyChange,
  FileKind,
  Origin,
  SignalKind,
  SignatureChange,
  SurfaceChange,
  SurfaceKind,
  SymbolChange,
  SymbolKind,
  VersionChange,
} from "../../facts/types.js";
import { pick, type Lang, type Localized } from "../../i18n/lang.js";
import type { LineCount, ModuleTouch } from "./fact-queries.js";

/**
 * Picks the text in `lang`; zh-CN text is spaced as Chinese typesetting wants it
 * (see {@link spaceChinese}).
 */
export function renderText(lang: Lang, text: Localized): string {
  const picked = pick(lang, text);
  return lang === "zh-CN" ? spaceChinese(picked) : picked;
}

/** CJK ideographs, and full-width punctuation (no space belongs next to those). */
const IDEOGRAPH = "\\u4e00-\\u9fff\\u3400-\\u4dbf";
const CJK = `\\u3000-\\u303f${IDEOGRAPH}\\uff00-\\uffef`;
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) +(?=[${CJK}])`, "gu");
const IDEOGRAPH_THEN_LATIN = new RegExp(`([${IDEOGRAPH}])(?=[A-Za-z0-9\`])`, "gu");
const LATIN_THEN_IDEOGRAPH = new RegExp(`([A-Za-z0-9\`%])(?=[${IDEOGRAPH}])`, "gu");
/** Code spans and quoted commit text are left exactly as written. */
const VERBATIM = /(`[^`]*`|“[^”]*”)/u;

/**
 * One space between Chinese and Latin text or code (`新增 unsafe 代码`, not
 * `新增unsafe代码`), none between two Chinese characters or next to full-width
 * punctuation; code spans and quoted commit text are left as written.
 * https://www.w3.org/TR/clreq/#mixed_text_composition_in_horizontal_writing_mode
 */
export function spaceChinese(text: string): string {
  const parts = text.split(VERBATIM);
  const ideograph = new RegExp(`[${IDEOGRAPH}]`, "u");
  return parts
    .map((part, index) => {
      if (index % 2 === 0) return part.replace(SPACE_BETWEEN_CJK, "").replace(IDEOGRAPH_THEN_LATIN, "$1 ").replace(LATIN_THEN_IDEOGRAPH, "$1 ");
      // A code span between Chinese words gets a space on each side; a quote does not.
      if (!part.startsWith("`")) return part;
      const before = parts[index - 1] ?? "";
      const after = parts[index + 1] ?? "";
      return `${ideograph.test(before.slice(-1)) ? " " : ""}${part}${ideograph.test(after.slice(0, 1)) ? " " : ""}`;
    })
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
  example: { "zh-CN": "示例", en: "example" },
  benchmark: { "zh-CN": "基准测试", en: "benchmark" },
  tooling: { "zh-CN": "开发工具", en: "tooling" },
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
  // The signal is the redactor's marker (src/facts/signals.ts): a value that looks like a
  // credential was committed, and the report shows it redacted. Code that handles secrets is not what it says.
  secret: { "zh-CN": "疑似密钥的值", en: "secret-looking value" },
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

/** A requirement worth printing: `*` (any version, or none written) says nothing to a reader. */
function stated(spec: string | undefined): string | undefined {
  return spec === undefined || spec === "*" ? undefined : spec;
}

function dependencyText(dependency: DependencyChange): Localized {
  const name = code(dependency.name);
  const from = stated(dependency.from);
  const to = stated(dependency.to);
  let text: Localized;
  if (dependency.change === "added") {
    text = to ? { "zh-CN": `${name}（新增，${to}）`, en: `${name} (added, ${to})` } : { "zh-CN": `${name}（新增）`, en: `${name} (added)` };
  } else if (dependency.change === "removed") {
    text = from
      ? { "zh-CN": `${name}（移除，原为 ${from}）`, en: `${name} (removed, was ${from})` }
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


/** Only the visibility moved: the definition is unchanged but no longer (or newly) public. */
export function isVisibilityOnly(change: SignatureChange): boolean {
  return (
    change.visibility !== undefined &&
    change.parametersAdded.length + change.parametersRemoved.length + change.defaultsChanged.length + change.typesChanged.length + change.modifiersAdded.length + change.modifiersRemoved.length === 0 &&
    change.returnsChanged === undefined
  );
}

/** A signature change in words: what a caller of the old one must know. */
function signatureDetail(change: SignatureChange): Localized {
  const zh: string[] = [];
  const en: string[] = [];
  const removed = change.parametersRemoved;
  if (removed.length > 0) {
    zh.push(`删除参数 ${listCode(removed, 3)["zh-CN"]}`);
    en.push(`parameter${removed.length === 1 ? "" : "s"} ${listCode(removed, 3).en} removed`);
  }
  const required = change.parametersAdded.filter((p) => p.required).map((p) => p.name);
  const optional = change.parametersAdded.filter((p) => !p.required).map((p) => p.name);
  if (required.length > 0) {
    zh.push(`新增必填参数 ${listCode(required, 3)["zh-CN"]}`);
    en.push(`required parameter${required.length === 1 ? "" : "s"} ${listCode(required, 3).en} added`);
  }
  if (optional.length > 0) {
    zh.push(`新增可选参数 ${listCode(optional, 3)["zh-CN"]}`);
    en.push(`optional parameter${optional.length === 1 ? "" : "s"} ${listCode(optional, 3).en} added`);
  }
  for (const d of change.defaultsChanged.slice(0, 2)) {
    const from = d.from === undefined ? "—" : code(d.from);
    const to = d.to === undefined ? "—" : code(d.to);
    zh.push(`参数 ${code(d.name)} 的默认值 ${from} → ${to}`);
    en.push(`default of ${code(d.name)} ${from} → ${to}`);
  }
  if (change.typesChanged.length > 0) {
    const names = change.typesChanged.map((t) => t.name);
    zh.push(`参数 ${listCode(names, 3)["zh-CN"]} 的类型变化`);
    en.push(`type of ${listCode(names, 3).en} changed`);
  }
  if (change.returnsChanged) {
    const from = change.returnsChanged.from === undefined ? "—" : code(change.returnsChanged.from);
    const to = change.returnsChanged.to === undefined ? "—" : code(change.returnsChanged.to);
    zh.push(`返回类型 ${from} → ${to}`);
    en.push(`return type ${from} → ${to}`);
  }
  if (change.modifiersAdded.length + change.modifiersRemoved.length > 0) {
    const parts = [...change.modifiersAdded.map((m) => `+${m}`), ...change.modifiersRemoved.map((m) => `−${m}`)].slice(0, 3).map(code);
    zh.push(`修饰 ${parts.join("、")}`);
    en.push(`modifiers ${parts.join(", ")}`);
  }
  if (change.visibility) {
    zh.push(`可见性 ${change.visibility.from} → ${change.visibility.to}`);
    en.push(`visibility ${change.visibility.from} → ${change.visibility.to}`);
  }
  return { "zh-CN": zh.join("，"), en: en.join(", ") };
}

function flagDetail(entry: SurfaceChange): Localized {
  const zh: string[] = [];
  const en: string[] = [];
  const d = entry.detail ?? {};
  if (entry.change === "renamed" && d.renamedFrom) {
    zh.push(`由 ${code(d.renamedFrom)} 改名`);
    en.push(`renamed from ${code(d.renamedFrom)}`);
  }
  if (d.choicesRemoved?.length) {
    zh.push(`取值 ${listCode(d.choicesRemoved, 3)["zh-CN"]} 不再接受`);
    en.push(`no longer accepts ${listCode(d.choicesRemoved, 3).en}`);
  }
  if (d.choicesAdded?.length) {
    zh.push(`新增取值 ${listCode(d.choicesAdded, 3)["zh-CN"]}`);
    en.push(`now accepts ${listCode(d.choicesAdded, 3).en}`);
  }
  if (d.defaultFrom !== undefined || d.defaultTo !== undefined) {
    const from = d.defaultFrom === undefined ? "—" : code(d.defaultFrom);
    const to = d.defaultTo === undefined ? "—" : code(d.defaultTo);
    zh.push(`默认值 ${from} → ${to}`);
    en.push(`default ${from} → ${to}`);
  }
  return { "zh-CN": zh.join("，"), en: en.join(", ") };
}

function withDetail(name: string, detail: Localized): Localized {
  return detail.en === "" ? same(code(name)) : { "zh-CN": `${code(name)}（${detail["zh-CN"]}）`, en: `${code(name)} (${detail.en})` };
}

/* ---------- summary ---------- */

export const SUMMARY = {
  /** The subject as the author wrote it, without type, scope and PR number. */
  lead(description: string): Localized {
    const text = description.replace(/[.。]+$/u, "");
    return { "zh-CN": `“${text}”。`, en: `${capitalize(text)}.` };
  },
  /** The body's own points, quoted: what the change does in its author's words. */
  points(points: readonly string[]): Localized {
    const quoted = points.map((point) => `“${point.replace(/[.。]+$/u, "")}”`);
    return { "zh-CN": `作者的说明：${quoted.join("；")}。`, en: `In the author's words: ${quoted.join("; ")}.` };
  },
  prTitle(title: string): Localized {
    return { "zh-CN": `合并的 PR：“${title}”。`, en: `Merges the pull request “${title}”.` };
  },
  /** The facts that matter most, as one sentence. */
  facts(fragments: readonly Localized[]): Localized {
    return {
      "zh-CN": `${fragments.map((f) => f["zh-CN"]).join("；")}。`,
      en: `${capitalize(fragments.map((f) => f.en).join("; "))}.`,
    };
  },
  breaking(note: string | undefined): Localized {
    return note ? { "zh-CN": `标记为破坏性变更：“${note}”`, en: `marked breaking: “${note}”` } : { "zh-CN": "标记为破坏性变更", en: "marked breaking" };
  },
  revert(shortSha: string | undefined): Localized {
    return shortSha ? { "zh-CN": `撤销提交 ${code(shortSha)}`, en: `reverts ${code(shortSha)}` } : { "zh-CN": "撤销此前的一个提交", en: "reverts an earlier commit" };
  },
  apiRemoved(names: readonly string[]): Localized {
    return { "zh-CN": `删除公开接口 ${listCode(names, 3)["zh-CN"]}`, en: `removes public ${names.length === 1 ? "API" : "APIs"} ${listCode(names, 3).en}` };
  },
  apiRenamed(pairs: ReadonlyArray<{ from: string; to: string }>): Localized {
    const list = pairs.slice(0, 3).map((p) => `${code(p.from)} → ${code(p.to)}`);
    return { "zh-CN": `公开接口改名 ${list.join("、")}`, en: `renames public API ${list.join(", ")}` };
  },
  apiHidden(names: readonly string[]): Localized {
    return { "zh-CN": `${listCode(names, 3)["zh-CN"]} 不再公开`, en: `${listCode(names, 3).en} ${names.length === 1 ? "is" : "are"} no longer public` };
  },
  apiSignature(names: readonly string[]): Localized {
    return { "zh-CN": `改变 ${listCode(names, 3)["zh-CN"]} 的签名`, en: `changes the signature of ${listCode(names, 3).en}` };
  },
  apiAdded(names: readonly string[]): Localized {
    return { "zh-CN": `新增公开接口 ${listCode(names, 3)["zh-CN"]}`, en: `adds public ${names.length === 1 ? "API" : "APIs"} ${listCode(names, 3).en}` };
  },
  apiMoved(names: readonly string[]): Localized {
    return { "zh-CN": `${listCode(names, 3)["zh-CN"]} 移到其他文件`, en: `moves ${listCode(names, 3).en} to another file` };
  },
  flags(removed: readonly string[], changed: readonly string[], added: readonly string[]): Localized {
    const zh: string[] = [];
    const en: string[] = [];
    if (removed.length > 0) {
      zh.push(`删除命令行参数 ${listCode(removed, 3)["zh-CN"]}`);
      en.push(`removes flag${removed.length === 1 ? "" : "s"} ${listCode(removed, 3).en}`);
    }
    if (changed.length > 0) {
      zh.push(`改变命令行参数 ${listCode(changed, 3)["zh-CN"]}`);
      en.push(`changes flag${changed.length === 1 ? "" : "s"} ${listCode(changed, 3).en}`);
    }
    if (added.length > 0) {
      zh.push(`新增命令行参数 ${listCode(added, 3)["zh-CN"]}`);
      en.push(`adds flag${added.length === 1 ? "" : "s"} ${listCode(added, 3).en}`);
    }
    return { "zh-CN": zh.join("；"), en: en.join("; ") };
  },
  settings(change: "added" | "removed", names: readonly string[]): Localized {
    return change === "added"
      ? { "zh-CN": `新增配置 ${listCode(names, 3)["zh-CN"]}`, en: `adds the setting${names.length === 1 ? "" : "s"} ${listCode(names, 3).en}` }
      : { "zh-CN": `不再读取配置 ${listCode(names, 3)["zh-CN"]}`, en: `no longer reads ${listCode(names, 3).en}` };
  },
  release(version: string): Localized {
    return { "zh-CN": `发布 ${code(version)}`, en: `releases ${code(version)}` };
  },
  toolchain(version: VersionChange): Localized {
    const span = version.from && version.to ? `${code(version.from)} → ${code(version.to)}` : code(version.to ?? version.from ?? "");
    return { "zh-CN": `${code(version.name)} ${span}`, en: `${code(version.name)} ${span}` };
  },
  components(names: readonly string[]): Localized {
    return { "zh-CN": `新增组件 ${listCode(names, 3)["zh-CN"]}`, en: `adds ${listCode(names, 3).en}` };
  },
  dependencies(runtime: readonly DependencyChange[], build: number, dev: number): Localized {
    const zh: string[] = [];
    const en: string[] = [];
    if (runtime.length > 0) {
      const list = joinDependencyTexts(runtime, 3);
      zh.push(`运行时依赖 ${list["zh-CN"]}`);
      en.push(`runtime ${runtime.length === 1 ? "dependency" : "dependencies"} ${list.en}`);
    }
    if (build > 0) {
      zh.push(`构建依赖 ${build} 项`);
      en.push(plural(build, "build dependency", "build dependencies"));
    }
    if (dev > 0) {
      zh.push(`开发依赖 ${dev} 项`);
      en.push(plural(dev, "development dependency", "development dependencies"));
    }
    return { "zh-CN": zh.join("；"), en: en.join("; ") };
  },
  formatting: { "zh-CN": "只改空白与格式，运行的代码不变", en: "whitespace and formatting only: no code that runs changes" } as Localized,
  dataFiles(change: "added" | "removed", count: number): Localized {
    return change === "added"
      ? { "zh-CN": `新增 ${count} 个数据文件`, en: `adds ${plural(count, "data file", "data files")}` }
      : { "zh-CN": `删除 ${count} 个数据文件`, en: `deletes ${plural(count, "data file", "data files")}` };
  },
  onlyKinds(kinds: readonly FileKind[]): Localized {
    const labels = kinds.map((kind) => FILE_KIND_LABELS[kind]);
    return {
      "zh-CN": `只涉及${labels.map((l) => l["zh-CN"]).join("、")}，产品代码不变`,
      en: `${labels.map((l) => l.en).join(", ")} only; product code is unchanged`,
    };
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
    return { "zh-CN": `${name["zh-CN"]}：${touch.files} 个文件（${lines}）`, en: `${capitalize(name.en)}: ${touch.files} files (${lines})` };
  },
  otherModules(modules: number, count: LineCount): Localized {
    return {
      "zh-CN": `另有 ${modules} 个模块，共 ${count.files} 个文件（${signedLines(count)}）`,
      en: `${plural(modules, "more module", "more modules")}, ${plural(count.files, "file", "files")} (${signedLines(count)})`,
    };
  },
  publicApi(api: { added: SymbolChange[]; removed: SymbolChange[]; renamed: SymbolChange[]; signature: SymbolChange[]; moved: Array<{ name: string; from: string; to: string }> }): Localized {
    const zh: string[] = [];
    const en: string[] = [];
    if (api.removed.length > 0) {
      zh.push(`删除 ${listSymbols(api.removed)["zh-CN"]}`);
      en.push(`removes ${listSymbols(api.removed).en}`);
    }
    if (api.renamed.length > 0) {
      const pairs = api.renamed.slice(0, 3).map((s) => `${code(s.from?.name ?? "?")} → ${code(s.name)}`);
      zh.push(`改名 ${pairs.join("、")}`);
      en.push(`renames ${pairs.join(", ")}`);
    }
    // A visibility change goes either way: only one away from public hides an API.
    const visibilityOnly = api.signature.filter((s) => isVisibilityOnly(s.signature!));
    const hidden = visibilityOnly.filter((s) => s.signature!.visibility!.from === "public");
    const exposed = visibilityOnly.filter((s) => s.signature!.visibility!.to === "public");
    if (hidden.length > 0) {
      zh.push(`不再公开 ${listCode(hidden.map((s) => s.name), 3)["zh-CN"]}`);
      en.push(`no longer public: ${listCode(hidden.map((s) => s.name), 3).en}`);
    }
    if (exposed.length > 0) {
      zh.push(`改为公开 ${listCode(exposed.map((s) => s.name), 3)["zh-CN"]}`);
      en.push(`now public: ${listCode(exposed.map((s) => s.name), 3).en}`);
    }
    for (const symbol of api.signature.filter((s) => !isVisibilityOnly(s.signature!)).slice(0, 3)) {
      const detail = signatureDetail(symbol.signature!);
      zh.push(`${code(symbol.name)} 的签名变化（${detail["zh-CN"]}）`);
      en.push(`changes the signature of ${code(symbol.name)} (${detail.en})`);
    }
    if (api.signature.length > 3) {
      zh.push(`另有 ${api.signature.length - 3} 个签名变化`);
      en.push(`${api.signature.length - 3} more signatures change`);
    }
    for (const moved of api.moved.slice(0, 3)) {
      zh.push(`${code(moved.name)} 从 ${code(moved.from)} 移到 ${code(moved.to)}`);
      en.push(`moves ${code(moved.name)} from ${code(moved.from)} to ${code(moved.to)}`);
    }
    if (api.added.length > 0) {
      zh.push(`新增 ${listSymbols(api.added)["zh-CN"]}`);
      en.push(`adds ${listSymbols(api.added).en}`);
    }
    return { "zh-CN": `公开接口：${zh.join("；")}`, en: `Public API: ${en.join("; ")}` };
  },
  /** Code changed under unchanged signatures: what the commit touches. */
  touches(names: readonly string[]): Localized {
    return { "zh-CN": `改动的函数与类型：${listCode(names)["zh-CN"]}`, en: `Code changed in ${listCode(names).en}` };
  },
  flags(entries: readonly SurfaceChange[]): Localized {
    const zh: string[] = [];
    const en: string[] = [];
    for (const [change, zhVerb, enVerb] of [
      ["removed", "删除", "removes"],
      ["renamed", "改名", "renames"],
      ["changed", "改变", "changes"],
      ["added", "新增", "adds"],
    ] as const) {
      const items = entries.filter((e) => e.change === change).slice(0, LIST_LIMIT).map((e) => withDetail(e.name, flagDetail(e)));
      if (items.length === 0) continue;
      zh.push(`${zhVerb} ${items.map((i) => i["zh-CN"]).join("、")}`);
      en.push(`${enVerb} ${items.map((i) => i.en).join(", ")}`);
    }
    return { "zh-CN": `命令行参数：${zh.join("；")}`, en: `Command-line flags: ${en.join("; ")}` };
  },
  settings(kind: Exclude<SurfaceKind, "cli-flag">, added: readonly string[], removed: readonly string[]): Localized {
    const zh: string[] = [];
    const en: string[] = [];
    if (added.length > 0) {
      zh.push(`新增 ${listCode(added)["zh-CN"]}`);
      en.push(`adds ${listCode(added).en}`);
    }
    if (removed.length > 0) {
      zh.push(`不再读取 ${listCode(removed)["zh-CN"]}`);
      en.push(`no longer reads ${listCode(removed).en}`);
    }
    const heading = SURFACE_KIND_HEADINGS[kind];
    return { "zh-CN": `${heading["zh-CN"]}：${zh.join("；")}`, en: `${heading.en}: ${en.join("; ")}` };
  },
  dependencies(use: "runtime" | "build" | "dev", dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, LIST_LIMIT);
    switch (use) {
      case "runtime":
        return { "zh-CN": `运行时依赖：${list["zh-CN"]}`, en: `Runtime dependencies: ${list.en}` };
      case "build":
        return { "zh-CN": `构建依赖：${list["zh-CN"]}`, en: `Build dependencies: ${list.en}` };
      case "dev":
        return { "zh-CN": `开发依赖：${list["zh-CN"]}`, en: `Development dependencies: ${list.en}` };
    }
  },
  versions(versions: readonly VersionChange[]): Localized {
    const items = versions.slice(0, 4).map((v) => `${code(v.name)} ${v.from ? code(v.from) : "—"} → ${v.to ? code(v.to) : "—"}`);
    return { "zh-CN": `版本：${items.join("、")}`, en: `Versions: ${items.join(", ")}` };
  },
  ignored(paths: readonly string[]): Localized {
    const list = listCode(paths, 3);
    return { "zh-CN": `按忽略规则未分析：${list["zh-CN"]}`, en: `Not analysed (ignore patterns): ${list.en}` };
  },
};

/* ---------- insights ---------- */

export const INSIGHT = {
  components(names: readonly string[]): Localized {
    return { "zh-CN": `新增组件：${listCode(names, 3)["zh-CN"]}`, en: `New ${names.length === 1 ? "component" : "components"}: ${listCode(names, 3).en}` };
  },
  removedModules(names: readonly string[]): Localized {
    const zh = listOf(names.map((name) => moduleName(name)["zh-CN"]));
    const en = listOf(names.map((name) => moduleName(name).en));
    return { "zh-CN": `删除模块：${zh["zh-CN"]}`, en: `Removed ${names.length === 1 ? "module" : "modules"}: ${en.en}` };
  },
  moved(symbol: { name: string; from: string; to: string }): Localized {
    return {
      "zh-CN": `${code(symbol.name)} 的定义从 ${code(symbol.from)} 移到 ${code(symbol.to)}，从旧位置导入它的代码可能需要调整`,
      en: `${code(symbol.name)} moves from ${code(symbol.from)} to ${code(symbol.to)}; imports of the old place may need updating`,
    };
  },
  perfStated(words: string | undefined): Localized {
    return words
      ? { "zh-CN": `提交说明写明“${words}”，属于性能改进`, en: `The message says “${words}”: a performance change` }
      : { "zh-CN": "提交声明为性能改进", en: "Declared a performance change" };
  },
  signal(kind: SignalKind, change: "added" | "removed", origin: Origin & { lines?: readonly number[] }, text: string): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    const evidence = text ? `：${code(text)}` : "";
    const evidenceEn = text ? `: ${code(text)}` : "";
    return change === "added"
      ? { "zh-CN": `${where["zh-CN"]}新增${label["zh-CN"]}${evidence}`, en: `${where.en}: ${label.en} added${evidenceEn}` }
      : { "zh-CN": `${where["zh-CN"]}删除${label["zh-CN"]}${evidence}`, en: `${where.en}: ${label.en} removed${evidenceEn}` };
  },
  runtimeVersions(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, 3);
    return { "zh-CN": `运行时依赖版本变化：${list["zh-CN"]}`, en: `Runtime dependency versions move: ${list.en}` };
  },
  dependenciesAdded(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies, 3);
    return { "zh-CN": `引入新的运行时依赖：${list["zh-CN"]}`, en: `New third-party code users will run: ${list.en}` };
  },
  testsAdded(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `新增 ${names.length} 个测试：${list["zh-CN"]}`, en: `${plural(names.length, "test", "tests")} added: ${list.en}` };
  },
  testsRemoved(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `删除 ${names.length} 个测试：${list["zh-CN"]}`, en: `${plural(names.length, "test", "tests")} removed: ${list.en}` };
  },
  docsUpdated(paths: readonly string[]): Localized {
    const list = listCode(paths, 3);
    return { "zh-CN": `文档随之更新：${list["zh-CN"]}`, en: `Docs updated with it: ${list.en}` };
  },
  breaking(note: string | undefined): Localized {
    return note
      ? { "zh-CN": `提交标记为破坏性变更：“${note}”`, en: `Marked as a breaking change: “${note}”` }
      : { "zh-CN": "提交标记为破坏性变更", en: "Marked as a breaking change" };
  },
  apiBreaks(symbols: readonly SymbolChange[]): Localized {
    return { "zh-CN": `旧调用方式失效：${listCode(symbols.map((s) => s.name), 3)["zh-CN"]}`, en: `Calls written for the old API break: ${listCode(symbols.map((s) => s.name), 3).en}` };
  },
  majorDependencies(dependencies: readonly DependencyChange[]): Localized {
    const list = joinDependencyTexts(dependencies.map((d) => ({ ...d, major: false })), 3);
    return { "zh-CN": `依赖主版本变化：${list["zh-CN"]}`, en: `Major dependency versions change: ${list.en}` };
  },
  toolchain(version: VersionChange): Localized {
    const span = `${version.from ? code(version.from) : "—"} → ${version.to ? code(version.to) : "—"}`;
    return { "zh-CN": `所需工具链变化：${code(version.name)} ${span}`, en: `The toolchain users need moves: ${code(version.name)} ${span}` };
  },
};

/* ---------- risks ---------- */

/** What a reviewer has to confirm about a new line of each kind. */
const SIGNAL_CONCERNS: Record<SignalKind, Localized> = {
  timeout: { "zh-CN": "需要确认取值适合实际负载", en: "check that the value suits real load" },
  limit: { "zh-CN": "需要确认取值适合实际负载", en: "check that the value suits real load" },
  "process-exec": { "zh-CN": "需要确认传入的命令和参数可信", en: "check that the command and its arguments are trusted" },
  eval: { "zh-CN": "需要确认被求值的内容可信", en: "check that what is evaluated is trusted" },
  unsafe: { "zh-CN": "需要确认其内存安全前提成立", en: "check that its memory-safety preconditions hold" },
  auth: { "zh-CN": "认证逻辑的改动需要安全审查", en: "changes to authentication need a security review" },
  crypto: { "zh-CN": "加密相关的改动需要安全审查", en: "changes to cryptography need a security review" },
  secret: {
    "zh-CN": "需要确认这是占位值而非真实凭据（提交过的密钥会一直留在历史中）",
    en: "check that it is a placeholder, not a real credential (a committed secret stays in the history)",
  },
  "network-listen": { "zh-CN": "需要确认监听地址和访问控制", en: "check the bind address and who can connect" },
  permission: { "zh-CN": "需要确认权限没有被放宽", en: "check that permissions are not widened" },
};

export const RISK = {
  breaking: {
    "zh-CN": "提交标记为破坏性变更，依赖旧行为的调用方需要随之调整。",
    en: "The commit is marked breaking: callers that rely on the old behaviour need changes.",
  } as Localized,
  apiBreaks(symbols: readonly SymbolChange[]): Localized {
    const list = listCode(symbols.map((s) => s.name), 3);
    return {
      "zh-CN": `${list["zh-CN"]} 被删除、改名或改变了签名，按旧方式调用的代码会失效。`,
      en: `${list.en} ${symbols.length === 1 ? "is" : "are"} removed, renamed or given a new signature: code written against the old API breaks.`,
    };
  },
  flagBreaks(entries: readonly SurfaceChange[]): Localized {
    const list = entries.slice(0, 3).map((e) => withDetail(e.name, flagDetail(e)));
    return {
      "zh-CN": `命令行参数变化：${list.map((i) => i["zh-CN"]).join("、")}，使用旧写法的脚本可能报错或改变行为。`,
      en: `Flags change: ${list.map((i) => i.en).join(", ")}; scripts written for the old ones may fail or behave differently.`,
    };
  },
  settingsRemoved(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return {
      "zh-CN": `不再读取 ${list["zh-CN"]}，仍设置${names.length === 1 ? "它" : "它们"}的部署将不再生效。`,
      en: `${list.en} ${names.length === 1 ? "is" : "are"} no longer read: deployments that set ${names.length === 1 ? "it" : "them"} silently lose the effect.`,
    };
  },
  majorDependency(dependency: DependencyChange): Localized {
    const text = dependencyText({ ...dependency, major: false });
    return { "zh-CN": `依赖 ${text["zh-CN"]} 跨越主版本，可能带来不兼容的变化。`, en: `${text.en} crosses a major version and may bring incompatible changes.` };
  },
  signal(kind: SignalKind, origin: Origin): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    const concern = SIGNAL_CONCERNS[kind];
    return { "zh-CN": `${where["zh-CN"]}新增${label["zh-CN"]}，${concern["zh-CN"]}。`, en: `New ${label.en} at ${where.en}: ${concern.en}.` };
  },
  dataRemoved(count: number): Localized {
    return {
      "zh-CN": `删除了 ${count} 个随产品发布的数据文件，依赖它们的用法会失效。`,
      en: `${plural(count, "data file", "data files")} the product ships ${count === 1 ? "is" : "are"} deleted; uses that rely on ${count === 1 ? "it" : "them"} stop working.`,
    };
  },
  untestedFix: {
    "zh-CN": "修复没有附带测试，回归只能靠后续发现。",
    en: "The fix comes without a test; a regression would go unnoticed.",
  } as Localized,
  testsRemoved(count: number): Localized {
    return { "zh-CN": `删除了 ${count} 个测试，相应行为失去了测试覆盖。`, en: `${plural(count, "test is", "tests are")} removed; the behaviour they covered is no longer tested.` };
  },
};

/* ---------- recommendations ---------- */

export const RECOMMEND = {
  checkApiUsage(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `升级前在代码中搜索 ${list["zh-CN"]} 的用法。`, en: `Before upgrading, search your code for ${list.en}.` };
  },
  updateScripts(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `检查脚本和部署中对 ${list["zh-CN"]} 的用法。`, en: `Check scripts and deployments that pass ${list.en}.` };
  },
  checkRemovedSettings(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `检查部署配置是否仍在设置 ${list["zh-CN"]}。`, en: `Check whether your deployments still set ${list.en}.` };
  },
  readBreakingNote: { "zh-CN": "升级前阅读该提交的破坏性变更说明。", en: "Read the commit's breaking-change note before upgrading." } as Localized,
  checkMajorDependency(dependency: DependencyChange): Localized {
    const version = dependency.to ? ` ${dependency.to}` : "";
    return { "zh-CN": `确认你的环境与 ${code(dependency.name)}${version} 兼容。`, en: `Make sure your environment works with ${code(dependency.name)}${version}.` };
  },
  checkToolchain(version: VersionChange): Localized {
    return {
      "zh-CN": `确认构建环境满足 ${code(version.name)} ${version.to ? code(version.to) : ""}。`,
      en: `Make sure your build environment meets ${code(version.name)} ${version.to ? code(version.to) : ""}.`,
    };
  },
  readRelease(version: string): Localized {
    return { "zh-CN": `升级到 ${code(version)} 前阅读其发布说明。`, en: `Read the release notes before moving to ${code(version)}.` };
  },
  useNewSettings(names: readonly string[]): Localized {
    const list = listCode(names, 3);
    return { "zh-CN": `升级后可使用新增的 ${list["zh-CN"]}。`, en: `After upgrading, ${list.en} ${names.length === 1 ? "is" : "are"} available.` };
  },
  markBreaking: {
    "zh-CN": "公开接口被删除或改名，但提交没有标记破坏性变更，建议在变更日志中注明。",
    en: "Public API is removed or renamed without a breaking-change marker; note it in the changelog.",
  } as Localized,
  reviewSignal(kind: SignalKind, origin: Origin): Localized {
    const label = SIGNAL_KIND_LABELS[kind];
    const where = location(origin);
    return { "zh-CN": `复核 ${where["zh-CN"]}的${label["zh-CN"]}。`, en: `Review the ${label.en} at ${where.en}.` };
  },
  vetDependencies(dependencies: readonly DependencyChange[]): Localized {
    const list = listCode(dependencies.map((d) => d.name), 3);
    return {
      "zh-CN": `确认新依赖 ${list["zh-CN"]} 的许可证与维护状态。`,
      en: `Check the licence and maintenance status of the new ${dependencies.length === 1 ? "dependency" : "dependencies"} ${list.en}.`,
    };
  },
  addRegressionTest: { "zh-CN": "为这个修复补一个回归测试。", en: "Add a regression test for this fix." } as Localized,
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

/** "A bug fix in product code", or, when the type was read from the subject's words, those words quoted. */
function declaredType(params: ReasonParams, type: Localized): Localized {
  const words = param(params, "words");
  if (words === "") return { "zh-CN": `产品代码的${type["zh-CN"]}`, en: `${capitalize(type.en)} in product code` };
  return { "zh-CN": `提交说明写明“${words}”：产品代码的${type["zh-CN"]}`, en: `The message says “${words}”: ${type.en} in product code` };
}

/** Reason texts by rule code; `separator` is what joined the names in the params. */
export function renderReason(ruleCode: string, params: ReasonParams, separator: string): Localized {
  const names = (key: string): Localized => listCode(splitNames(params, key, separator), 3);
  const kinds = (): Localized => {
    const labels = splitNames(params, "kinds", separator).map((kind) => SIGNAL_KIND_LABELS[kind as SignalKind] ?? same(kind));
    return joinLocalized(labels, { "zh-CN": "、", en: ", " });
  };
  const versions = (): string => {
    const from = param(params, "from");
    const to = param(params, "to");
    return from && to ? ` ${code(from)} → ${code(to)}` : "";
  };
  switch (ruleCode) {
    case "breaking-change":
      return { "zh-CN": "提交标记为破坏性变更", en: "Marked as a breaking change" };
    case "api-break":
      return { "zh-CN": `公开接口删除、改名或签名不兼容：${names("names")["zh-CN"]}`, en: `Public API removed, renamed or changed incompatibly: ${names("names").en}` };
    case "cli-break":
      return { "zh-CN": `命令行参数删除、改名或改变取值与默认值：${names("names")["zh-CN"]}`, en: `Flags removed, renamed, or their choices or defaults changed: ${names("names").en}` };
    case "setting-removed":
      return { "zh-CN": `不再读取的配置：${names("names")["zh-CN"]}`, en: `Settings no longer read: ${names("names").en}` };
    case "security-fix": {
      const words = quoteAll(splitNames(params, "words", separator));
      return { "zh-CN": `提交说明提到安全问题：${words["zh-CN"]}`, en: `The message speaks of security: ${words.en}` };
    }
    case "severe-fix":
      return { "zh-CN": `修复严重故障（“${param(params, "words")}”）`, en: `Fixes a severe failure (“${param(params, "words")}”)` };
    case "new-component":
      return { "zh-CN": `新增组件：${names("names")["zh-CN"]}`, en: `A new component: ${names("names").en}` };
    case "major-release":
      return { "zh-CN": `发布新的主版本 ${code(param(params, "version"))}`, en: `A new major release, ${code(param(params, "version"))}` };
    case "release":
      return { "zh-CN": `发布 ${code(param(params, "version"))}`, en: `Releases ${code(param(params, "version"))}` };
    case "feature":
      return declaredType(params, { "zh-CN": "新功能", en: "a feature" });
    case "fix":
      return declaredType(params, { "zh-CN": "Bug 修复", en: "a bug fix" });
    case "performance":
      return declaredType(params, { "zh-CN": "性能改进", en: "a performance change" });
    case "product-change":
      return { "zh-CN": "产品代码有改动，提交说明未写明改动性质", en: "product code changes, of a kind the message does not name" };
    case "toolchain":
      return { "zh-CN": `所需工具链变化：${code(param(params, "name"))}${versions()}`, en: `The toolchain users need moves: ${code(param(params, "name"))}${versions()}` };
    case "runtime-dependency":
      return { "zh-CN": `运行时依赖变化 ${count(params)} 项：${names("names")["zh-CN"]}`, en: `${plural(count(params), "runtime dependency changes", "runtime dependencies change")}: ${names("names").en}` };
    case "dependency-major":
      return { "zh-CN": `依赖 ${code(param(params, "name"))}${versions()} 主版本变化`, en: `${code(param(params, "name"))}${versions()} crosses a major version` };
    case "deprecation":
      return { "zh-CN": `提交说明提到弃用（“${param(params, "words")}”）`, en: `The message deprecates something (“${param(params, "words")}”)` };
    case "large-change":
      return { "zh-CN": `产品代码大范围改动（${param(params, "lines")} 行）`, en: `A large change to product code (${param(params, "lines")} lines)` };
    case "public-api-added":
      return { "zh-CN": `新增公开接口 ${count(params)} 个：${names("names")["zh-CN"]}`, en: `New public API (${count(params)}): ${names("names").en}` };
    case "api-extended":
      return { "zh-CN": `公开接口签名兼容地扩展：${names("names")["zh-CN"]}`, en: `Public API extended compatibly: ${names("names").en}` };
    case "api-moved":
      return { "zh-CN": `公开接口移到其他文件：${names("names")["zh-CN"]}`, en: `Public API moved to another file: ${names("names").en}` };
    case "setting-added":
      return { "zh-CN": `新增配置或命令行参数：${names("names")["zh-CN"]}`, en: `New settings or flags: ${names("names").en}` };
    case "cli-changed":
      return { "zh-CN": `命令行参数接受新取值：${names("names")["zh-CN"]}`, en: `Flags accept new values: ${names("names").en}` };
    case "data-removed":
      return { "zh-CN": `删除随产品发布的数据文件 ${count(params)} 个`, en: `${plural(count(params), "shipped data file", "shipped data files")} deleted` };
    case "data-added":
      return { "zh-CN": `新增随产品发布的数据文件 ${count(params)} 个`, en: `${plural(count(params), "shipped data file", "shipped data files")} added` };
    case "container-image":
      return { "zh-CN": `改动项目发布的容器镜像：${names("paths")["zh-CN"]}`, en: `Changes the container image the project publishes: ${names("paths").en}` };
    case "critical-path":
      return { "zh-CN": `改动关键路径：${names("paths")["zh-CN"]}`, en: `Touches critical paths: ${names("paths").en}` };
    case "security-signal":
      return { "zh-CN": `产品代码新增需复核的代码：${kinds()["zh-CN"]}`, en: `New lines to review in product code: ${kinds().en}` };
    case "runtime-limit-signal":
      return { "zh-CN": `改动运行时限制：${kinds()["zh-CN"]}`, en: `Runtime limits change: ${kinds().en}` };
    case "source-lines":
      return { "zh-CN": `产品源码改动 ${param(params, "lines")} 行`, en: `${param(params, "lines")} lines of product source changed` };
    case "revert":
      return { "zh-CN": "撤销此前的提交", en: "Reverts an earlier commit" };
    case "tests-removed":
      return { "zh-CN": `删除 ${count(params)} 个测试`, en: `${plural(count(params), "test", "tests")} removed` };
    case "no-product-change":
      return { "zh-CN": "产品代码不变（只涉及文档、测试、CI、示例、工具或开发依赖），定为低", en: "No product code changes (docs, tests, CI, examples, tooling or dev dependencies only): low" };
    case "companion-only":
      return { "zh-CN": "只改动不随产品安装的配套程序，最高定为中", en: "Only a companion program outside the installed package changes: at most medium" };
    case "reverted-in-period":
      return { "zh-CN": `与同期的 ${code(param(params, "sha"))} 相互抵消，定为低`, en: `Cancelled out by ${code(param(params, "sha"))} in the same period: low` };
    default:
      return same(ruleCode);
  }
}
