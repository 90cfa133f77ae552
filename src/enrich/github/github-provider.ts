/**
 * The GitHub adapter of the enrich stage: the pull request behind each commit (where a
 * token allows GitHub's GraphQL API) and, for repositories with `activity`, the period's
 * releases, pull requests and issues. Every answer is kept in the store (github-context.ts).
 */
import { isKnownError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { activityFailedNotice, noGitHubTokenNotice, pullRequestsFailedNotice } from "../../pipeline/notices.js";
import type { Progress } from "../../pipeline/progress.js";
import type { PullRequestInfo } from "../../github/types.js";
import type { Store } from "../../store/types.js";
import type { ContextProvider, Enrichment } from "../types.js";
import { loadActivity, loadPullRequests, type GitHubAccess } from "./github-context.js";

export function createGitHubProvider(access: GitHubAccess, deps: { store: Store; logger: Logger; progress: Progress }): ContextProvider {
  return {
    id: "github",
    serves: (repo) => repo.github !== undefined,
    async enrich({ repo, commits, period, lang, offline }): Promise<Enrichment> {
      const ref = repo.github!;
      const notices: string[] = [];
      let pullRequests = new Map<string, PullRequestInfo>();
      if (commits.length > 0) {
        // GitHub's GraphQL API (the PR lookups) takes no anonymous requests: said once, not failed on.
        if (!access.hasToken && !offline) notices.push(noGitHubTokenNotice(lang));
        deps.progress.update(`${repo.name}: reading pull requests on GitHub`);
        try {
          // Offline: what the store already knows of PRs, nothing asked.
          pullRequests = await loadPullRequests(access, ref, commits, deps.store, { offline });
        } catch (error) {
          const reason = isKnownError(error) ? error.message : String(error);
          deps.logger.warn({ repo: repo.name, reason }, "pull requests unavailable");
          notices.push(pullRequestsFailedNotice(lang, reason));
        }
      }
      if (!repo.activity || offline) return { pullRequests, notices };
      deps.progress.update(`${repo.name}: reading the day's activity on GitHub`);
      const loaded = await loadActivity(access, ref, period, deps.store, deps.logger);
      if (loaded.error) notices.push(activityFailedNotice(lang, loaded.error));
      return { pullRequests, notices, ...(loaded.activity ? { activity: loaded.activity } : {}) };
    },
  };
}
