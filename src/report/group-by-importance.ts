import { IMPORTANCE_ORDER, type Importance } from "../analysis/types.js";
import type { ReportCommit } from "./types.js";

/** Commits by importance, high first, in their given order; empty groups left out. Every renderer lists them so. */
export function groupByImportance(commits: readonly ReportCommit[]): Map<Importance, ReportCommit[]> {
  const groups = new Map<Importance, ReportCommit[]>();
  for (const importance of IMPORTANCE_ORDER) {
    const members = commits.filter((commit) => commit.importance === importance);
    if (members.length > 0) groups.set(importance, members);
  }
  return groups;
}
