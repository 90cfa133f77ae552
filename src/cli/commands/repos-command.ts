import { basename, resolve } from "node:path";
import { Command } from "commander";
import { addRepo, removeRepo } from "../../config/edit-repos.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../../config/load-config.js";
import { nameFromUrl } from "../../pipeline/resolve-repos.js";
import { isRemoteLocation } from "../../sources/git/git-source.js";

function configFile(command: Command): string {
  return resolve(command.optsWithGlobals<{ config?: string }>().config ?? DEFAULT_CONFIG_FILE);
}

export function reposCommand(): Command {
  const repos = new Command("repos").description("edit the list of tracked repositories in the config");
  repos
    .command("add")
    .description("track a repository: a local path (read in place) or a clone URL (mirrored)")
    .argument("<path-or-url>")
    .option("--name <owner/name>", "display name (default: from the URL, or the folder name)")
    .option("--branch <branch>", "branch to follow (default: the remote's default branch)")
    .option("--api", "read a GitHub repository through the API instead of cloning it (source: github-api)")
    .action((location: string, options: { name?: string; branch?: string; api?: boolean }, command: Command) => {
      const file = configFile(command);
      const remote = isRemoteLocation(location);
      const name = options.name ?? (remote ? nameFromUrl(location) : undefined) ?? basename(resolve(location));
      addRepo(file, {
        name,
        ...(remote ? { url: location } : { path: location }),
        ...(options.branch ? { branch: options.branch } : {}),
        criticalPaths: [],
        ignorePaths: [],
        llm: true,
        source: options.api ? "github-api" : "git",
        activity: true,
      });
      process.stdout.write(`tracking ${name}\n`);
    });
  repos
    .command("list")
    .description("list tracked repositories")
    .action((_options: unknown, command: Command) => {
      const { config } = loadConfig(command.optsWithGlobals<{ config?: string }>().config);
      for (const repo of config.repos) {
        const where = repo.url ?? repo.path ?? "";
        process.stdout.write(`${repo.name ?? basename(where)}\t${where}${repo.branch ? `\t${repo.branch}` : ""}\n`);
      }
    });
  repos
    .command("remove")
    .description("stop tracking a repository (its stored history stays in the data dir)")
    .argument("<name>")
    .action((name: string, _options: unknown, command: Command) => {
      removeRepo(configFile(command), name);
      process.stdout.write(`no longer tracking ${name}\n`);
    });
  return repos;
}
