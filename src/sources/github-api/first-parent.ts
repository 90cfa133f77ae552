import type { CommitHeader, TimeRange } from "../types.js";
import type { ListedCommit } from "./api-schema.js";

/**
 * The first-parent chain from `tip` through the listed commits, kept where its
 * committer date falls in the half-open range, newest first. The list endpoint
 * returns every ancestor (merged branches too) in date order, like `git log` without
 * `--first-parent`; following `parents[0]` from the tip is what `--first-parent` does.
 * The walk ends at the first parent the list does not hold (older than the list's
 * `since`, or the root).
 */
export function selectFirstParentChain(tip: string, listed: readonly ListedCommit[], range: TimeRange): CommitHeader[] {
  const bySha = new Map(listed.map((commit) => [commit.sha, commit]));
  const since = range.since.getTime();
  const until = range.until.getTime();
  const headers: CommitHeader[] = [];
  const visited = new Set<string>();
  let current = bySha.get(tip);
  while (current && !visited.has(current.sha)) {
    visited.add(current.sha);
    const committedAt = new Date(current.commit.committer?.date ?? Number.NaN);
    const time = committedAt.getTime();
    if (time >= since && time < until) headers.push({ sha: current.sha, committedAt });
    const parent = current.parents[0]?.sha;
    current = parent === undefined ? undefined : bySha.get(parent);
  }
  return headers;
}
