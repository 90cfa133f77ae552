/**
 * What GitHub adds to a repository's commits: the pull request behind each (title, body,
 * labels, reviewers, linked issues) and the period's activity. Everything asked is kept
 * in the store, so no PR is fetched twice; list answers carry ETags, so a re-run is
 * answered with 304s.
 */
import { isKnownError } from "../../errors.js";
import type { EtagCache, GitHubClient } from "../../github/client.js";
import { fetchActivity } from "./activity.js";
import { resolveGitHubApiUrl, type GitHubRepoRef } from "../../github/parse-repo.js";
import { fetchPullRequests, findPullRequestsForCommits } from "./pull-requests.js";
import { resolveGitHubTokenSource } from "../../github/resolve-token.js";
import type { PullRequestInfo } from "../../github/types.js";
import type { Logger } from "../../logger.js";
import type { RepoActivity } from "../../report/types.js";
import type { Store } from "../../store/types.js";
import type { TimeRange } from "../../sources/types.js";

export interface GitHubAccess {
  /** One client per host, created on first use. */
  client(ref: GitHubRepoRef): GitHubClient;
  /** False without a token: GitHub's GraphQL API (PR lookups) needs one. */
  hasToken: boolean;
}

export async function createGitHubAccess(
  settings: { tokenEnv?: string; apiUrl?: string },
  env: NodeJS.ProcessEnv,
  hooks: { logger: Logger; onWait: (message: string) => void },
): Promise<GitHubAccess> {
  // Octokit and its plugins load only for a run that reads GitHub (bench/startup.bench.ts).
  const { createGitHubClient } = await import("../../github/client.js");
  const token = resolveGitHubTokenSource(env, settings.tokenEnv);
  const clients = new Map<string, GitHubClient>();
  return {
    hasToken: token !== undefined,
    client(ref) {
      const baseUrl = settings.apiUrl ?? resolveGitHubApiUrl(ref.host);
      let client = clients.get(baseUrl);
      if (!client) {
        client = createGitHubClient({
          baseUrl,
          ...(token ? { token: token.token, tokenSource: token.source } : {}),
          userAgent: "repo-digest",
          logger: { warn: (msg) => hooks.logger.warn(msg), debug: (msg) => hooks.logger.debug(msg) },
          onWait: ({ reason, resumeAt }) =>
            hooks.onWait(`GitHub ${reason === "rate-limit" ? "rate limit" : "secondary rate limit"} reached: waiting until ${resumeAt.toISOString()}`),
        });
        clients.set(baseUrl, client);
      }
      return client;
    },
  };
}

const PR = "github-pr";
const COMMIT_PR = "github-commit-pr";

/**
 * The pull request of each commit: by the number in its message, else by GitHub's
 * commit → PR association. Answers (including "no PR") are stored and never asked again.
 */
export async function loadPullRequests(
  access: GitHubAccess,
  ref: GitHubRepoRef,
  commits: ReadonlyArray<{ sha: string; prNumber?: number }>,
  store: Store,
  options: { offline?: boolean } = {},
): Promise<Map<string, PullRequestInfo>> {
  const slug = `${ref.host}/${ref.owner}/${ref.repo}`;
  const bySha = new Map<string, PullRequestInfo>();
  // Each commit's PR number: from its message, else from an earlier association lookup
  // (null: GitHub said it has none), else not known yet.
  const numberOf = new Map<string, number | null>();
  const unknownShas: string[] = [];
  for (const commit of commits) {
    const number = commit.prNumber ?? (await store.getCached<{ number: number | null }>(COMMIT_PR, `${slug}@${commit.sha}`))?.value.number;
    if (number === undefined) unknownShas.push(commit.sha);
    else numberOf.set(commit.sha, number);
  }
  const wanted = async (): Promise<number[]> => {
    const numbers = new Set<number>();
    for (const [sha, number] of numberOf) {
      if (number === null) continue;
      const cached = (await store.getCached<PullRequestInfo>(PR, `${slug}#${number}`))?.value;
      if (cached) bySha.set(sha, cached);
      else numbers.add(number);
    }
    return [...numbers];
  };
  if (!access.hasToken || options.offline) {
    await wanted();
    return bySha;
  }

  const client = access.client(ref);
  if (unknownShas.length > 0) {
    const found = await findPullRequestsForCommits(client, ref.owner, ref.repo, unknownShas);
    for (const sha of unknownShas) {
      const info = found.get(sha);
      await store.putCached(COMMIT_PR, `${slug}@${sha}`, { number: info?.number ?? null });
      if (info) await store.putCached(PR, `${slug}#${info.number}`, info);
      numberOf.set(sha, info?.number ?? null);
    }
  }
  const missing = await wanted();
  if (missing.length > 0) {
    const fetched = await fetchPullRequests(client, ref.owner, ref.repo, missing);
    for (const info of fetched.values()) await store.putCached(PR, `${slug}#${info.number}`, info);
    for (const [sha, number] of numberOf) {
      const info = number === null ? undefined : fetched.get(number);
      if (info) bySha.set(sha, info);
    }
  }
  return bySha;
}

/** The period's releases, pull requests and issues; a failure is a notice, never the run's end. */
export async function loadActivity(
  access: GitHubAccess,
  ref: GitHubRepoRef,
  period: TimeRange,
  store: Store,
  logger: Logger,
): Promise<{ activity?: RepoActivity; error?: string }> {
  try {
    const activity = await fetchActivity(access.client(ref), ref.owner, ref.repo, period, { etagCache: storeEtagCache(store) });
    return { activity };
  } catch (error) {
    const reason = isKnownError(error) ? error.message : String(error);
    logger.warn({ repo: `${ref.owner}/${ref.repo}`, reason }, "GitHub activity unavailable");
    return { error: reason };
  }
}

function storeEtagCache(store: Store): EtagCache {
  return {
    async get(key) {
      const cached = await store.getCached<unknown>("github-http", key);
      return cached?.etag ? { etag: cached.etag, body: cached.value } : undefined;
    },
    async set(key, etag, body) {
      await store.putCached("github-http", key, body, etag);
    },
  };
}
