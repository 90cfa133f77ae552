/**
 * The narrative the rules analyzer can honestly write: what the diff shows, never what
 * the author meant. Every sentence is built from a fact (a file, a symbol, a version,
 * a count) through a template in messages.ts; a dimension with no facts gets no
 * sentence. Depth follows importance, as in the reference reports: high gets insights,
 * risks and recommendations; medium gets risks and recommendations, fewer; low gets the
 * summary and impact only.
 */
import type { CommitFacts, FileKind, SurfaceKind } from "../../facts/types.js";
import type { Localized } from "../../i18n/lang.js";
import type { AnalysisInput, Audience, ChangeType, Importance, InsightDimension, Narrative } from "../types.js";
import { decideChangeType } from "./change-type.js";
import {
  RUNTIME_LIMIT_SIGNAL_KINDS,
  SECURITY_SIGNAL_KINDS,
  classifyPublicApi,
  countKindLines,
  countLines,
  groupFilesByModule,
  hasAnyKind,
  listAnalysedFiles,
  listDependencies,
  listDirectDependencies,
  listMajorDependencies,
  listNewModules,
  listRemovedModules,
  listSignals,
  listSurface,
  listTests,
  type PublicApiChanges,
} from "./fact-queries.js";
import { IMPACT, INSIGHT, RECOMMEND, RISK, SUMMARY, renderText } from "./messages.js";

interface Depth {
  /** Modules named one by one in the impact list; the rest are summed in one item. */
  modules: number;
  insights: boolean;
  risks: number;
  recommendationsPerAudience: number;
}

const DEPTHS: Record<Importance, Depth> = {
  high: { modules: 5, insights: true, risks: 5, recommendationsPerAudience: 2 },
  medium: { modules: 3, insights: false, risks: 2, recommendationsPerAudience: 1 },
  low: { modules: 2, insights: false, risks: 0, recommendationsPerAudience: 0 },
};

const SURFACE_KINDS: readonly SurfaceKind[] = ["env-var", "cli-flag", "config-key"];
const HIGHLIGHT_LIMIT = 3;
const SHORT_SHA_LENGTH = 7;

/** Everything the sections read, worked out once. */
interface CommitView {
  facts: CommitFacts;
  changeType: ChangeType;
  api: PublicApiChanges;
  surfaceAdded: ReturnType<typeof listSurface>;
  surfaceRemoved: ReturnType<typeof listSurface>;
  dependencies: ReturnType<typeof listDependencies>;
  majors: ReturnType<typeof listMajorDependencies>;
  sourceLines: ReturnType<typeof countKindLines>;
  hasTestChanges: boolean;
}

export function buildNarrative(input: AnalysisInput, importance: Importance, changeType: ChangeType): Narrative {
  const { facts, lang } = input;
  const depth = DEPTHS[importance];
  const view = viewCommit(facts, changeType);
  const render = (texts: readonly Localized[]): string[] => texts.map((text) => renderText(lang, text));

  const insights: Narrative["insights"] = [];
  if (depth.insights) {
    for (const [dimension, points] of collectInsights(view)) {
      if (points.length > 0) insights.push({ dimension, points: render(points) });
    }
  }

  const recommendations: Narrative["recommendations"] = [];
  if (depth.recommendationsPerAudience > 0) {
    for (const [audience, texts] of collectRecommendations(view)) {
      for (const text of texts.slice(0, depth.recommendationsPerAudience)) {
        recommendations.push({ audience, text: renderText(lang, text) });
      }
    }
  }

  return {
    summary: render(writeSummary(input, view)).join(lang === "en" ? " " : ""),
    impact: render(listImpact(view, depth)),
    insights,
    risks: render(collectRisks(view).slice(0, depth.risks)),
    recommendations,
  };
}

