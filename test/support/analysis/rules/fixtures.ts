/**
 * Hand-built facts for the analyzer's tests: each helper fills in what a real
 * extraction would, so a test states only the facts it is about.
 */
import type {
  CommitFacts,
  DependencyChange,
  FileFacts,
  FileKind,
  KindTotals,
  MessageFacts,
  Signal,
  SignalKind,
  SurfaceChange,
  SurfaceKind,
  SymbolChange,
  SymbolKind,
  TestChange,
} from "../../../../src/facts/types.js";
import type { Lang } from "../../../../src/i18n/lang.js";
import type { Commit } from "../../../../src/sources/types.js";
import type { AnalysisInput } from "../../../../src/analysis/types.js";

export function makeFile(path: string, kind: FileKind, overrides: Partial<FileFacts> = {}): FileFacts {
  const slash = path.indexOf("/");
  return {
    path,
    status: "modified",
    additions: 10,
    deletions: 2,
    binary: false,
    submodule: false,
    module: slash === -1 ? "." : path.slice(0, slash),
    kind,
    patchTruncated: false,
    ignored: false,
    ...overrides,
  };
}

export function makeMessage(overrides: Partial<MessageFacts> = {}): MessageFacts {
  return {
    breaking: false,
    tags: [],
    description: "router changes",
    isRevert: false,
    isMerge: false,
    coAuthors: [],
    signedOffBy: [],
    isBot: false,
    points: [],
    fixes: [],
    ...overrides,
  };
}

export interface FactsSpec extends Partial<Omit<CommitFacts, "message">> {
  message?: Partial<MessageFacts>;
}

/** Facts whose totals, modules, docs and ci lists follow from `files` unless given. */
export function makeFacts(spec: FactsSpec = {}): CommitFacts {
  const files = spec.files ?? [];
  const byKind: Partial<Record<FileKind, KindTotals>> = {};
  const linesByModule = new Map<string, number>();
  let additions = 0;
  let deletions = 0;
  for (const file of files) {
    additions += file.additions;
    deletions += file.deletions;
    const kind = byKind[file.kind] ?? { files: 0, additions: 0, deletions: 0 };
    byKind[file.kind] = { files: kind.files + 1, additions: kind.additions + file.additions, deletions: kind.deletions + file.deletions };
    linesByModule.set(file.module, (linesByModule.get(file.module) ?? 0) + file.additions + file.deletions);
  }
  const modules = [...linesByModule.entries()].sort((a, b) => b[1] - a[1]).map(([module]) => module);
  const { message, ...rest } = spec;
  return {
    sha: "0123456789abcdef0123456789abcdef01234567",
    files,
    modules,
    totals: { files: files.length, additions, deletions, byKind },
    dependencies: [],
    versions: [],
    surface: [],
    symbols: [],
    tests: [],
    docs: files.filter((file) => file.kind === "docs").map((file) => file.path),
    ci: files.filter((file) => file.kind === "ci").map((file) => file.path),
    signals: [],
    unseen: { truncatedFiles: [], omittedPatchBytes: 0, ignoredFiles: files.filter((f) => f.ignored).map((f) => f.path), structureFallback: [] },
    ...rest,
    message: makeMessage(message),
  };
}

export function makeSymbol(
  name: string,
  change: SymbolChange["change"],
  file: string,
  overrides: Partial<SymbolChange> & { kind?: SymbolKind } = {},
): SymbolChange {
  return { name, kind: "function", language: "Python", change, exported: true, basis: "structure", origin: { file, line: 10 }, ...overrides };
}

export function makeSurface(kind: SurfaceKind, name: string, change: SurfaceChange["change"], file: string): SurfaceChange {
  return { kind, name, change, area: "product", ...(kind === "env-var" ? { access: "read" as const } : {}), origin: { file, line: 5 } };
}

export function makeDependency(
  name: string,
  from: string | undefined,
  to: string | undefined,
  file: string,
  overrides: Partial<DependencyChange> = {},
): DependencyChange {
  const change: DependencyChange["change"] = from === undefined ? "added" : to === undefined ? "removed" : "upgraded";
  return { ecosystem: "pypi", name, scope: "runtime", internal: false, from, to, change, major: false, origin: { file, line: 3 }, ...overrides };
}

export function makeSignal(kind: SignalKind, change: Signal["change"], file: string, line = 20): Signal {
  return { kind, change, text: `${kind} line`, origin: { file, line } };
}

export function makeTest(name: string, change: TestChange["change"], file: string): TestChange {
  return { name, scope: "function", change, origin: { file, line: 1 } };
}

