/**
 * The enrich stage's adapters by id, one folder each under src/enrich/. A repository is
 * enriched by the first provider that serves it; none serving it is a normal state (a local
 * repository, a host without an adapter): its commits go on without PR context.
 */
import type { Logger } from "../logger.js";
import { createRegistry } from "../registry.js";
import type { Progress } from "../pipeline/progress.js";
import type { Store } from "../store/types.js";
import type { GitHubAccess } from "./github/github-context.js";
import { createGitHubProvider } from "./github/github-provider.js";
import type { ContextProvider } from "./types.js";

export interface ProviderOptions {
  store: Store;
  logger: Logger;
  progress: Progress;
  /** GitHub, where the config allows it. */
  github?: GitHubAccess;
}

type ProviderFactory = (options: ProviderOptions) => ContextProvider | undefined;

export const CONTEXT_PROVIDERS = createRegistry<ProviderFactory>("context provider", [
  ["github", (options) => (options.github ? createGitHubProvider(options.github, options) : undefined)],
]);

/** The providers this run can use (GitHub only where it is enabled). */
export function createContextProviders(options: ProviderOptions): ContextProvider[] {
  return [...CONTEXT_PROVIDERS.entries()].flatMap(([, factory]) => factory(options) ?? []);
}
