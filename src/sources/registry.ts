import { ConfigError } from "../errors.js";
import { createRegistry } from "../registry.js";
import type { GitHubClient } from "../github/client.js";
import type { GitHubRepoRef } from "../github/parse-repo.js";
import type { Logger } from "../logger.js";
import { GitSource } from "./git/git-source.js";
import { GitHubApiSource } from "./github-api/github-api-source.js";
import type { RepoRef, Source } from "./types.js";

export interface SourceOptions {
  mirrorsDir: string;
  logger: Logger;
  /** The GitHub client of a repository's host, for the API-only source. */
  githubClient?: (ref: GitHubRepoRef) => GitHubClient;
  github?: GitHubRepoRef;
}

/** Every source adapter, by id; one folder per adapter under src/sources/. */
type SourceFactory = (repo: RepoRef, options: SourceOptions) => Source;

export const SOURCES = createRegistry<SourceFactory>("source", [
  ["git", (repo: RepoRef, options: SourceOptions) => new GitSource(repo, options)],
  [
    "github-api",
    (repo: RepoRef, options: SourceOptions) => {
      if (!options.github || !options.githubClient) {
        throw new ConfigError("source", "github-api", "a GitHub repository (url https://github.com/owner/name, or github: owner/name)");
      }
      const location = `https://${options.github.host}/${options.github.owner}/${options.github.repo}`;
      return new GitHubApiSource({ ...repo, location }, { client: options.githubClient(options.github), logger: options.logger });
    },
  ],
]);

export function createSource(id: string, repo: RepoRef, options: SourceOptions): Source {
  return SOURCES.get(id)(repo, options);
}