export function makeInput(facts: CommitFacts, lang: Lang = "zh-CN"): AnalysisInput {
  const commit: Commit = {
    sha: facts.sha,
    parents: ["fedcba9876543210fedcba9876543210fedcba98"],
    author: { name: "Ada", email: "ada@example.com", date: "2026-01-17T06:06:33+08:00" },
    committer: { name: "Ada", email: "ada@example.com", date: "2026-01-17T06:06:33+08:00" },
    subject: facts.message.type ? `${facts.message.type}: ${facts.message.description}` : facts.message.description,
    body: "",
    files: [],
    patchBytesOmitted: 0,
  };
  return { commit, facts, lang };
}

/**
 * Commits modelled on the reference reports (ai-dynamo/dynamo, January 2026), reduced
 * to the facts the extractors would give.
 */
export const SCENARIOS = {
  /** feat: add span event logging (#5400): a new env var, a new public macro, tests, docs. */
  spanEventFeature: (): CommitFacts =>
    makeFacts({
      message: { type: "feat", description: "add span event logging and fix trace context extraction", prNumber: 5400 },
      files: [
        makeFile("lib/runtime/src/logging.rs", "source", { additions: 320, deletions: 40, module: "lib/runtime", language: "Rust" }),
        makeFile("lib/runtime/src/config.rs", "source", { additions: 30, deletions: 5, module: "lib/runtime", language: "Rust" }),
        makeFile("lib/runtime/src/config/environment_names.rs", "source", { additions: 8, deletions: 0, module: "lib/runtime", language: "Rust" }),
        makeFile("lib/runtime/tests/logging_span_events.rs", "test", { status: "added", additions: 150, deletions: 0, module: "lib/runtime" }),
        makeFile("docs/observability/logging.md", "docs", { additions: 40, deletions: 2, module: "docs" }),
      ],
      surface: [makeSurface("env-var", "DYN_LOGGING_SPAN_EVENTS", "added", "lib/runtime/src/config/environment_names.rs")],
      symbols: [
        makeSymbol("emit_at_level", "added", "lib/runtime/src/logging.rs", { kind: "macro", language: "Rust" }),
        makeSymbol("span_events_enabled", "added", "lib/runtime/src/config.rs", { language: "Rust" }),
        makeSymbol("format_span", "added", "lib/runtime/src/logging.rs", { language: "Rust", exported: false }),
      ],
      tests: [makeTest("test_span_events_emitted", "added", "lib/runtime/tests/logging_span_events.rs")],
    }),

  /** chore: update attributions files (#5484): 50,000 lines of license text. */
  attributionsOnly: (): CommitFacts =>
    makeFacts({
      message: { type: "chore", description: "update attributions files for rust, go, vllm and trtllm" },
      files: [
        makeFile("ATTRIBUTIONS-Rust.md", "generated", { additions: 30000, deletions: 10000 }),
        makeFile("ATTRIBUTIONS-Go.md", "generated", { additions: 9000, deletions: 1000 }),
      ],
    }),

  /** A breaking removal of a public function. */
  breakingRemoval: (): CommitFacts =>
    makeFacts({
      message: { type: "refactor", scope: "client", breaking: true, breakingNote: "connect() is gone, use open()", description: "drop connect" },
      files: [makeFile("src/client.ts", "source", { additions: 4, deletions: 60, module: "." , language: "TypeScript" })],
      symbols: [makeSymbol("connect", "removed", "src/client.ts", { language: "TypeScript" })],
    }),

  /** docs: update metrics docs after kvstats removal (#5704). */
  docsOnly: (): CommitFacts =>
    makeFacts({
      message: { type: "docs", description: "update metrics docs after kvstats removal" },
      files: [
        makeFile("docs/observability/metrics.md", "docs", { additions: 120, deletions: 300 }),
        makeFile("docs/guides/kv_cache.md", "docs", { additions: 10, deletions: 40 }),
      ],
    }),

  /** chore: bump vLLM across a 0.x minor (major by semver) in the Dockerfile and pyproject. */
  majorBump: (): CommitFacts =>
    makeFacts({
      message: { type: "chore", description: "bump vLLM to 0.15.0" },
      files: [
        makeFile("container/Dockerfile.vllm", "build", { additions: 1, deletions: 1, module: "container" }),
        makeFile("pyproject.toml", "manifest", { additions: 1, deletions: 1 }),
      ],
      dependencies: [
        makeDependency("vllm", "0.14.1", "0.15.0", "pyproject.toml", { major: true }),
        makeDependency("vllm/vllm-openai", "v0.14.1", "v0.15.0", "container/Dockerfile.vllm", { major: true, ecosystem: "docker" }),
      ],
    }),

  /** chore: bump vLLM to 0.14.1 (#5691): a patch bump. */
  patchBump: (): CommitFacts =>
    makeFacts({
      message: { type: "chore", description: "bump vLLM to 0.14.1" },
      files: [
        makeFile("container/Dockerfile.vllm", "build", { additions: 1, deletions: 1, module: "container" }),
        makeFile("pyproject.toml", "manifest", { additions: 1, deletions: 1 }),
      ],
      dependencies: [makeDependency("vllm", "0.14.0", "0.14.1", "pyproject.toml")],
    }),

  /** A dependabot bump, minor or major. */
  botBump: (major: boolean): CommitFacts =>
    makeFacts({
      message: { type: "chore", scope: "deps", description: major ? "bump lodash from 3.10.1 to 4.17.21" : "bump lodash from 4.17.20 to 4.17.21", isBot: true },
      files: [
        makeFile("package.json", "manifest", { additions: 1, deletions: 1 }),
        makeFile("package-lock.json", "lockfile", { additions: 12, deletions: 12 }),
      ],
      dependencies: [
        makeDependency("lodash", major ? "^3.10.1" : "^4.17.20", "^4.17.21", "package.json", { ecosystem: "npm", major }),
        makeDependency("lodash", major ? "3.10.1" : "4.17.20", "4.17.21", "package-lock.json", { ecosystem: "npm", major }),
      ],
    }),

  /** chore(bindings): Remove 'Backend' binding (#5458): a public class and its file deleted. */
  removeBinding: (): CommitFacts =>
    makeFacts({
      message: { type: "chore", scope: "bindings", description: "Remove 'Backend' binding", prNumber: 5458 },
      files: [
        makeFile("lib/bindings/python/rust/llm/backend.rs", "source", { status: "deleted", additions: 0, deletions: 96, module: "lib/bindings/python", language: "Rust" }),
        makeFile("lib/bindings/python/rust/llm.rs", "source", { additions: 0, deletions: 2, module: "lib/bindings/python", language: "Rust" }),
        makeFile("lib/bindings/python/src/dynamo/_core.pyi", "source", { additions: 0, deletions: 18, module: "lib/bindings/python", language: "Python" }),
      ],
      symbols: [makeSymbol("Backend", "removed", "lib/bindings/python/src/dynamo/_core.pyi", { kind: "class" })],
    }),
};

