/**
 * The one secret redactor: every text that is stored, reported, logged, delivered or sent
 * to a model passes through `redactText`. Rules: gitleaks' default rule set, vendored as
 * data (src/secrets/gitleaks-rules.json, scripts/update-gitleaks-rules.ts), and a few of our
 * own where it has none (src/secrets/local-rules.ts). Each secret value becomes
 * `[redacted:<rule id>]` inside its line: the names around it, the line and the line count
 * stay, so that patch analyses and line numbers read the same text shape.
 *
 * Speed: the text is read line by line, and a line runs only the rules whose keywords it
 * holds (gitleaks' prefilter): one test of all keywords at once rejects most lines.
 */
import { compileRules, matchRule, pathAllowed, type CompiledRule } from "./gitleaks.js";
import { KeywordMatcher } from "./keyword-matcher.js";
import { findPrivateKeyBlocks, LOCAL_RULES, type LocalRule } from "./local-rules.js";

export interface SecretFinding {
  /** The rule that found it: a gitleaks rule id (`github-pat`, `generic-api-key`) or one of ours (`url-password`, `password`). */
  rule: string;
  /** 1-based line of the text. */
  line: number;
  /** Where the marker stands in the redacted text (its offsets, never the value's). */
  start: number;
  end: number;
}

export interface RedactedText {
  text: string;
  /** What was replaced, in text order; never the values. */
  findings: SecretFinding[];
}

export interface RedactOptions {
  /**
   * The text is a unified diff (hunks from the first `@@` on): the first character of
   * each line is its diff marker and is never part of a secret.
   */
  patch?: boolean;
  /** The file the text belongs to, for gitleaks' path allowlists and path-bound rules. */
  path?: string;
}

/** A redaction marker as this module writes it. */
export const REDACTION_MARKER = /\[redacted:[a-z0-9-]+\]/;
const MARKERS = /\[redacted(?::[a-z0-9-]+)?\]/g;

export function redactionMarker(rule: string): string {
  return `[redacted:${rule}]`;
}

/** True when the text holds a marker this module wrote (or one written just like it). */
export function containsRedaction(text: string): boolean {
  return text.includes("[redacted:") && REDACTION_MARKER.test(text);
}

interface Span {
  start: number;
  end: number;
  rule: string;
  /** Lower wins where spans overlap. */
  rank: number;
}

type AnyRule = ({ kind: "gitleaks"; rule: CompiledRule } | { kind: "local"; rule: LocalRule }) & { rank: number; lastLine: number };

/**
 * Ranks: ours for formats gitleaks lacks (and passwords in URLs) first, then gitleaks'
 * specific rules, then our secret-named keys and Authorization headers, then gitleaks'
 * generic rule (its id says least about what the value was).
 */
const LOCAL_LATE = new Set(["secret", "authorization"]);

function buildRules(): { rules: AnyRule[]; globalAllowlists: ReturnType<typeof compileRules>["globalAllowlists"] } {
  const gitleaks = compileRules();
  const rules: AnyRule[] = [];
  for (const rule of LOCAL_RULES) rules.push({ kind: "local", rule, rank: LOCAL_LATE.has(rule.id) ? 2 : 0, lastLine: -1 });
  for (const rule of gitleaks.rules) rules.push({ kind: "gitleaks", rule, rank: rule.id.startsWith("generic") ? 3 : 1, lastLine: -1 });
  return { rules, globalAllowlists: gitleaks.globalAllowlists };
}

interface Engine {
  rules: AnyRule[];
  globalAllowlists: ReturnType<typeof compileRules>["globalAllowlists"];
  keywords: KeywordMatcher;
  /** By keyword index: the rules it calls for. */
  rulesByKeyword: AnyRule[][];
  /** Rules without keywords run on every line (gitleaks' default set has none today). */
  alwaysRun: AnyRule[];
}

let engine: Engine | undefined;
/** Keyword hits of the text at hand, reused: redaction is synchronous. */
const HITS: number[] = [];
/** Numbers the lines scanned, across calls, for the rules' `lastLine` stamps. */
let lineCounter = 0;

/** Compiled on first use: about 230 patterns, a few milliseconds. */
function getEngine(): Engine {
  if (engine) return engine;
  const { rules, globalAllowlists } = buildRules();
  const index = new Map<string, AnyRule[]>();
  const alwaysRun: AnyRule[] = [];
  for (const entry of rules) {
    if (entry.rule.keywords.length === 0) alwaysRun.push(entry);
    for (const keyword of new Set(entry.rule.keywords)) {
      const list = index.get(keyword) ?? [];
      list.push(entry);
      index.set(keyword, list);
    }
  }
  engine = { rules, globalAllowlists, keywords: new KeywordMatcher([...index.keys()]), rulesByKeyword: [...index.values()], alwaysRun };
  return engine;
}

