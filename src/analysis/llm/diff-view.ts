/**
 * The diff as the model sees it, within a token budget. Every file is first listed by
 * name; then files are shown, source before tests before config, build, CI and
 * manifests before docs before the rest, each as much as the budget allows: in full, or
 * reduced to its hunks with changed definitions and cut on a line boundary. Lockfiles,
 * generated, vendored and ignored files stay one line of counts per kind; deleted files
 * are listed with their line counts and binary files by name, never shown. Secrets are
 * redacted before anything is measured, so no cut can split one.
 *
 * The budget holds for the text as counted by `counter`: parts are measured line by line,
 * the whole is counted once assembled, and the allocation shrinks until it fits.
 */
import type { CommitFacts, FileFacts, FileKind, SymbolChange } from "../../facts/types.js";
import type { Commit, FileChange } from "../../sources/types.js";
import { countByKind, redactSecrets, redactSecretsWithSpans } from "./redact-secrets.js";
import type { DiffCoverage, DiffView, TokenCounter } from "./types.js";

export interface DiffViewOptions {
  budgetTokens: number;
  counter: TokenCounter;
  /** Only these paths, e.g. one group of `groupForMapReduce`; the commit's other files are left out. */
  files?: readonly string[];
}

export interface FileGroup {
  module: string;
  files: string[];
}

/** Shown files in this order; a lower tier gets what the higher ones leave. */
const TIER_OF_KIND: Partial<Record<FileKind, number>> = {
  source: 0,
  test: 1,
  config: 2,
  build: 2,
  ci: 2,
  manifest: 2,
  docs: 3,
  asset: 4,
  other: 4,
};
/** Never shown: one line of counts per kind. */
const COUNTED_KINDS: ReadonlyArray<[FileKind, string]> = [
  ["lockfile", "lockfiles"],
  ["generated", "generated"],
  ["vendored", "vendored"],
];
/** Minified and data lines say nothing more after this many characters. */
const MAX_LINE_CHARS = 400;
/** A cut file shows at least this many tokens of its patch, else only its name. */
const MIN_SHOWN_PATCH_TOKENS = 100;
/** Room kept for the difference between counting parts and counting the whole. */
const SAFETY_SHARE = 0.02;
const MAX_FIT_ATTEMPTS = 6;

// --- the files, prepared once: redacted, split into lines, ranked for cutting

interface ViewLine {
  text: string;
  /** Markers of redacted secrets on this line, by kind. */
  redacted: string[];
  /** A `@@` header: not a line of the file. */
  hunkHeader: boolean;
}

interface ShowableFile {
  path: string;
  tier: number;
  order: number;
  header: ViewLine;
  /** In file order. */
  lines: ViewLine[];
  /** Hunks with changed definitions first, then the others; the order used when the file must be cut. */
  rankedLines: ViewLine[];
  /** A line was shortened, or the source cut the patch: the file can never be shown in full. */
  shortened: boolean;
  /** Changed lines missing from the patch because the source capped it. */
  linesCutAtSource: number;
  additions: number;
  deletions: number;
  entry: NameEntry;
}

interface NameEntry {
  path: string;
  /** How the entry reads in a list: `src/a.ts +10/−2`. */
  text: string;
  redacted: string[];
}

interface CountedGroup {
  label: string;
  /** `2 files +1234/−567`; binary files have no line counts. */
  counts: string;
  entries: NameEntry[];
}

interface PreparedCommit {
  showable: ShowableFile[];
  /** Fixed lines of the summary, in order: deleted, binary, lockfiles, generated, vendored, ignored. */
  groups: CountedGroup[];
}

