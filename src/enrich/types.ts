/**
 * Enrichment: what a code host knows of a repository's commits beyond git (the pull request
 * behind each, the period's releases, PRs and issues). One adapter per host, one folder each
 * (github/); a GitLab or Gitea adapter implements {@link ContextProvider} and registers in
 * registry.ts, and nothing else changes.
 */
import type { PullRequestInfo } from "../github/types.js";
import type { Lang } from "../i18n/lang.js";
import type { RepoActivity } from "../report/types.js";
import type { TimeRange } from "../sources/types.js";
import type { ResolvedRepo } from "../pipeline/resolve-repos.js";

export interface EnrichRequest {
  repo: ResolvedRepo;
  /** The period's commits, with the PR number their message names, if any. */
  commits: ReadonlyArray<{ sha: string; prNumber?: number }>;
  period: TimeRange;
  lang: Lang;
  /** `--no-fetch`: answer from what the store kept, ask the host nothing. */
  offline: boolean;
}

export interface Enrichment {
  /** The pull request of each commit that has one, by SHA. */
  pullRequests: Map<string, PullRequestInfo>;
  activity?: RepoActivity;
  /** One line each, in the report's language: what could not be read, and why. */
  notices: string[];
}

export interface ContextProvider {
  readonly id: string;
  /** Whether this host serves the repository (a GitHub provider: a repository on GitHub). */
  serves(repo: ResolvedRepo): boolean;
  /** Never throws for the host's failures: they become notices, and the report goes on. */
  enrich(request: EnrichRequest): Promise<Enrichment>;
}
