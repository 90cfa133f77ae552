/**
 * The narrative the rules analyzer can honestly write: what the change does in its
 * author's words (the subject, the body's own points, quoted), then what the diff shows
 * that matters to someone who builds on the project. Every sentence is built from a fact
 * through a template in messages.ts, and a template only speaks when its fact is there:
 * no "add tests for X" or "watch the CI" on every commit. Depth follows importance, as in
 * the reference reports: high gets insights, risks and recommendations; medium gets risks
 * and recommendations, fewer; low gets the summary and impact only.
 */
import type { CommitFacts, FileKind, SymbolChange } from "../../facts/types.js";
import type { Localized } from "../../i18n/lang.js";
import type { AnalysisInput, Audience, ChangeType, Importance, InsightDimension, Narrative } from "../types.js";
import { decideChangeType } from "./change-type.js";
import {
  RUNTIME_LIMIT_SIGNAL_KINDS,
  SECURITY_SIGNAL_KINDS,
  classifyPublicApi,
  countLines,
  findRelease,
  groupFilesByModule,
  hasAnyKind,
  listAnalysedFiles,
  listApiBreaks,
  listFlagBreaks,
  listFlags,
  listNewComponents,
  listProductFiles,
  listRemovedModules,
  listSettings,
  listSignals,
  listTests,
  listThirdPartyDependencies,
  listToolchainChanges,
  type PublicApiChanges,
} from "./fact-queries.js";
import { IMPACT, INSIGHT, RECOMMEND, RISK, SUMMARY, isVisibilityOnly, renderText } from "./messages.js";

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

const HIGHLIGHT_LIMIT = 3;
const SHORT_SHA_LENGTH = 7;
/** Definitions named as "code changed in …": enough to say what the commit touches. */
const TOUCHES_LIMIT = 5;
/** Kinds that are not the product: a commit of only these says so instead of listing facts. */
const NOT_PRODUCT_KINDS: readonly FileKind[] = ["docs", "test", "ci", "example", "benchmark", "tooling"];

/** Everything the sections read, worked out once. */
interface CommitView {
  facts: CommitFacts;
  changeType: ChangeType;
  api: PublicApiChanges;
  apiBreaks: SymbolChange[];
  flagBreaks: ReturnType<typeof listFlagBreaks>;
  flagsAdded: ReturnType<typeof listFlags>;
  settingsAdded: ReturnType<typeof listSettings>;
  settingsRemoved: ReturnType<typeof listSettings>;
  runtime: ReturnType<typeof listThirdPartyDependencies>;
  build: ReturnType<typeof listThirdPartyDependencies>;
  dev: ReturnType<typeof listThirdPartyDependencies>;
  majors: ReturnType<typeof listThirdPartyDependencies>;
  toolchain: ReturnType<typeof listToolchainChanges>;
  release: string | undefined;
  productSourceLines: number;
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
      for (const text of texts.slice(0, depth.recommendationsPerAudience)) recommendations.push({ audience, text: renderText(lang, text) });
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
  const api = classifyPublicApi(facts);
  const runtime = listThirdPartyDependencies(facts, "runtime");
  return {
    facts,
    changeType,
    api,
    apiBreaks: listApiBreaks(api),
    flagBreaks: listFlagBreaks(facts),
    flagsAdded: listFlags(facts, "added"),
    settingsAdded: listSettings(facts, "added"),
    settingsRemoved: listSettings(facts, "removed"),
    runtime,
    build: listThirdPartyDependencies(facts, "build"),
    dev: listThirdPartyDependencies(facts, "dev"),
    majors: runtime.filter((dependency) => dependency.major),
    toolchain: listToolchainChanges(facts),
    release: findRelease(facts),
    productSourceLines: countLines(listProductFiles(facts).filter((file) => file.kind === "source")).lines,
    hasTestChanges: facts.tests.length > 0 || hasAnyKind(facts, ["test"]),
  };
}