function prepareCommit(commit: Commit, facts: CommitFacts, only: ReadonlySet<string> | undefined): PreparedCommit {
  const factsByPath = new Map(facts.files.map((file) => [file.path, file]));
  const symbolsByPath = new Map<string, SymbolChange[]>();
  for (const symbol of facts.symbols) {
    const list = symbolsByPath.get(symbol.origin.file) ?? [];
    list.push(symbol);
    symbolsByPath.set(symbol.origin.file, list);
  }
  const showable: ShowableFile[] = [];
  const deleted: FileFacts[] = [];
  const binary: FileFacts[] = [];
  const counted = new Map<string, FileFacts[]>();
  const ignored: FileFacts[] = [];
  commit.files.forEach((change, order) => {
    if (only && !only.has(change.path)) return;
    const file = factsByPath.get(change.path) ?? fallbackFacts(change);
    const countedLabel = COUNTED_KINDS.find(([kind]) => kind === file.kind)?.[1];
    if (file.ignored) ignored.push(file);
    else if (countedLabel !== undefined) counted.set(countedLabel, [...(counted.get(countedLabel) ?? []), file]);
    else if (file.status === "deleted") deleted.push(file);
    else if (file.binary) binary.push(file);
    else showable.push(prepareFile(change, file, order, symbolsByPath.get(change.path) ?? []));
  });
  const groups: CountedGroup[] = [];
  if (deleted.length > 0) {
    const lines = deleted.reduce((sum, f) => sum + f.deletions, 0);
    groups.push({ label: "deleted", counts: `${describeCount(deleted.length)} −${lines}`, entries: deleted.map((f) => nameEntry(f.path, `−${f.deletions}`)) });
  }
  if (binary.length > 0) groups.push({ label: "binary", counts: describeCount(binary.length), entries: binary.map((f) => nameEntry(f.path, f.status)) });
  for (const [, label] of COUNTED_KINDS) {
    const files = counted.get(label);
    if (files) groups.push(countedGroup(label, files));
  }
  if (ignored.length > 0) groups.push(countedGroup("ignored by the repository's settings", ignored));
  showable.sort((a, b) => a.tier - b.tier || a.order - b.order);
  return { showable, groups };
}

/** A file the facts do not know (facts from another extraction): judged by its change alone. */
function fallbackFacts(change: FileChange): FileFacts {
  return {
    path: change.path,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    binary: change.binary,
    submodule: change.submodule,
    module: ".",
    kind: "other",
    patchTruncated: change.patchTruncated,
    ignored: false,
  };
}

function countedGroup(label: string, files: readonly FileFacts[]): CountedGroup {
  const additions = files.reduce((sum, f) => sum + f.additions, 0);
  const deletions = files.reduce((sum, f) => sum + f.deletions, 0);
  return { label, counts: `${describeCount(files.length)} +${additions}/−${deletions}`, entries: files.map((f) => nameEntry(f.path, "")) };
}

function describeCount(files: number): string {
  return files === 1 ? "1 file" : `${files} files`;
}

function nameEntry(path: string, note: string): NameEntry {
  const redacted = redactSecrets(path);
  return { path, text: note === "" ? redacted.text : `${redacted.text} ${note}`, redacted: kindsOf(redacted.redactions) };
}

function kindsOf(redactions: Record<string, number>): string[] {
  return Object.entries(redactions).flatMap(([kind, n]) => Array<string>(n).fill(kind));
}

function prepareFile(change: FileChange, file: FileFacts, order: number, symbols: readonly SymbolChange[]): ShowableFile {
  const { text, spans } = redactSecretsWithSpans(change.patch);
  const lines: ViewLine[] = [];
  let shortened = false;
  let offset = 0;
  let spanIndex = 0;
  for (const raw of text === "" ? [] : text.split("\n")) {
    const end = offset + raw.length;
    const redacted: string[] = [];
    while (spanIndex < spans.length && spans[spanIndex]!.start < end + 1) redacted.push(spans[spanIndex++]!.kind);
    offset = end + 1;
    // git's "\ No newline at end of file" and stray text outside hunks carry nothing for the model.
    if (raw === "" || raw.startsWith("\\")) continue;
    const short = shortenLine(raw);
    if (short !== raw) shortened = true;
    lines.push({ text: short, redacted, hunkHeader: raw.startsWith("@@") });
  }
  const changedInPatch = lines.filter((l) => !l.hunkHeader && (l.text.startsWith("+") || l.text.startsWith("-"))).length;
  const linesCutAtSource = change.patchTruncated ? Math.max(0, change.additions + change.deletions - changedInPatch) : 0;
  const headerText = redactSecrets(`### ${change.path} (${describeChange(change, file)})`);
  return {
    path: change.path,
    tier: TIER_OF_KIND[file.kind] ?? 4,
    order,
    header: { text: headerText.text, redacted: kindsOf(headerText.redactions), hunkHeader: false },
    lines,
    rankedLines: rankHunks(lines, symbols),
    shortened: shortened || linesCutAtSource > 0,
    linesCutAtSource,
    additions: change.additions,
    deletions: change.deletions,
    entry: nameEntry(change.path, `+${change.additions}/−${change.deletions}`),
  };
}

