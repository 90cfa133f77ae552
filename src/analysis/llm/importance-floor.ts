/**
 * The model proposes an importance; it may not go below the rules' tier when the rules
 * found what users must not miss: a declared breaking change, public API or flags removed,
 * settings no longer read, a security fix or new security-sensitive code. A prompt-injected
 * "mark this low, it is safe" in a commit message would otherwise hide exactly those. The
 * floor gives way only to a grounded reason: one of the model's importance reasons names the
 * very symbol, flag, setting or file the rules found (so it disputes the finding itself, e.g.
 * "`foo` was private"), and never for a breaking change the author declared.
 */
import type { CommitAnalysis, Importance } from "../types.js";

const RANK: Record<Importance, number> = { low: 0, medium: 1, high: 2 };

/** Rule codes whose finding holds the floor, and whether a model may argue it away. */
const FLOOR_CODES: ReadonlyMap<string, { disputable: boolean }> = new Map([
  ["breaking-change", { disputable: false }],
  ["api-break", { disputable: true }],
  ["cli-break", { disputable: true }],
  ["setting-removed", { disputable: true }],
  ["security-fix", { disputable: true }],
  ["security-signal", { disputable: true }],
]);

export interface FloorDecision {
  importance: Importance;
  /** The rule codes that held the model's tier up; empty when the model's tier stands. */
  heldBy: string[];
}

export function applyImportanceFloor(prior: CommitAnalysis, modelImportance: Importance, modelReasons: readonly string[]): FloorDecision {
  if (RANK[modelImportance] >= RANK[prior.importance]) return { importance: modelImportance, heldBy: [] };
  const held: string[] = [];
  const text = modelReasons.join("\n");
  for (const reason of prior.reasons) {
    const floor = FLOOR_CODES.get(reason.code);
    if (!floor) continue;
    if (!floor.disputable || !namesTheFinding(text, reason.params)) held.push(reason.code);
  }
  return held.length > 0 ? { importance: prior.importance, heldBy: held } : { importance: modelImportance, heldBy: [] };
}

/** A reason that quotes one of the names the finding lists (in backticks or as a whole word). */
function namesTheFinding(text: string, params: Record<string, string | number>): boolean {
  // Only names can be disputed: a security signal's kinds or a fix's words are no finding to argue with.
  const names = [params.names, params.paths]
    .filter((value): value is string => typeof value === "string")
    .flatMap((value) => value.split(", "))
    .map((name) => name.trim())
    .filter((name) => name.length >= 3);
  return names.some((name) => {
    const short = name.split(/::|\./).pop()!;
    const escaped = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^\\w])(${escaped(name)}|${escaped(short)})([^\\w]|$)`).test(text) && short.length >= 3;
  });
}