/** Every `code span` in a text, without its backticks. */
export function extractCodeNames(text: string): string[] {
  return [...text.matchAll(/`` (.+?) ``|`([^`]+)`/g)].map((match) => (match[1] ?? match[2])!);
}

/**
 * True when a backticked name is something the facts hold: a path or one of its
 * folders, a module, a symbol, a surface name, a dependency, a test, the quoted line
 * of a signal, or a prefix of the reverted commit's SHA.
 */
export function isNameInFacts(name: string, facts: CommitFacts): boolean {
  const names = new Set<string>([
    ...facts.modules,
    ...facts.docs,
    ...facts.ci,
    ...facts.unseen.ignoredFiles,
    ...facts.symbols.map((symbol) => symbol.name),
    ...facts.surface.map((entry) => entry.name),
    ...facts.dependencies.map((dependency) => dependency.name),
    ...facts.dependencies.flatMap((dependency) => [dependency.from, dependency.to].filter((v): v is string => v !== undefined)),
    ...facts.versions.flatMap((version) => [version.name, version.from, version.to].filter((v): v is string => v !== undefined)),
    ...facts.tests.map((test) => test.name),
    ...facts.signals.map((signal) => signal.text),
  ]);
  for (const file of facts.files) {
    for (const path of [file.path, file.oldPath]) {
      if (path === undefined) continue;
      names.add(path);
      const parts = path.split("/");
      for (let end = 1; end < parts.length; end++) names.add(parts.slice(0, end).join("/"));
    }
  }
  const sha = facts.message.revertedSha;
  return names.has(name) || (sha !== undefined && name.length >= 7 && sha.startsWith(name));
}

/** All the text of a narrative, one string per sentence or item. */
export function listNarrativeTexts(narrative: {
  summary: string;
  impact: string[];
  insights: Array<{ points: string[] }>;
  risks: string[];
  recommendations: Array<{ text: string }>;
}): string[] {
  return [
    narrative.summary,
    ...narrative.impact,
    ...narrative.insights.flatMap((insight) => insight.points),
    ...narrative.risks,
    ...narrative.recommendations.map((recommendation) => recommendation.text),
  ];
}
