import picomatch from "picomatch";
import * as z from "zod";
import { ExternalServiceError, InputError } from "../errors.js";
import type { GitHubClient } from "./types.js";

/** The fields of a repository in a list answer that we read (https://docs.github.com/en/rest/repos/repos). */
const listedRepo = z.object({
  name: z.string(),
  full_name: z.string(),
  html_url: z.string(),
  clone_url: z.string().optional(),
  archived: z.boolean().default(false),
  fork: z.boolean().default(false),
});

export interface OwnerRepo {
  /** owner/name, as GitHub spells it. */
  fullName: string;
  /** The name alone, which --include / --exclude match. */
  name: string;
  /** The https clone URL: https://<host>/owner/name.git. */
  cloneUrl: string;
  archived: boolean;
  fork: boolean;
}

/**
 * Every repository of an organisation, else of a user of that login: GitHub answers 404 to
 * `/orgs/{login}` for a user. All pages, 100 a page (GitHub's maximum); a rate limit waits as
 * the client does; 401/403 come out as the client maps them (exit 3).
 */
export async function listOwnerRepos(client: GitHubClient, owner: string): Promise<{ kind: "organisation" | "user"; repos: OwnerRepo[] }> {
  try {
    const data = await client.rest.paginate("GET /orgs/{org}/repos", { org: owner, type: "all", per_page: 100 });
    return { kind: "organisation", repos: data.map(readRepo) };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    const data = await client.rest.paginate("GET /users/{username}/repos", { username: owner, type: "owner", per_page: 100 });
    return { kind: "user", repos: data.map(readRepo) };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new InputError(`no GitHub organisation or user ${owner}`, {
      hint: "check the spelling (the login in https://github.com/<login>); a private organisation needs a token that can see it in GITHUB_TOKEN",
      cause: error,
    });
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof ExternalServiceError && error.details.status === 404;
}

function readRepo(raw: unknown): OwnerRepo {
  const parsed = listedRepo.safeParse(raw);
  if (!parsed.success) {
    throw new ExternalServiceError("GitHub", `unexpected repository in a list answer: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  const repo = parsed.data;
  return {
    fullName: repo.full_name,
    name: repo.name,
    cloneUrl: repo.clone_url ?? `${repo.html_url.replace(/\/+$/, "")}.git`,
    archived: repo.archived,
    fork: repo.fork,
  };
}

export type SkipReason = "excluded" | "archived" | "fork" | "tracked";

export interface RepoSelection {
  chosen: OwnerRepo[];
  skipped: Array<{ repo: OwnerRepo; reason: SkipReason }>;
}

/**
 * Which listed repositories to add. Each skipped one counts under the first reason that
 * applies: not matched by an --include (or matched by an --exclude), archived, a fork, or a
 * name already tracked. Globs are picomatch patterns on the name without the owner.
 */
export function selectOwnerRepos(
  repos: readonly OwnerRepo[],
  options: { include: readonly string[]; exclude: readonly string[]; archived: boolean; forks: boolean; tracked: ReadonlySet<string> },
): RepoSelection {
  // GitHub names are case-insensitive; a glob the user typed in lower case still matches "NIXL".
  const included = options.include.length > 0 ? picomatch([...options.include], { nocase: true, dot: true }) : () => true;
  const excluded = options.exclude.length > 0 ? picomatch([...options.exclude], { nocase: true, dot: true }) : () => false;
  const tracked = new Set([...options.tracked].map((name) => name.toLowerCase()));
  const selection: RepoSelection = { chosen: [], skipped: [] };
  for (const repo of repos) {
    const reason: SkipReason | undefined =
      !included(repo.name) || excluded(repo.name)
        ? "excluded"
        : repo.archived && !options.archived
          ? "archived"
          : repo.fork && !options.forks
            ? "fork"
            : tracked.has(repo.fullName.toLowerCase())
              ? "tracked"
              : undefined;
    if (reason === undefined) selection.chosen.push(repo);
    else selection.skipped.push({ repo, reason });
  }
  return selection;
}
