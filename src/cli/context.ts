import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig, resolveDataDir, type LoadedConfig } from "../config/load-config.js";
import { createLogger, type Logger } from "../logger.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/types.js";

export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  verbose?: boolean;
  quiet?: boolean;
}

/** What every command shares: the config, the data dir, the logger, the store. */
export interface CliContext {
  options: GlobalOptions;
  loaded: LoadedConfig;
  dataDir: string;
  logger: Logger;
  openStore(): Store;
  mirrorsDir: string;
}

export function createContext(command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const logger = createLogger(options.verbose ? "debug" : options.quiet ? "error" : "warn");
  const loaded = loadConfig(options.config);
  const dataDir = resolveDataDir(options.dataDir, loaded.config);
  return {
    options,
    loaded,
    dataDir,
    logger,
    mirrorsDir: join(dataDir, "mirrors"),
    openStore: () => openStore(join(dataDir, "repo-digest.sqlite")),
  };
}