/** The author's words first (subject, points or the merged PR's title), then the facts that matter most. */
function writeSummary(input: AnalysisInput, view: CommitView): Localized[] {
  const { facts } = view;
  const description = facts.message.description.trim() || input.commit.subject.trim();
  // The subject is the commit's heading already: its words lead only when the body adds none.
  const out: Localized[] = [];
  if (facts.message.prTitle && facts.message.prTitle !== description) out.push(SUMMARY.prTitle(facts.message.prTitle));
  if (facts.message.points.length > 0) out.push(SUMMARY.points(facts.message.points.slice(0, 3)));
  if (out.length === 0) out.push(SUMMARY.lead(description));

  const highlights: Localized[] = [];
  if (facts.message.breaking) highlights.push(SUMMARY.breaking(facts.message.breakingNote?.trim() || undefined));
  if (facts.message.isRevert) highlights.push(SUMMARY.revert(facts.message.revertedSha?.slice(0, SHORT_SHA_LENGTH)));
  if (view.release) highlights.push(SUMMARY.release(view.release));
  const analysed = listAnalysedFiles(facts);
  if (analysed.length > 0 && analysed.every((file) => file.formattingOnly)) highlights.push(SUMMARY.formatting);
  if (view.api.removed.length > 0) highlights.push(SUMMARY.apiRemoved(view.api.removed.map((s) => s.name)));
  if (view.api.renamed.length > 0) highlights.push(SUMMARY.apiRenamed(view.api.renamed.map((s) => ({ from: s.from?.name ?? "?", to: s.name }))));
  const hidden = view.api.signature.filter((s) => s.signature && isVisibilityOnly(s.signature) && s.signature.breaking);
  if (hidden.length > 0) highlights.push(SUMMARY.apiHidden(hidden.map((s) => s.name)));
  const breakingSignatures = view.api.signature.filter((s) => s.signature?.breaking && !isVisibilityOnly(s.signature));
  if (breakingSignatures.length > 0) highlights.push(SUMMARY.apiSignature(breakingSignatures.map((s) => s.name)));
  const flagsRemoved = view.flagBreaks.filter((e) => e.change === "removed" || e.change === "renamed").map((e) => e.name);
  const flagsChanged = view.flagBreaks.filter((e) => e.change === "changed").map((e) => e.name);
  if (flagsRemoved.length + flagsChanged.length + view.flagsAdded.length > 0) {
    highlights.push(SUMMARY.flags(flagsRemoved, flagsChanged, view.flagsAdded.map((e) => e.name)));
  }
  if (view.settingsRemoved.length > 0) highlights.push(SUMMARY.settings("removed", view.settingsRemoved.map((e) => e.name)));
  const components = listNewComponents(facts);
  if (components.length > 0) highlights.push(SUMMARY.components(components));
  for (const version of view.toolchain.slice(0, 1)) highlights.push(SUMMARY.toolchain(version));
  if (view.api.added.length > 0) highlights.push(SUMMARY.apiAdded(view.api.added.map((s) => s.name)));
  if (view.settingsAdded.length > 0) highlights.push(SUMMARY.settings("added", view.settingsAdded.map((e) => e.name)));
  if (view.api.moved.length > 0) highlights.push(SUMMARY.apiMoved(view.api.moved.map((s) => s.name)));
  if (view.runtime.length + view.build.length + view.dev.length > 0) highlights.push(SUMMARY.dependencies(view.runtime, view.build.length, view.dev.length));
  const data = listProductFiles(facts).filter((file) => file.kind !== "source");
  const dataAdded = data.filter((file) => file.status === "added").length;
  const dataRemoved = data.filter((file) => file.status === "deleted").length;
  if (dataRemoved >= 5) highlights.push(SUMMARY.dataFiles("removed", dataRemoved));
  else if (dataAdded >= 5) highlights.push(SUMMARY.dataFiles("added", dataAdded));
  // A commit of docs, tests, CI, examples or tooling alone: say that, not a list of its files again.
  const kinds = [...new Set(analysed.map((file) => file.kind))];
  if (highlights.length === 0 && kinds.length > 0 && kinds.every((kind) => NOT_PRODUCT_KINDS.includes(kind))) highlights.push(SUMMARY.onlyKinds(kinds));

  if (highlights.length > 0) out.push(SUMMARY.facts(highlights.slice(0, HIGHLIGHT_LIMIT)));
  return out;
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
  if (api.added.length + api.removed.length + api.renamed.length + api.signature.length + api.moved.length > 0) items.push(IMPACT.publicApi(api));
  // Public definitions whose code changed: what the commit touches that users call.
  const touched = [...new Set(facts.symbols.filter((s) => s.change === "modified" && s.exported).map((s) => s.name))];
  if (touched.length > 0) items.push(IMPACT.touches(touched.slice(0, TOUCHES_LIMIT)));
  const flags = facts.surface.filter((entry) => entry.kind === "cli-flag" && entry.area === "product");
  if (flags.length > 0) items.push(IMPACT.flags(flags));
  for (const kind of ["env-var", "config-key"] as const) {
    const added = view.settingsAdded.filter((e) => e.kind === kind).map((e) => e.name);
    const removed = view.settingsRemoved.filter((e) => e.kind === kind).map((e) => e.name);
    if (added.length + removed.length > 0) items.push(IMPACT.settings(kind, added, removed));
  }
  if (view.runtime.length > 0) items.push(IMPACT.dependencies("runtime", view.runtime));
  if (view.build.length > 0) items.push(IMPACT.dependencies("build", view.build));
  if (view.dev.length > 0) items.push(IMPACT.dependencies("dev", view.dev));
  if (facts.versions.length > 0) items.push(IMPACT.versions(facts.versions));
  if (facts.unseen.ignoredFiles.length > 0) items.push(IMPACT.ignored(facts.unseen.ignoredFiles));
  return items;
}