function scanLine(e: Engine, line: string, rules: readonly AnyRule[], from: number, path: string | undefined, gitleaksOn: boolean, out: Span[], offset: number): void {
  // Markers already in the text are not secrets, and nothing overlapping one is.
  const markers: Array<[number, number]> = [];
  if (line.includes("[redacted")) for (const m of line.matchAll(MARKERS)) markers.push([m.index, m.index + m[0].length]);
  for (const entry of rules) {
    if (entry.kind === "local") {
      for (const f of entry.rule.find(line)) addSpan(out, markers, from, offset, f.start, f.end, f.rule ?? entry.rule.id, entry.rank);
    } else if (gitleaksOn) {
      for (const f of matchRule(entry.rule, line, path, e.globalAllowlists)) addSpan(out, markers, from, offset, f.start, f.end, entry.rule.id, entry.rank);
    }
  }
}

function addSpan(out: Span[], markers: ReadonlyArray<[number, number]>, from: number, offset: number, start: number, end: number, rule: string, rank: number): void {
  const s = Math.max(start, from);
  if (end <= s) return;
  for (const [a, b] of markers) if (s < b && a < end) return;
  out.push({ start: offset + s, end: offset + end, rule, rank });
}

/** Key bodies, cut at line ends (and after each line's diff marker) so that no line is joined or lost. */
function privateKeySpans(text: string, patch: boolean, out: Span[]): void {
  if (!text.includes("PRIVATE KEY")) return;
  for (const block of findPrivateKeyBlocks(text)) {
    let lineStart = text.lastIndexOf("\n", block.start - 1) + 1;
    while (lineStart < block.end) {
      const newline = text.indexOf("\n", lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      const from = Math.max(block.start, lineStart + (patch ? 1 : 0));
      const to = Math.min(block.end, lineEnd);
      // The key characters of this line's part: indentation, quotes and escaped newlines stay.
      const part = text.slice(from, to);
      const first = part.search(/[A-Za-z0-9+/=]/);
      if (first >= 0) {
        const last = part.length - [...part].reverse().join("").search(/[A-Za-z0-9+/=]/);
        out.push({ start: from + first, end: from + last, rule: "private-key", rank: 0 });
      }
      lineStart = lineEnd + 1;
    }
  }
}

/** Overlapping spans merged (no part of a secret is left behind), each named by its best-ranked rule. */
function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || a.rank - b.rank);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      if (span.rank < last.rank) {
        last.rule = span.rule;
        last.rank = span.rank;
      }
      last.end = Math.max(last.end, span.end);
    } else merged.push({ ...span });
  }
  return merged;
}

export function redactText(text: string, options: RedactOptions = {}): RedactedText {
  if (text === "") return { text, findings: [] };
  const e = getEngine();
  const patch = options.patch ?? false;
  // gitleaks skips whole files its global allowlist names (lock files, vendored modules, images).
  const gitleaksOn = !pathAllowed(e.globalAllowlists, options.path);
  const spans: Span[] = [];
  privateKeySpans(text, patch, spans);
  const from = patch ? 1 : 0;
  if (e.alwaysRun.length > 0) {
    for (let offset = 0; offset <= text.length; ) {
      const newline = text.indexOf("\n", offset);
      const end = newline < 0 ? text.length : newline;
      scanLine(e, text.slice(offset, end), e.alwaysRun, from, options.path, gitleaksOn, spans, offset);
      offset = end + 1;
    }
  }
  // The lines that hold a keyword, each with the rules its keywords call for (once each: `lastLine` stamps a rule taken).
  let lineStart = -1;
  let lineEnd = -1;
  const selected: AnyRule[] = [];
  const hits = e.keywords.scan(text, HITS);
  for (let h = 0; h < hits; h++) {
    const end = HITS[2 * h + 1]!;
    if (end > lineEnd) {
      if (selected.length > 0) scanLine(e, text.slice(lineStart, lineEnd), selected, from, options.path, gitleaksOn, spans, lineStart);
      selected.length = 0;
      lineCounter += 1;
      lineStart = text.lastIndexOf("\n", end - 1) + 1;
      const newline = text.indexOf("\n", end);
      lineEnd = newline < 0 ? text.length : newline;
    }
    for (const rule of e.rulesByKeyword[HITS[2 * h]!]!) {
      if (rule.lastLine !== lineCounter) {
        rule.lastLine = lineCounter;
        selected.push(rule);
      }
    }
  }
  if (selected.length > 0) scanLine(e, text.slice(lineStart, lineEnd), selected, from, options.path, gitleaksOn, spans, lineStart);
  if (spans.length === 0) return { text, findings: [] };
  return applySpans(text, mergeSpans(spans));
}

function applySpans(text: string, spans: readonly Span[]): RedactedText {
  const findings: SecretFinding[] = [];
  let out = "";
  let from = 0;
  let line = 1;
  let counted = 0;
  for (const span of spans) {
    for (let i = text.indexOf("\n", counted); i >= 0 && i < span.start; i = text.indexOf("\n", i + 1)) line += 1;
    counted = span.start;
    out += text.slice(from, span.start);
    const marker = redactionMarker(span.rule);
    findings.push({ rule: span.rule, line, start: out.length, end: out.length + marker.length });
    out += marker;
    from = span.end;
  }
  return { text: out + text.slice(from), findings };
}

/** Findings counted by rule: `{ "github-pat": 2, password: 1 }`. */
export function countByRule(findings: readonly { rule: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
  return counts;
}