function describeChange(change: FileChange, file: FileFacts): string {
  const parts: string[] = [change.status];
  if ((change.status === "renamed" || change.status === "copied") && change.oldPath !== undefined) parts[0] = `${change.status} from ${change.oldPath}`;
  if (change.submodule) parts.push("submodule");
  if (file.modeChange) parts.push(`mode ${file.modeChange.from}→${file.modeChange.to}`);
  parts.push(`+${change.additions}/−${change.deletions}`);
  return parts.join(", ");
}

/** Cut on a code point, never inside a surrogate pair. */
function shortenLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  let end = MAX_LINE_CHARS;
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${line.slice(0, end)}… (${line.length - end} more characters)`;
}

// --- hunks with changed definitions

const HUNK_RANGES = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

interface HunkSpan {
  lines: ViewLine[];
  hasDefinition: boolean;
}

/**
 * A hunk has a changed definition when a symbol of the facts was read in it (added and
 * modified symbols at their new line, removed ones at their old line), or when git's
 * hunk header names the function or class of a changed symbol.
 */
function rankHunks(lines: readonly ViewLine[], symbols: readonly SymbolChange[]): ViewLine[] {
  if (symbols.length === 0) return [...lines];
  const names = new Set(symbols.map((s) => s.name.split(/\.|::/).at(-1)!));
  const hunks: HunkSpan[] = [];
  for (const line of lines) {
    if (line.hunkHeader || hunks.length === 0) hunks.push({ lines: [], hasDefinition: false });
    const hunk = hunks.at(-1)!;
    hunk.lines.push(line);
    if (!line.hunkHeader) continue;
    const ranges = HUNK_RANGES.exec(line.text);
    if (!ranges) continue;
    const [oldStart, oldCount, newStart, newCount] = [1, 2, 3, 4].map((i) => Number(ranges[i] ?? "1"));
    const within = (at: number | undefined, start: number, count: number): boolean => at !== undefined && at >= start && at < start + count;
    hunk.hasDefinition =
      symbols.some((s) => (s.change === "removed" ? within(s.origin.line, oldStart!, oldCount!) : within(s.origin.line, newStart!, newCount!))) ||
      [...(ranges[5] ?? "").matchAll(/[A-Za-z_$][\w$]*/g)].some((word) => names.has(word[0]));
  }
  return [...hunks.filter((h) => h.hasDefinition), ...hunks.filter((h) => !h.hasDefinition)].flatMap((h) => h.lines);
}

// --- measuring

/** Counts with a cache: diffs repeat their lines (`}`, blank context, imports). */
class Meter {
  private readonly cache = new Map<string, number>();
  constructor(readonly counter: TokenCounter) {}

  /** Tokens of one line of the view, its line break included. */
  line(text: string): number {
    let tokens = this.cache.get(text);
    if (tokens === undefined) {
      tokens = this.counter.count(`${text}\n`);
      this.cache.set(text, tokens);
    }
    return tokens;
  }

  /** Tokens of these lines together, counted no further than `cap` (then some figure above it). */
  sum(lines: readonly ViewLine[], cap: number): number {
    let total = 0;
    for (const line of lines) {
      total += this.line(line.text);
      if (total > cap) return total;
    }
    return total;
  }
}

// --- choosing what to show

interface Plan {
  /** Tokens each shown file may use, header included; absent: name only. */
  allowance: Map<ShowableFile, number>;
}

function clipMarker(hidden: number): string {
  return `… (${hidden} more lines not shown)`;
}

/** What a shown file costs in full, counted no further than `cap` (then anything above `cap`). */
function fullCost(file: ShowableFile, meter: Meter, cap: number): number {
  const marker = file.linesCutAtSource > 0 ? meter.line(clipMarker(file.linesCutAtSource)) : 0;
  return meter.line(file.header.text) + marker + meter.sum(file.lines, cap) + 1;
}

/** What a file must get to be worth cutting: its header, a marker, and some of its patch. */
function minimumCut(file: ShowableFile, meter: Meter): number {
  return meter.line(file.header.text) + meter.line(clipMarker(99_999)) + MIN_SHOWN_PATCH_TOKENS + 1;
}

/** Splits `budget`: demands under the fair share get all they ask, the rest share what remains equally. */
function fillEvenly(demands: readonly number[], budget: number): number[] {
  const order = demands.map((_, i) => i).sort((a, b) => demands[a]! - demands[b]!);
  const given = demands.map(() => 0);
  let left = budget;
  let remaining = demands.length;
  for (const i of order) {
    const give = Math.max(0, Math.min(demands[i]!, Math.floor(left / remaining)));
    given[i] = give;
    left -= give;
    remaining -= 1;
  }
  return given;
}

/** What showing a file adds to its name entry, measured no further than `cap`; above `cap` the figure is only a lower bound. */
function upgradeCost(file: ShowableFile, meter: Meter, cap: number): number {
  return Math.max(0, fullCost(file, meter, cap + nameCost(file, meter)) - nameCost(file, meter));
}

function nameCost(file: ShowableFile, meter: Meter): number {
  return meter.line(`${file.entry.text}, `) - 1;
}

/**
 * Shares `left` among `files` evenly (see fillEvenly). A file is measured only as far as
 * its share could reach, and again further while its share reaches what was measured:
 * a 2 MB patch is never counted whole to learn that it gets 300 tokens.
 */
function shareAmong(files: readonly ShowableFile[], left: number, meter: Meter): { given: number[]; worthIt: boolean } {
  const caps = files.map(() => Math.max(1, Math.floor(left / files.length)));
  const demand = files.map((f, i) => upgradeCost(f, meter, caps[i]!));
  for (;;) {
    const given = fillEvenly(demand, left);
    const unsure = files.map((_, i) => i).filter((i) => demand[i]! > caps[i]! && given[i]! >= demand[i]! && caps[i]! < left);
    if (unsure.length === 0) {
      const worthIt = given.every((g, i) => g >= demand[i]! || g + nameCost(files[i]!, meter) >= minimumCut(files[i]!, meter));
      return { given, worthIt };
    }
    for (const i of unsure) {
      caps[i] = Math.min(left, caps[i]! * 4);
      demand[i] = upgradeCost(files[i]!, meter, caps[i]!);
    }
  }
}

/**
 * Tier by tier, the files still listed by name are upgraded: each tier shares what is
 * left evenly, small files in full and big ones cut; where a cut share would be too small
 * to be worth reading, the tier's last files stay names (the most files that are worth
 * it, found by bisection: fewer files only raise each share). What a tier leaves goes to
 * the next.
 */
function planUpgrades(files: readonly ShowableFile[], room: number, meter: Meter): Plan {
  const allowance = new Map<ShowableFile, number>();
  let left = room;
  for (let tier = 0; tier <= 4; tier++) {
    const inTier = files.filter((f) => f.tier === tier);
    if (inTier.length === 0 || left <= 0) continue;
    let best: { k: number; given: number[] } | undefined;
    let low = 0;
    let high = inTier.length;
    while (low < high) {
      const k = Math.ceil((low + high) / 2);
      const shared = shareAmong(inTier.slice(0, k), left, meter);
      if (shared.worthIt) {
        best = { k, given: shared.given };
        low = k;
      } else {
        high = k - 1;
      }
    }
    if (!best) continue;
    best.given.forEach((g, i) => allowance.set(inTier[i]!, g + nameCost(inTier[i]!, meter)));
    left -= best.given.reduce((sum, g) => sum + g, 0);
  }
  // Small files that a crowded tier left as names may still fit whole in what remains.
  for (const file of files) {
    if (allowance.has(file) || left <= 0) continue;
    const extra = upgradeCost(file, meter, left);
    if (extra <= left) {
      allowance.set(file, extra + nameCost(file, meter));
      left -= extra;
    }
  }
  return { allowance };
}

// --- rendering

interface Rendered {
  text: string;
  coverage: DiffCoverage;
  redacted: string[];
}

interface ShownFile {
  file: ShowableFile;
  lines: ViewLine[];
  full: boolean;
}

function cutFile(file: ShowableFile, allowance: number, meter: Meter): ShownFile | undefined {
  if (fullCost(file, meter, allowance) <= allowance) return { file, lines: [...file.lines], full: !file.shortened };
  const room = allowance - meter.line(file.header.text) - meter.line(clipMarker(99_999)) - 1;
  const lines: ViewLine[] = [];
  let used = 0;
  for (const line of file.rankedLines) {
    const cost = meter.line(line.text);
    if (used + cost > room) break;
    lines.push(line);
    used += cost;
  }
  // A cut that ends on a hunk header shows nothing of that hunk.
  while (lines.at(-1)?.hunkHeader) lines.pop();
  if (lines.length === 0 && file.lines.length > 0) return undefined;
  return { file, lines, full: false };
}

function renderFile(shown: ShownFile): string[] {
  const { file, lines, full } = shown;
  const out = [file.header.text, ...lines.map((l) => l.text)];
  if (!full) {
    const hidden = file.lines.filter((l) => !l.hunkHeader).length - lines.filter((l) => !l.hunkHeader).length + file.linesCutAtSource;
    if (hidden > 0) out.push(clipMarker(hidden));
  }
  return out;
}

/**
 * The list of what is not shown. `named` says how many entries, in priority order (name-only
 * files, then the groups' files in order), keep their names; the rest are only counted.
 */
function renderSummary(nameOnly: readonly ShowableFile[], groups: readonly CountedGroup[], named: number): { lines: string[]; entries: NameEntry[] } {
  const lines: string[] = [];
  const entries: NameEntry[] = [];
  let left = named;
  const list = (label: string, counts: string, all: readonly NameEntry[]): void => {
    const keep = all.slice(0, Math.max(0, left));
    left -= keep.length;
    entries.push(...keep);
    const rest = all.length - keep.length;
    const names = [...keep.map((e) => e.text), ...(rest > 0 && keep.length > 0 ? [`… ${rest} more`] : [])];
    lines.push(`${label}: ${counts}${names.length > 0 ? ` (${names.join(", ")})` : ""}`);
  };
  if (nameOnly.length > 0) {
    const additions = nameOnly.reduce((sum, f) => sum + f.additions, 0);
    const deletions = nameOnly.reduce((sum, f) => sum + f.deletions, 0);
    list("name only", `${describeCount(nameOnly.length)} +${additions}/−${deletions}`, nameOnly.map((f) => f.entry));
  }
  for (const group of groups) list(group.label, group.counts, group.entries);
  return { lines: lines.length > 0 ? ["### Not shown", ...lines] : [], entries };
}

function render(prepared: PreparedCommit, plan: Plan, named: number, meter: Meter): Rendered {
  const shown: ShownFile[] = [];
  const nameOnly: ShowableFile[] = [];
  for (const file of prepared.showable) {
    const allowance = plan.allowance.get(file);
    const cut = allowance === undefined ? undefined : cutFile(file, allowance, meter);
    if (cut) shown.push(cut);
    else nameOnly.push(file);
  }
  const sections = shown.map((s) => renderFile(s).join("\n"));
  const summary = renderSummary(nameOnly, prepared.groups, named);
  if (summary.lines.length > 0) sections.push(summary.lines.join("\n"));
  const redacted = [
    ...shown.flatMap((s) => [...s.file.header.redacted, ...s.lines.flatMap((l) => l.redacted)]),
    ...summary.entries.flatMap((e) => e.redacted),
  ];
  return {
    text: sections.join("\n\n"),
    coverage: {
      full: shown.filter((s) => s.full).map((s) => s.file.path),
      clipped: shown.filter((s) => !s.full).map((s) => s.file.path),
      nameOnly: summary.entries.map((e) => e.path),
    },
    redacted,
  };
}

/** The most names that fit with nothing shown, by bisection; the summary's counts always stay. */
function fitNames(prepared: PreparedCommit, budget: number, meter: Meter): { named: number; rendered: Rendered } {
  const empty: Plan = { allowance: new Map() };
  const total = prepared.showable.length + prepared.groups.reduce((sum, g) => sum + g.entries.length, 0);
  const fits = (named: number): Rendered | undefined => {
    const rendered = render(prepared, empty, named, meter);
    return meter.counter.count(rendered.text) <= budget ? rendered : undefined;
  };
  const all = fits(total);
  if (all) return { named: total, rendered: all };
  let low = 0;
  let high = total;
  let best = fits(0);
  if (!best) return { named: 0, rendered: dropTrailingLines(render(prepared, empty, 0, meter), budget, meter) };
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const rendered = fits(middle);
    if (rendered) {
      low = middle;
      best = rendered;
    } else {
      high = middle;
    }
  }
  return { named: low, rendered: best };
}

/** For budgets below even the counts: the first lines that fit. */
function dropTrailingLines(rendered: Rendered, budget: number, meter: Meter): Rendered {
  const lines = rendered.text.split("\n");
  while (lines.length > 0 && meter.counter.count(lines.join("\n")) > budget) lines.pop();
  return { text: lines.join("\n"), coverage: { full: [], clipped: [], nameOnly: [] }, redacted: [] };
}

export function buildDiffView(commit: Commit, facts: CommitFacts, options: DiffViewOptions): DiffView {
  const budget = Math.max(0, Math.floor(options.budgetTokens));
  const meter = new Meter(options.counter);
  const prepared = prepareCommit(commit, facts, options.files ? new Set(options.files) : undefined);
  const names = fitNames(prepared, budget, meter);
  let best = names.rendered;
  const total = prepared.showable.length + prepared.groups.reduce((sum, g) => sum + g.entries.length, 0);
  if (names.named === total && prepared.showable.length > 0) {
    const listed = meter.counter.count(best.text);
    let room = budget - listed - Math.ceil(budget * SAFETY_SHARE);
    for (let attempt = 0; attempt < MAX_FIT_ATTEMPTS && room > 0; attempt++) {
      const rendered = render(prepared, planUpgrades(prepared.showable, room, meter), total, meter);
      const tokens = meter.counter.count(rendered.text);
      if (tokens <= budget) {
        best = rendered;
        break;
      }
      room -= tokens - budget + Math.ceil(budget * SAFETY_SHARE);
    }
  }
  return { text: best.text, tokens: meter.counter.count(best.text), coverage: best.coverage, redactions: countByKind(best.redacted.map((kind) => ({ kind }))) };
}

// --- map, then reduce

/**
 * The commit's files by module (largest module first, as the facts rank them), each
 * module split into runs of files, in path order, whose views fit the budget with every
 * file shown in full where a file alone fits. A group is one module, never several:
 * the reduce step can name what each group was about.
 */
export function groupForMapReduce(commit: Commit, facts: CommitFacts, options: DiffViewOptions): FileGroup[] {
  const budget = Math.max(0, Math.floor(options.budgetTokens));
  const meter = new Meter(options.counter);
  const prepared = prepareCommit(commit, facts, options.files ? new Set(options.files) : undefined);
  const capacity = Math.floor(budget * (1 - 4 * SAFETY_SHARE)) - meter.line("### Not shown");
  const cost = new Map<string, number>();
  for (const file of prepared.showable) cost.set(file.path, Math.min(fullCost(file, meter, capacity), capacity + 1));
  for (const group of prepared.groups) {
    for (const entry of group.entries) cost.set(entry.path, meter.line(`${entry.text}, `) + (group.entries[0] === entry ? meter.line(`${group.label}: ${group.counts}`) : 0));
  }
  const moduleOf = new Map(facts.files.map((f) => [f.path, f.module]));
  const modules = [...facts.modules];
  const byModule = new Map<string, string[]>();
  for (const change of commit.files) {
    if (!cost.has(change.path)) continue;
    const module = moduleOf.get(change.path) ?? ".";
    if (!modules.includes(module)) modules.push(module);
    byModule.set(module, [...(byModule.get(module) ?? []), change.path]);
  }
  const groups: FileGroup[] = [];
  for (const module of modules) {
    const paths = (byModule.get(module) ?? []).sort();
    let current: string[] = [];
    let used = 0;
    for (const path of paths) {
      const tokens = cost.get(path)!;
      if (current.length > 0 && used + tokens > capacity) {
        groups.push({ module, files: current });
        current = [];
        used = 0;
      }
      current.push(path);
      used += tokens;
    }
    if (current.length > 0) groups.push({ module, files: current });
  }
  return groups;
}