function viewCommit(facts: CommitFacts, changeType: ChangeType): CommitView {
  return {
    facts,
    changeType,
    api: classifyPublicApi(facts),
    surfaceAdded: listSurface(facts, "added"),
    surfaceRemoved: listSurface(facts, "removed"),
    dependencies: listDependencies(facts),
    majors: listMajorDependencies(facts),
    sourceLines: countKindLines(facts, "source"),
    hasTestChanges: facts.tests.length > 0 || hasAnyKind(facts, ["test"]),
  };
}

function writeSummary(input: AnalysisInput, view: CommitView): Localized[] {
  const { facts } = view;
  const description = (facts.message.description.trim() || input.commit.subject.trim()).replace(/[.。]+$/u, "");
  const kinds = (Object.entries(facts.totals.byKind) as Array<[FileKind, { files: number }]>)
    .filter(([, totals]) => totals.files > 0)
    .sort((a, b) => b[1].files - a[1].files)
    .map(([kind, totals]) => ({ kind, files: totals.files }));
  const lead = SUMMARY.lead(description, {
    files: facts.totals.files,
    additions: facts.totals.additions,
    deletions: facts.totals.deletions,
    kinds,
    modules: facts.modules,
  });

  const highlights: Localized[] = [];
  if (facts.message.breaking) highlights.push(SUMMARY.breaking);
  if (facts.message.isRevert) highlights.push(SUMMARY.revert(facts.message.revertedSha?.slice(0, SHORT_SHA_LENGTH)));
  if (view.api.removed.length > 0) highlights.push(SUMMARY.apiRemoved(view.api.removed.map((symbol) => symbol.name)));
  for (const change of ["removed", "added"] as const) {
    const entries = change === "added" ? view.surfaceAdded : view.surfaceRemoved;
    for (const kind of SURFACE_KINDS) {
      const names = entries.filter((entry) => entry.kind === kind).map((entry) => entry.name);
      if (names.length > 0) highlights.push(SUMMARY.surface(kind, change, names));
    }
  }
  const newModules = listNewModules(facts);
  if (newModules.length > 0) highlights.push(SUMMARY.newModules(newModules));
  const firstMajor = view.majors[0];
  if (firstMajor) highlights.push(SUMMARY.majorDependency(firstMajor, view.majors.length - 1));
  if (view.api.added.length > 0) highlights.push(SUMMARY.apiAdded(view.api.added.length));
  if (view.dependencies.length > view.majors.length) highlights.push(SUMMARY.dependencies(view.dependencies.length));

  const shown = highlights.slice(0, HIGHLIGHT_LIMIT);
  return shown.length > 0 ? [lead, SUMMARY.highlights(shown)] : [lead];
}

function listImpact(view: CommitView, depth: Depth): Localized[] {
  const { facts, api } = view;
  const items: Localized[] = [];
  const groups = groupFilesByModule(facts);
  for (const group of groups.slice(0, depth.modules)) items.push(IMPACT.module(group));
  const rest = groups.slice(depth.modules);
  if (rest.length > 0) {
    const paths = new Set(rest.flatMap((group) => group.paths));
    items.push(IMPACT.otherModules(rest.length, countLines(listAnalysedFiles(facts).filter((file) => paths.has(file.path)))));
  }

  if (api.added.length + api.removed.length + api.modified.length + api.moved.length > 0) items.push(IMPACT.publicApi(api));
  for (const kind of SURFACE_KINDS) {
    const added = view.surfaceAdded.filter((entry) => entry.kind === kind).map((entry) => entry.name);
    const removed = view.surfaceRemoved.filter((entry) => entry.kind === kind).map((entry) => entry.name);
    if (added.length + removed.length > 0) items.push(IMPACT.surface(kind, added, removed));
  }
  if (view.dependencies.length > 0) items.push(IMPACT.dependencies(view.dependencies));
  if (facts.unseen.ignoredFiles.length > 0) items.push(IMPACT.ignored(facts.unseen.ignoredFiles));
  return items;
}

