export type Environment = Record<string, string | undefined>;

/** The token and the name of the environment variable it came from (for messages; never the value). */
export function resolveGitHubTokenSource(
  env: Environment,
  tokenEnv?: string,
): { token: string; source: string } | undefined {
  const names = [tokenEnv, "GITHUB_TOKEN", "GH_TOKEN"].filter((name): name is string => Boolean(name));
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  return undefined;
}

/** The config-named variable first, then GITHUB_TOKEN, then GH_TOKEN (the gh CLI's name). */
export function resolveGitHubToken(env: Environment, tokenEnv?: string): string | undefined {
  return resolveGitHubTokenSource(env, tokenEnv)?.token;
}
