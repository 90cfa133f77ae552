import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runGit } from "../src/sources/git/run-git.js";

/**
 * The command line every bench shares: a repository path (default: this one) and
 * `--name value` options with defaults. Returns the repository's git dir and tip.
 */
export async function openBenchRepo<T extends Record<string, string>>(
  defaults: T,
): Promise<{ options: T; repo: string; gitDir: string; tip: string }> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: "string" as const }])),
  });
  const options = { ...defaults, ...values } as T;
  const repo = resolve(positionals[0] ?? ".");
  const gitDir = (await runGit(["rev-parse", "--absolute-git-dir"], { cwd: repo })).trim();
  const tip = (await runGit(["rev-parse", "HEAD"], { gitDir })).trim();
  return { options, repo, gitDir, tip };
}