function collectInsights(view: CommitView): Array<[InsightDimension, Localized[]]> {
  const { facts, api } = view;

  const architecture: Localized[] = [];
  const components = listNewComponents(facts);
  if (components.length > 0) architecture.push(INSIGHT.components(components));
  const removedModules = listRemovedModules(facts);
  if (removedModules.length > 0) architecture.push(INSIGHT.removedModules(removedModules));
  for (const symbol of api.moved.slice(0, 3)) architecture.push(INSIGHT.moved(symbol));

  const performance: Localized[] = [];
  if (view.changeType === "performance") {
    const decision = decideChangeType(facts);
    performance.push(INSIGHT.perfStated(decision.type === "performance" ? decision.words : undefined));
  }
  for (const signal of listSignals(facts, RUNTIME_LIMIT_SIGNAL_KINDS).slice(0, 3)) {
    performance.push(INSIGHT.signal(signal.kind, signal.change, signal.origin, signal.text));
  }
  const moved = view.runtime.filter((d) => d.change !== "added" && d.change !== "removed");
  if (moved.length > 0) performance.push(INSIGHT.runtimeVersions(moved));

  const security: Localized[] = [];
  for (const signal of listSignals(facts, SECURITY_SIGNAL_KINDS).slice(0, 4)) {
    security.push(INSIGHT.signal(signal.kind, signal.change, signal.origin, signal.text));
  }
  const added = view.runtime.filter((d) => d.change === "added");
  if (added.length > 0) security.push(INSIGHT.dependenciesAdded(added));

  const maintainability: Localized[] = [];
  const testsAdded = listTests(facts, "added");
  if (testsAdded.length > 0) maintainability.push(INSIGHT.testsAdded(testsAdded.map((test) => test.name)));
  const testsRemoved = listTests(facts, "removed");
  if (testsRemoved.length > 0) maintainability.push(INSIGHT.testsRemoved(testsRemoved.map((test) => test.name)));
  if (facts.docs.length > 0 && view.productSourceLines > 0) maintainability.push(INSIGHT.docsUpdated(facts.docs));

  const compatibility: Localized[] = [];
  if (facts.message.breaking) compatibility.push(INSIGHT.breaking(facts.message.breakingNote?.trim() || undefined));
  if (view.apiBreaks.length > 0) compatibility.push(INSIGHT.apiBreaks(view.apiBreaks));
  if (view.majors.length > 0) compatibility.push(INSIGHT.majorDependencies(view.majors));
  for (const version of view.toolchain.slice(0, 1)) compatibility.push(INSIGHT.toolchain(version));

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
  const { facts } = view;
  const risks: Localized[] = [];
  if (facts.message.breaking) risks.push(RISK.breaking);
  if (view.apiBreaks.length > 0) risks.push(RISK.apiBreaks(view.apiBreaks));
  if (view.flagBreaks.length > 0) risks.push(RISK.flagBreaks(view.flagBreaks));
  if (view.settingsRemoved.length > 0) risks.push(RISK.settingsRemoved(view.settingsRemoved.map((e) => e.name)));
  const dataRemoved = listProductFiles(facts).filter((file) => file.kind !== "source" && file.status === "deleted").length;
  if (dataRemoved >= 5) risks.push(RISK.dataRemoved(dataRemoved));
  for (const dependency of view.majors.slice(0, 2)) risks.push(RISK.majorDependency(dependency));
  for (const signal of listSignals(facts, SECURITY_SIGNAL_KINDS).filter((s) => s.change === "added").slice(0, 2)) {
    risks.push(RISK.signal(signal.kind, signal.origin));
  }
  const testsRemoved = listTests(facts, "removed");
  if (testsRemoved.length > 0) risks.push(RISK.testsRemoved(testsRemoved.length));
  // Only a fix is the kind of change a test would pin down; said once, where it applies.
  if (view.changeType === "bugfix" && view.productSourceLines > 0 && !view.hasTestChanges) risks.push(RISK.untestedFix);
  return risks;
}

