import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import { GitSource } from "./git/git-source.js";
import type { RepoRef, Source } from "./types.js";

export interface SourceOptions {
  mirrorsDir: string;
  logger: Logger;
}

/** Every source adapter, by id; one folder per adapter under src/sources/. */
export const SOURCES: ReadonlyMap<string, (repo: RepoRef, options: SourceOptions) => Source> = new Map([
  ["git", (repo: RepoRef, options: SourceOptions) => new GitSource(repo, options)],
]);

export function createSource(id: string, repo: RepoRef, options: SourceOptions): Source {
  const factory = SOURCES.get(id);
  if (!factory) throw new ConfigError("source", id, `one of ${[...SOURCES.keys()].join(", ")}`);
  return factory(repo, options);
}