function collectInsights(view: CommitView): Array<[InsightDimension, Localized[]]> {
  const { facts, api } = view;

  const architecture: Localized[] = [];
  const newModules = listNewModules(facts);
  if (newModules.length > 0) architecture.push(INSIGHT.newModules(newModules));
  const removedModules = listRemovedModules(facts);
  if (removedModules.length > 0) architecture.push(INSIGHT.removedModules(removedModules));
  if (api.added.length + api.removed.length + api.modified.length > 0) {
    architecture.push(
      INSIGHT.publicApiCounts({ added: api.added.length, removed: api.removed.length, modified: api.modified.length }),
    );
  }
  for (const symbol of api.moved.slice(0, 3)) architecture.push(INSIGHT.moved(symbol));
  if (facts.modules.length >= 3) architecture.push(INSIGHT.spread(facts.modules.length));

  const performance: Localized[] = [];
  if (view.changeType === "performance") {
    const decision = decideChangeType(facts);
    const stated = decision.type === "performance" && decision.source === "verb" ? decision.words : undefined;
    performance.push(stated === undefined ? INSIGHT.perfDeclared : INSIGHT.perfStated(stated));
  }
  for (const signal of listSignals(facts, RUNTIME_LIMIT_SIGNAL_KINDS).slice(0, 3)) {
    performance.push(INSIGHT.signal(signal.kind, signal.change, signal.origin, signal.text));
  }
  const versionChanges = listDirectDependencies(facts).filter(
    (dependency) => dependency.change !== "added" && dependency.change !== "removed",
  );
  if (versionChanges.length > 0) performance.push(INSIGHT.dependencyVersions(versionChanges));

  const security: Localized[] = [];
  for (const signal of listSignals(facts, SECURITY_SIGNAL_KINDS).slice(0, 4)) {
    security.push(INSIGHT.signal(signal.kind, signal.change, signal.origin, signal.text));
  }
  const added = view.dependencies.filter((dependency) => dependency.change === "added");
  if (added.length > 0) security.push(INSIGHT.dependenciesAdded(added));
  const removed = view.dependencies.filter((dependency) => dependency.change === "removed");
  if (removed.length > 0) security.push(INSIGHT.dependenciesRemoved(removed));
  const updated = view.dependencies.length - added.length - removed.length;
  if (updated > 0) security.push(INSIGHT.dependenciesUpdated(updated));

  const maintainability: Localized[] = [];
  const testsAdded = listTests(facts, "added");
  if (testsAdded.length > 0) maintainability.push(INSIGHT.testsAdded(testsAdded.map((test) => test.name)));
  const testsRemoved = listTests(facts, "removed");
  if (testsRemoved.length > 0) maintainability.push(INSIGHT.testsRemoved(testsRemoved.map((test) => test.name)));
  if (view.changeType === "refactor" && view.sourceLines.lines > 0) {
    maintainability.push(INSIGHT.refactorSize(view.sourceLines));
  }
  if (facts.docs.length > 0) maintainability.push(INSIGHT.docsUpdated(facts.docs));

  const compatibility: Localized[] = [];
  if (facts.message.breaking) compatibility.push(INSIGHT.breaking(facts.message.breakingNote?.trim() || undefined));
  if (api.removed.length > 0) compatibility.push(INSIGHT.apiRemoved(api.removed));
  for (const kind of SURFACE_KINDS) {
    const names = view.surfaceRemoved.filter((entry) => entry.kind === kind).map((entry) => entry.name);
    if (names.length > 0) compatibility.push(INSIGHT.surfaceRemoved(kind, names));
  }
  if (view.majors.length > 0) compatibility.push(INSIGHT.majorDependencies(view.majors));

  return [
    ["architecture", architecture],
    ["performance", performance],
    ["security", security],
    ["maintainability", maintainability],
    ["compatibility", compatibility],
  ];
}

