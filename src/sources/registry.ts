import { ConfigError } from "../errors.js";
import type { GitHubClient } from "../github/client.js";
import type { GitHubRepoRef } from "../github/parse-repo.js";
import type { Logger } from "../logger.js";
import { GitSource } from "./git/git-source.js";
import { GitHubApiSource } from "./github/github-api-source.js";
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

export const SOURCES: ReadonlyMap<string, SourceFactory> = new Map<string, SourceFactory>([
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
  const factory = SOURCES.get(id);
  if (!factory) throw new ConfigError("source", id, `one of ${[...SOURCES.keys()].join(", ")}`);
  return factory(repo, options);
}
