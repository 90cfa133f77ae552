/**
 * Checks a model's answer against the commit before it reaches a report. A model writes
 * fluent text about names it never saw; a reader cannot tell. So every name the answer
 * uses (a code span, a file path, an environment variable, a command-line flag, a
 * version or decimal number) must appear in the commit: its message, its PR text, its
 * facts or its diff. A list item that names something else is dropped; in a summary,
 * the sentence is. zh-CN text is brought to Simplified Chinese, since models trained on
 * both scripts drift into Traditional characters mid-answer.
 */
import { Converter } from "opencc-js/t2cn";
import type { CommitFacts } from "../../facts/types.js";
import type { Lang } from "../../i18n/lang.js";
import { stripReasoning } from "./call-model.js";
import type { CheckReport, LlmAnswer } from "./types.js";

export interface CheckContext {
  facts: CommitFacts;
  /** The commit's whole diff (not only the view the model saw: a name from the facts is as good). */
  diffText: string;
  message: string;
  /** PR title and body, where known. */
  pullRequestText?: string;
  lang: Lang;
}

export interface CheckedAnswer {
  answer: LlmAnswer;
  report: CheckReport;
}

// Taiwan variants to Mainland simplified, characters only: phrase conversion (記憶體 →
// 内存) would rewrite a model's wording, not its script.
const toSimplified = Converter({ from: "tw", to: "cn" });

const CODE_SPAN = /`([^`\n]+)`/g;
/** a/b.c, ./a.b, a/b/ — paths with a folder, or a file name with an extension. */
const PATH = /(?<![\w./-])(?:[\w.-]+\/)+[\w.-]*|(?<![\w./-])[\w-]+\.(?:[a-z][a-z0-9]{0,5})(?![\w/])/gi;
const ENV_VAR = /(?<![\w$])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w])/g;
const FLAG = /(?<![\w-])--[a-z0-9][a-z0-9-]*(?:=[^\s`,;:)）。，；]+)?/gi;
const VERSION_OR_DECIMAL = /(?<![\w.])v?\d+(?:\.\d+)+(?:-[0-9A-Za-z.]+)?(?![\w.]*\d)/g;
/** Words that look like file names in prose but are not paths: "e.g", "i.e", "Node.js". */
const NOT_PATHS = new Set(["e.g", "i.e", "etc", "node.js", "vs"]);

export function checkAnswer(answer: LlmAnswer, context: CheckContext): CheckedAnswer {
  const corpus = buildCorpus(context);
  const report: CheckReport = { ungrounded: [], droppedSentences: 0, traditionalFixed: 0, reasoningRemoved: false };
  const ungrounded = new Set<string>();

  const clean = (text: string): string => {
    const stripped = stripReasoning(text);
    if (stripped.removed) report.reasoningRemoved = true;
    if (context.lang !== "zh-CN") return stripped.text;
    const simplified = simplifyOutsideCode(stripped.text);
    report.traditionalFixed += simplified.changed;
    return simplified.text;
  };
  /** The item, or undefined when it names something the commit does not hold. */
  const keep = (text: string): string | undefined => {
    const cleaned = clean(text);
    const missing = findUngrounded(cleaned, corpus);
    if (missing.length === 0) return cleaned || undefined;
    for (const name of missing) ungrounded.add(name);
    report.droppedSentences += 1;
    return undefined;
  };
  const keepAll = (items: readonly string[]) => items.map(keep).filter((item): item is string => item !== undefined);

  const summary = splitSentences(clean(answer.summary))
    .filter((sentence) => {
      const missing = findUngrounded(sentence, corpus);
      for (const name of missing) ungrounded.add(name);
      if (missing.length > 0) report.droppedSentences += 1;
      return missing.length === 0;
    })
    .join("")
    .trim();

  const checked: LlmAnswer = {
    summary,
    changeType: answer.changeType,
    importance: answer.importance,
    importanceReasons: keepAll(answer.importanceReasons),
    impact: keepAll(answer.impact),
    insights: answer.insights
      .map((insight) => ({ dimension: insight.dimension, points: keepAll(insight.points) }))
      .filter((insight) => insight.points.length > 0),
    risks: keepAll(answer.risks),
    recommendations: answer.recommendations
      .map((rec) => ({ audience: rec.audience, text: keep(rec.text) }))
      .filter((rec): rec is { audience: typeof rec.audience; text: string } => rec.text !== undefined),
  };
  report.ungrounded = [...ungrounded];
  return { answer: checked, report };
}

export interface Corpus {
  text: string;
  paths: string[];
}

function buildCorpus(context: CheckContext): Corpus {
  const { facts } = context;
  const paths = facts.files.flatMap((file) => (file.oldPath ? [file.path, file.oldPath] : [file.path]));
  const named = [
    ...paths,
    ...facts.modules,
    ...facts.symbols.map((s) => s.name),
    ...facts.surface.map((s) => s.name),
    ...facts.dependencies.flatMap((d) => [d.name, d.from ?? "", d.to ?? ""]),
    ...facts.tests.map((t) => t.name),
    ...facts.signals.map((s) => s.text),
    facts.message.breakingNote ?? "",
  ];
  return { text: [context.message, context.pullRequestText ?? "", named.join("\n"), context.diffText].join("\n"), paths };
}

