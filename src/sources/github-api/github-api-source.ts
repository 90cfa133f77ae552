import type { Octokit } from "@octokit/rest";
import pLimit from "p-limit";
import type { z } from "zod";
import { ExternalServiceError, InputError, isKnownError } from "../../errors.js";
import type { GitHubClient } from "../../github/client.js";
import { parseGitHubRepo } from "../../github/parse-repo.js";
import type { Logger } from "../../logger.js";
import type { Commit, CommitHeader, RepoRef, Source, TimeRange } from "../types.js";
import {
  branchSchema,
  commitDetailSchema,
  listedCommitsSchema,
  repositorySchema,
  type CommitDetail,
  type CommitFile,
  type ListedCommit,
} from "./api-schema.js";
import { selectFirstParentChain } from "./first-parent.js";
import { DEFAULT_PATCH_LIMITS, GITHUB_MAX_COMMIT_FILES, mapCommit, type PatchLimits } from "./map-commit.js";

export interface GitHubApiSourceOptions {
  /** Its Octokit retries, waits out rate limits and turns every failure into one line. */
  client: Pick<GitHubClient, "rest">;
  logger: Logger;
  limits?: Partial<PatchLimits>;
}

/** Commits read at once; GitHub counts concurrent requests against the secondary rate limit. */
const READ_CONCURRENCY = 4;
/** Commits fetched ahead of the consumer, so memory stays bounded on a long range. */
const READ_AHEAD = READ_CONCURRENCY * 2;
/** The list endpoint's largest page. */
const PER_PAGE = 100;
/** `since` is asked a second early, as the git source does; the exact window is applied here. */
const SINCE_SLACK_MS = 1000;

/**
 * Reads a GitHub repository's history through the REST API, for repositories too
 * large to clone. It yields the same commits as the git source, except what the API
 * does not give (modes, rename similarity, files past its 3,000-file limit), which is
 * marked as not seen.
 */
export class GitHubApiSource implements Source {
  readonly id = "github-api";
  readonly remote = true;
  private readonly owner: string;
  private readonly name: string;
  private readonly limits: PatchLimits;
  private defaultBranch: string | undefined;
  private branchTip: string | undefined;

  constructor(
    readonly repo: RepoRef,
    private readonly options: GitHubApiSourceOptions,
  ) {
    const slug = parseGitHubRepo(repo.location) ?? parseGitHubRepo(repo.name);
    if (!slug) {
      throw new InputError(`repository ${repo.name}: ${JSON.stringify(repo.location)} does not name a GitHub repository`, {
        hint: "give it as owner/name or https://github.com/owner/name",
      });
    }
    this.owner = slug.owner;
    this.name = slug.repo;
    this.limits = { ...DEFAULT_PATCH_LIMITS, ...options.limits };
  }

  /** Checks that the repository exists and can be read, and learns its default branch. */
  async prepare(): Promise<void> {
    if (this.defaultBranch !== undefined) return;
    const response = await this.call("read the repository", () =>
      this.rest.repos.get({ owner: this.owner, repo: this.name }),
    );
    this.defaultBranch = parseResponse(repositorySchema, response.data, "GET /repos/{owner}/{repo}").default_branch;
  }

  /** Nothing is kept locally: every read asks the API. */
  async update(): Promise<void> {}

  async branchName(): Promise<string> {
    if (this.repo.branch) return this.repo.branch;
    await this.prepare();
    return this.defaultBranch!;
  }

  async resolveBranch(): Promise<string> {
    if (this.branchTip) return this.branchTip;
    const branch = await this.branchName();
    const response = await this.call(`read branch "${branch}"`, () =>
      this.rest.repos.getBranch({ owner: this.owner, repo: this.name, branch }),
    ).catch((error: unknown) => {
      if (!(error instanceof ExternalServiceError && error.details.status === 404)) throw error;
      // The repository was found by `prepare`, so the 404 is about the branch.
      if (!this.repo.branch) {
        throw new InputError(`repository ${this.repo.name} has no commits yet`, {
          hint: "commit something, or remove it from the config",
          cause: error,
        });
      }
      throw new InputError(`repository ${this.repo.name} has no branch "${branch}"`, {
        hint: "set its `branch` in the config to an existing branch, or remove it to follow the default branch",
        cause: error,
      });
    });
    this.branchTip = parseResponse(branchSchema, response.data, "GET /repos/{owner}/{repo}/branches/{branch}").commit.sha;
    return this.branchTip;
  }