/** Most serious first: the depth decides how many are shown. */
function collectRisks(view: CommitView): Localized[] {
  const { facts, api } = view;
  const risks: Localized[] = [];
  if (facts.message.breaking) risks.push(RISK.breaking);
  if (api.removed.length > 0) risks.push(RISK.apiRemoved(api.removed.map((symbol) => symbol.name)));
  for (const kind of SURFACE_KINDS) {
    const names = view.surfaceRemoved.filter((entry) => entry.kind === kind).map((entry) => entry.name);
    if (names.length > 0) risks.push(RISK.surfaceRemoved(kind, names));
  }
  for (const dependency of view.majors.slice(0, 2)) risks.push(RISK.majorDependency(dependency));
  for (const signal of listSignals(facts, SECURITY_SIGNAL_KINDS).filter((s) => s.change === "added").slice(0, 2)) {
    risks.push(RISK.securitySignal(signal.kind, signal.origin));
  }
  const testsRemoved = listTests(facts, "removed");
  if (testsRemoved.length > 0) risks.push(RISK.testsRemoved(testsRemoved.length));
  if (view.sourceLines.lines > 0 && !view.hasTestChanges) risks.push(RISK.untestedSource(view.sourceLines.lines));
  for (const signal of listSignals(facts, RUNTIME_LIMIT_SIGNAL_KINDS).slice(0, 1)) {
    risks.push(RISK.limitSignal(signal.kind, signal.origin));
  }
  return risks;
}

function collectRecommendations(view: CommitView): Array<[Audience, Localized[]]> {
  const { facts, api } = view;

  const maintainers: Localized[] = [];
  if (view.sourceLines.lines > 0 && !view.hasTestChanges) {
    const sourceModule = groupFilesByModule(facts).find((group) =>
      group.paths.some((path) => facts.files.some((file) => file.path === path && file.kind === "source")),
    );
    if (sourceModule) maintainers.push(RECOMMEND.addTests(sourceModule.module));
  }
  if (api.removed.length > 0 && !facts.message.breaking) maintainers.push(RECOMMEND.markBreaking);
  const securitySignal = listSignals(facts, SECURITY_SIGNAL_KINDS).find((signal) => signal.change === "added");
  if (securitySignal) maintainers.push(RECOMMEND.reviewSignal(securitySignal.kind, securitySignal.origin));
  const newDependencies = view.dependencies.filter((dependency) => dependency.change === "added");
  if (newDependencies.length > 0) maintainers.push(RECOMMEND.vetDependencies(newDependencies));

  const users: Localized[] = [];
  if (facts.message.breaking) users.push(RECOMMEND.readBreakingNote);
  if (api.removed.length > 0) users.push(RECOMMEND.checkApiUsage(api.removed.map((symbol) => symbol.name)));
  if (view.surfaceRemoved.length > 0) users.push(RECOMMEND.checkRemovedSurface(view.surfaceRemoved.map((entry) => entry.name)));
  const firstMajor = view.majors[0];
  if (firstMajor) users.push(RECOMMEND.checkMajorDependency(firstMajor));
  for (const kind of SURFACE_KINDS) {
    const names = view.surfaceAdded.filter((entry) => entry.kind === kind).map((entry) => entry.name);
    if (names.length > 0) users.push(RECOMMEND.useNewSurface(kind, names));
  }

  const ci: Localized[] = [];
  if (facts.ci.length > 0) ci.push(RECOMMEND.watchCi(facts.ci));
  if (view.dependencies.length > 0) ci.push(RECOMMEND.rebuildForDependencies);
  const buildFiles = listAnalysedFiles(facts).filter((file) => file.kind === "build").map((file) => file.path);
  if (buildFiles.length > 0) ci.push(RECOMMEND.verifyBuild(buildFiles));
  const testsAdded = listTests(facts, "added");
  if (testsAdded.length > 0) ci.push(RECOMMEND.runNewTests(testsAdded.length));

  return [
    ["maintainers", maintainers],
    ["users", users],
    ["ci", ci],
  ];
}