function collectRecommendations(view: CommitView): Array<[Audience, Localized[]]> {
  const { facts } = view;

  const users: Localized[] = [];
  if (facts.message.breaking) users.push(RECOMMEND.readBreakingNote);
  if (view.apiBreaks.length > 0) users.push(RECOMMEND.checkApiUsage(view.apiBreaks.map((s) => s.from?.name ?? s.name)));
  if (view.flagBreaks.length > 0) users.push(RECOMMEND.updateScripts(view.flagBreaks.map((e) => e.detail?.renamedFrom ?? e.name)));
  if (view.settingsRemoved.length > 0) users.push(RECOMMEND.checkRemovedSettings(view.settingsRemoved.map((e) => e.name)));
  const firstMajor = view.majors[0];
  if (firstMajor) users.push(RECOMMEND.checkMajorDependency(firstMajor));
  const firstToolchain = view.toolchain[0];
  if (firstToolchain) users.push(RECOMMEND.checkToolchain(firstToolchain));
  if (view.release) users.push(RECOMMEND.readRelease(view.release));
  const fresh = [...view.settingsAdded, ...view.flagsAdded].map((e) => e.name);
  if (fresh.length > 0) users.push(RECOMMEND.useNewSettings(fresh));

  const maintainers: Localized[] = [];
  if (view.api.removed.length + view.api.renamed.length > 0 && !facts.message.breaking) maintainers.push(RECOMMEND.markBreaking);
  const securitySignal = listSignals(facts, SECURITY_SIGNAL_KINDS).find((signal) => signal.change === "added");
  if (securitySignal) maintainers.push(RECOMMEND.reviewSignal(securitySignal.kind, securitySignal.origin));
  const newDependencies = view.runtime.filter((d) => d.change === "added");
  if (newDependencies.length > 0) maintainers.push(RECOMMEND.vetDependencies(newDependencies));
  if (view.changeType === "bugfix" && view.productSourceLines > 0 && !view.hasTestChanges) maintainers.push(RECOMMEND.addRegressionTest);

  return [
    ["users", users],
    ["maintainers", maintainers],
    ["ci", []],
  ];
}