  /**
   * Lists from the branch tip back to `since` without `until`: with `until`, the list
   * would start below commits made after the range, and a branch merged after it could
   * not be told from the first-parent chain.
   */
  async listCommits(range: TimeRange): Promise<CommitHeader[]> {
    const tip = await this.resolveBranch();
    const listed: ListedCommit[] = [];
    const pages = this.rest.paginate.iterator(this.rest.repos.listCommits, {
      owner: this.owner,
      repo: this.name,
      sha: tip,
      since: new Date(range.since.getTime() - SINCE_SLACK_MS).toISOString(),
      per_page: PER_PAGE,
    });
    await this.call("list commits", async () => {
      for await (const page of pages) {
        listed.push(...parseResponse(listedCommitsSchema, page.data, "GET /repos/{owner}/{repo}/commits"));
      }
    });
    const headers = selectFirstParentChain(tip, listed, range);
    this.options.logger.debug({ repo: this.repo.name, listed: listed.length, firstParent: headers.length }, "listed commits");
    return headers;
  }

  /**
   * Fetches up to four commits at a time and yields them in the order given. A
   * consumer that stops early leaves at most the read-ahead window fetched for nothing.
   */
  async *readCommits(shas: readonly string[]): AsyncGenerator<Commit> {
    const limit = pLimit(READ_CONCURRENCY);
    const pending: Promise<Commit>[] = [];
    let next = 0;
    const fill = (): void => {
      while (next < shas.length && pending.length < READ_AHEAD) {
        const sha = shas[next++]!;
        const commit = limit(() => this.readCommit(sha));
        // Observed below when its turn comes; this keeps an early stop from leaving an unhandled rejection.
        commit.catch(() => undefined);
        pending.push(commit);
      }
    };
    try {
      fill();
      while (pending.length > 0) {
        const commit = await pending.shift()!;
        fill();
        yield commit;
      }
    } finally {
      limit.clearQueue();
    }
  }

  /** One commit with every page of its files (300 a page, GitHub stops at 3,000). */
  private async readCommit(sha: string): Promise<Commit> {
    let detail: CommitDetail | undefined;
    const files: CommitFile[] = [];
    await this.call(`read commit ${sha.slice(0, 12)}`, async () => {
      const pages = this.rest.paginate.iterator(this.rest.repos.getCommit, { owner: this.owner, repo: this.name, ref: sha });
      for await (const page of pages) {
        const parsed = parseResponse(commitDetailSchema, page.data, "GET /repos/{owner}/{repo}/commits/{ref}");
        detail ??= parsed;
        files.push(...(parsed.files ?? []));
      }
    });
    if (!detail) throw new ExternalServiceError("GitHub", `${this.repo.name}: no answer for commit ${sha}`);
    const mapped = mapCommit(detail, files, this.limits);
    if (mapped.fileListCapped) {
      this.options.logger.warn(
        { repo: this.repo.name, sha, listedFiles: files.length, unlistedLines: mapped.unlistedLines },
        `GitHub lists at most ${GITHUB_MAX_COMMIT_FILES} files of a commit; the rest are reported as not seen`,
      );
    }
    return mapped.commit;
  }

  private get rest(): Octokit {
    return this.options.client.rest;
  }

  /** Runs one API exchange; a failure becomes one line naming the repository and what was asked. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toSourceError(error, this.repo.name, what);
    }
  }
}

/** The client's errors are already one line each; anything else (a bug, a broken stream) is wrapped. */
function toSourceError(error: unknown, repoName: string, what: string): Error {
  if (isKnownError(error)) return error;
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  return new ExternalServiceError("GitHub", `${repoName}: could not ${what}: ${message}`, { cause: error });
}

function parseResponse<S extends z.ZodType>(schema: S, data: unknown, route: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new ExternalServiceError("GitHub", `unexpected answer to ${route}${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}
