import { Command } from "commander";
import { resolveRepos } from "../../pipeline/resolve-repos.js";
import { createSource } from "../../sources/registry.js";
import { ExternalServiceError } from "../../errors.js";
import { createContext } from "../context.js";
import { createProgress } from "../progress.js";

export function fetchCommand(): Command {
  return new Command("fetch")
    .description("bring every tracked remote up to date (clone its mirror on first use)")
    .option("-r, --repo <path-or-url>", "only this repository (repeatable)", (v: string, p: string[]) => [...p, v], [])
    .action(async (options: { repo: string[] }, command: Command) => {
      const context = createContext(command);
      const repos = await resolveRepos(options.repo, context.loaded.config);
      const progress = await createProgress({ quiet: Boolean(context.options.quiet) });
      const failures: string[] = [];
      try {
        for (const repo of repos) {
          const source = createSource("git", repo, { mirrorsDir: context.mirrorsDir, logger: context.logger });
          if (!source.remote) continue;
          progress.update(`fetching ${repo.name}`);
          try {
            await source.update();
            progress.note(`${repo.name}: up to date`);
          } catch (error) {
            failures.push(`${repo.name}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      } finally {
        progress.stop();
      }
      if (failures.length > 0) {
        throw new ExternalServiceError("fetch", `${failures.length} of ${repos.length} failed: ${failures.join("; ")}`, {
          retryable: true,
          hint: "check the network and the URLs; `report` still works from the last fetched history",
        });
      }
    });
}
