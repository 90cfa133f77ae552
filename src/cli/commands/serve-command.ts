/**
 * `repo-digest serve`: a web app over the store (README: "The web app"), read-only. The
 * server's code (Hono) loads only when this command runs, so other commands start as fast.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ExitCode, InputError } from "../../errors.js";
import { webUrlTemplatesFor, type LinkTemplates } from "../../report/links.js";
import { openConfiguredStore } from "../../store/open-configured-store.js";
import { createContext } from "../context.js";
import { VERSION } from "../version.js";

interface ServeCommandOptions {
  host: string;
  port: number;
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("a web app over the store: reports, repositories, commits, search, trends, and a JSON API (read-only)")
    .option("--host <address>", "address to listen on; any but loopback requires REPO_DIGEST_SERVE_TOKEN", parseHost, "127.0.0.1")
    .option("--port <n>", "port to listen on (0: any free port, printed)", parsePort, 8080)
    .action(async (options: ServeCommandOptions, command: Command) => {
      const context = createContext(command);
      const { config } = context.loaded;
      const { resolveToken } = await import("../../serve/security.js");
      const token = resolveToken(options.host, process.env);
      const sqliteFile = join(context.dataDir, "repo-digest.sqlite");
      if (context.storeUrl === undefined && !existsSync(sqliteFile)) {
        throw new InputError(`no store at ${sqliteFile}`, { hint: "run `repo-digest report` first, or give the --data-dir that holds the store" });
      }
      const store = await openConfiguredStore({ sqliteFile, readOnly: true, ...(context.storeUrl ? { url: context.storeUrl } : {}) });
      // The first signal stops the server and closes the store; a second one stops at once.
      let signalled = false;
      const stopSignal = new Promise<void>((resolve) => {
        const stop = () => {
          if (signalled) process.exit(ExitCode.interrupted);
          signalled = true;
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      try {
        const { runServer } = await import("../../serve/serve.js");
        await runServer({
          store,
          host: options.host,
          port: options.port,
          ...(token === undefined ? {} : { token }),
          defaultLang: config.language,
          version: VERSION,
          configLinks: configuredLinks(config.repos),
          logger: context.logger,
          quiet: context.options.quiet === true,
          stopSignal,
          ...(context.storeUrl === undefined ? { sqliteFile } : {}),
        });
      } finally {
        await store.close();
      }
    });
}

function parseHost(value: string): string {
  const host = value.trim();
  if (host === "" || /\s/.test(host)) throw new InvalidArgumentError("an IP address or a name of this machine, such as 127.0.0.1 or 0.0.0.0");
  return host;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError("a port number from 0 to 65535 (0: any free port)");
  return port;
}

/** Link templates of the config's named repositories: their `links:`, else what their URL gives. */
function configuredLinks(repos: ReadonlyArray<{ name?: string; url?: string; links?: { repo?: string; commit?: string; pullRequest?: string } }>): Map<string, LinkTemplates> {
  const links = new Map<string, LinkTemplates>();
  for (const repo of repos) {
    if (repo.name === undefined) continue;
    const derived = repo.url ? webUrlTemplatesFor(repo.url) : undefined;
    const merged: LinkTemplates = { ...derived, ...(repo.links?.repo ? { repoUrl: repo.links.repo } : {}), ...(repo.links?.commit ? { commit: repo.links.commit } : {}), ...(repo.links?.pullRequest ? { pullRequest: repo.links.pullRequest } : {}) };
    if (Object.keys(merged).length > 0) links.set(repo.name, merged);
  }
  return links;
}
