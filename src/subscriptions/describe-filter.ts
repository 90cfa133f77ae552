import type { SubscriptionFilterInput } from "./subscription-config.js";

const IMPORTANCE_WORDS = { high: "high importance only", medium: "high and medium importance", low: "every importance" } as const;

/**
 * A filter in words, for `subscriptions list`: each condition the way matchCommit applies
 * it, in the same order, joined by "; " (all must hold; a list holds when any item does).
 */
export function describeFilter(filter: SubscriptionFilterInput): string {
  const list = (items: readonly string[]) => items.join(", ");
  const quoted = (items: readonly string[]) => items.map((item) => JSON.stringify(item)).join(", ");
  const parts: string[] = [];
  if (filter.repos) parts.push(`repositories ${list(filter.repos)}`);
  if (filter.paths) parts.push(`changing ${list(filter.paths)}`);
  if (filter.excludePaths) parts.push(`changes only to ${list(filter.excludePaths)} left out`);
  if (filter.minImportance) parts.push(IMPORTANCE_WORDS[filter.minImportance]);
  if (filter.types) parts.push(`types ${list(filter.types)}`);
  if (filter.labels) parts.push(`PR labels ${list(filter.labels)}`);
  if (filter.keywords) parts.push(`mentioning ${quoted(filter.keywords)}`);
  if (filter.authors) parts.push(`by ${list(filter.authors)}`);
  const kinds = [filter.breaking && "breaking changes", filter.dependencies && "dependency changes"].filter((kind): kind is string => typeof kind === "string");
  if (kinds.length > 0) parts.push(`only ${kinds.join(" or ")}`);
  if (filter.affects) parts.push(filter.affects === true ? "only what affects your code" : `only what affects ${list(filter.affects)}`);
  if (parts.length === 0) parts.push("every commit");
  parts.push(filter.bots ? "bots included" : "bots left out");
  return parts.join("; ");
}