/** The names in a text that the commit does not hold. */
export function findUngrounded(text: string, corpus: Corpus): string[] {
  const missing: string[] = [];
  const check = (name: string, grounded: (name: string) => boolean) => {
    if (!grounded(name) && !missing.includes(name)) missing.push(name);
  };
  const prose = text.replace(CODE_SPAN, (_, code: string) => {
    check(code.trim(), (name) => codeIsGrounded(name, corpus));
    return " ";
  });
  for (const [path] of prose.matchAll(PATH)) {
    const trimmed = path.replace(/[.,;:]+$/, "");
    if (trimmed.length < 3 || NOT_PATHS.has(trimmed.toLowerCase()) || /^\d+(\.\d+)*$/.test(trimmed)) continue;
    check(trimmed, (name) => pathIsGrounded(name, corpus));
  }
  for (const [name] of prose.matchAll(ENV_VAR)) check(name, (n) => appearsWhole(corpus.text, n, "word"));
  for (const [flag] of prose.matchAll(FLAG)) check(flag, (n) => appearsWhole(corpus.text, n, "flag") || appearsWhole(corpus.text, n.split("=")[0]!, "flag"));
  for (const [version] of prose.matchAll(VERSION_OR_DECIMAL)) check(version, (n) => appearsWhole(corpus.text, n.replace(/^v/, ""), "number"));
  return missing;
}

type NameKind = "word" | "flag" | "number" | "path";

/** What may not touch a name on either side, by kind, so that it is not part of a longer one. */
const EDGES: Record<NameKind, { before: string; after: string }> = {
  word: { before: "(?<!\\w)", after: "(?!\\w)" },
  flag: { before: "(?<![\\w-])", after: "(?![\\w-])" },
  number: { before: "(?<![\\w.])", after: "(?!\\w|\\.\\d)" },
  path: { before: "(?<![\\w.-])", after: "(?![\\w/-]|\\.\\w)" },
};

/**
 * The name as a whole in the text, not inside a longer one: "3.1" is not in "2.3.1",
 * SERVER_POR not in SERVER_PORT, --work not in --workers.
 */
function appearsWhole(text: string, name: string, kind: NameKind): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const { before, after } = EDGES[kind];
  if (new RegExp(`${before}${escaped}${after}`).test(text)) return true;
  // A version is often written v1.2.3 in the diff and 1.2.3 in prose.
  return kind === "number" && /^\d/.test(name) && new RegExp(`(?<![\\w.])v${escaped}${after}`).test(text);
}

function codeIsGrounded(code: string, corpus: Corpus): boolean {
  const name = code.replace(/\(\)$/, "");
  if (name.length === 0 || appearsWhole(corpus.text, name, name.startsWith("-") ? "flag" : "word")) return true;
  // A path in backticks is a path: its folder and file must match a path of the commit.
  if (/^[\w.-]*\/|^[\w-]+\.[a-z][a-z0-9]{0,5}$/i.test(name)) return pathIsGrounded(name, corpus);
  // A snippet: grounded when each of its identifiers is.
  const identifiers = name.match(/[A-Za-z_][\w.]*[\w]/g) ?? [];
  return identifiers.length > 1 && identifiers.every((identifier) => appearsWhole(corpus.text, identifier, "word"));
}

/** A path, or the tail of one ("mod0.py" for src/mod0.py, "src/llm/" for a folder touched). */
function pathIsGrounded(path: string, corpus: Corpus): boolean {
  const bare = path.replace(/^\.\//, "").replace(/\/$/, "");
  if (corpus.paths.some((known) => known === bare || known.endsWith(`/${bare}`) || known.startsWith(`${bare}/`))) return true;
  // Named in the message or the diff (a path the code refers to), as a whole.
  return appearsWhole(corpus.text, bare, "path");
}

/** Sentences with their end marks, for Chinese and English. */
function splitSentences(text: string): string[] {
  return text.split(/(?<=[。！？])|(?<=[.!?])(?=\s)/).filter((sentence) => sentence.length > 0);
}

export function simplifyOutsideCode(text: string): { text: string; changed: number } {
  let changed = 0;
  const converted = text
    .split(/(`[^`\n]*`)/)
    .map((part) => {
      if (part.startsWith("`")) return part;
      const simplified = toSimplified(part);
      changed += countChanged(part, simplified);
      return simplified;
    })
    .join("");
  return { text: converted, changed };
}

function countChanged(before: string, after: string): number {
  const a = [...before];
  const b = [...after];
  if (a.length !== b.length) return Math.max(1, Math.abs(a.length - b.length));
  return a.reduce((sum, char, i) => sum + (char === b[i] ? 0 : 1), 0);
}
