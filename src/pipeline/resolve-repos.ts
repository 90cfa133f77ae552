import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Config, RepoConfig } from "../config/schema.js";
import { InputError } from "../errors.js";
import { parseGitHubRepo, type GitHubRepoRef } from "../github/parse-repo.js";
import { webUrlTemplatesFor, type LinkTemplates } from "../report/links.js";
import { isRemoteLocation } from "../sources/git/git-source.js";
import { runGit } from "../sources/git/run-git.js";
import type { RepoRef } from "../sources/types.js";
import type { ProjectIdentity } from "../usage/types.js";
import { resolveUsedBy, type UsedBy } from "../usage/usage-config.js";

/** A repository with everything the pipeline needs to read and judge it. */
export interface ResolvedRepo extends RepoRef {
  criticalPaths: string[];
  ignorePaths: string[];
  links: LinkTemplates | undefined;
  /** false: code of this repository must not leave the machine. */
  llm: boolean;
  source: RepoConfig["source"];
  /** The repository on GitHub, where it is one: PR context, activity, the API-only source. */
  github: GitHubRepoRef | undefined;
  activity: boolean;
  /** The user's code whose uses of this project's names mark a commit "affects you" (absolute paths). */
  usedBy: UsedBy[];
  /** What the project offers under which names, where its tree does not say it. */
  provides: Partial<ProjectIdentity> | undefined;
}

/**
 * The repositories of a run: those named with --repo (taking the settings of a config
 * entry for the same location, if any; `name` is --name, for a single one), else all of the config's.
 */
export async function resolveRepos(cliRepos: readonly string[], config: Config, cwd = process.cwd(), name?: string): Promise<ResolvedRepo[]> {
  const entries: RepoConfig[] =
    cliRepos.length > 0 ? cliRepos.map((location) => ({ ...entryFor(location, config, cwd), ...(name !== undefined ? { name } : {}) })) : config.repos;
  if (entries.length === 0) {
    throw new InputError("no repositories to report on", {
      hint: "give --repo <path-or-url>, or track some with `repo-digest repos add <path-or-url>`",
    });
  }
  const resolved = await Promise.all(entries.map(resolveRepo));
  const seen = new Set<string>();
  for (const repo of resolved) {
    if (seen.has(repo.name)) {
      throw new InputError(`two repositories are named "${repo.name}"`, { hint: "give each a distinct `name` in the config" });
    }
    seen.add(repo.name);
  }
  return resolved;
}

const ENTRY_DEFAULTS = { criticalPaths: [], ignorePaths: [], llm: true, source: "git", activity: true } as const satisfies Partial<RepoConfig>;

function entryFor(location: string, config: Config, cwd: string): RepoConfig {
  const normalized = isRemoteLocation(location) ? location : resolve(cwd, location);
  const configured = config.repos.find((repo) => repo.url === normalized || repo.path === normalized || repo.name === location);
  if (configured) return configured;
  return isRemoteLocation(normalized)
    ? { url: normalized, ...ENTRY_DEFAULTS }
    : { path: normalized, ...ENTRY_DEFAULTS };
}

/** A used-by folder that is not there would mark nothing, silently: it stops the run before any work. */
async function checkUsedBy(repoName: string, usedBy: readonly UsedBy[]): Promise<void> {
  for (const entry of usedBy) {
    const isFolder = await stat(entry.path).then(
      (found) => found.isDirectory(),
      () => false,
    );
    if (!isFolder) {
      throw new InputError(`${repoName}: usedBy ${entry.label} is not a folder (${entry.path})`, {
        hint: "give the path of your own code, relative to the config file, or remove it from usedBy",
      });
    }
  }
}

async function resolveRepo(entry: RepoConfig): Promise<ResolvedRepo> {
  const location = entry.url ?? entry.path!;
  // A local clone of a hosted repository links to its host, like the remote would.
  const remoteUrl = entry.url ?? (entry.source === "github-api" ? undefined : await originUrl(location));
  const github = githubRefFor(entry, remoteUrl);
  if (entry.source === "github-api" && !github) {
    throw new InputError(`${entry.name ?? location}: source github-api needs a GitHub repository`, {
      hint: "give its url (https://github.com/owner/name) or github: owner/name",
    });
  }
  const derived = remoteUrl ? webUrlTemplatesFor(remoteUrl) : undefined;
  const links = entry.links ? { ...derived, ...stripUndefined({ repoUrl: entry.links.repo, commit: entry.links.commit, pullRequest: entry.links.pullRequest }) } : derived;
  const name = entry.name ?? nameFromUrl(remoteUrl) ?? basename(location);
  const usedBy = resolveUsedBy(entry.usedBy, (path) => resolve(path));
  await checkUsedBy(name, usedBy);
  return {
    name,
    location,
    ...(entry.branch ? { branch: entry.branch } : {}),
    ...(entry.mirror ? { mirror: entry.mirror } : {}),
    ...(links?.repoUrl ? { webUrl: links.repoUrl } : {}),
    criticalPaths: entry.criticalPaths,
    ignorePaths: entry.ignorePaths,
    links,
    llm: entry.llm,
    source: entry.source,
    github,
    activity: entry.activity,
    usedBy,
    provides: entry.provides,
  };
}

function githubRefFor(entry: RepoConfig, remoteUrl: string | undefined): GitHubRepoRef | undefined {
  if (entry.github) {
    const host = remoteUrl ? parseGitHubRepo(remoteUrl)?.host : undefined;
    const [owner, repo] = entry.github.split("/") as [string, string];
    return { owner, repo, host: host ?? "github.com" };
  }
  return remoteUrl ? parseGitHubRepo(remoteUrl) : undefined;
}

async function originUrl(path: string): Promise<string | undefined> {
  const url = await runGit(["config", "--get", "remote.origin.url"], { cwd: path }).catch(() => "");
  return url.trim() || undefined;
}

/** `https://github.com/ai-dynamo/dynamo.git` and `git@github.com:ai-dynamo/dynamo.git` → `ai-dynamo/dynamo`. */
export function nameFromUrl(url: string | undefined): string | undefined {
  if (!url || !isRemoteLocation(url)) return undefined;
  const parts = url
    .replace(/\.git\/?$/, "")
    .replace(/\/+$/, "")
    .split(/[/:]/)
    .filter(Boolean);
  const [owner, repo] = parts.slice(-2);
  return owner && repo ? `${owner}/${repo}` : undefined;
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
