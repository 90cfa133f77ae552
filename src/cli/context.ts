import { join } from "node:path";
import type { Command } from "commander";
import { describeConfigSource, loadConfig, resolveDataDir, type FoundConfig, type LoadedConfig } from "../config/load-config.js";
import { createLogger, type Logger } from "../logger.js";
import { isProcessGone } from "../process-owner.js";
import type { Config } from "../config/schema.js";
import { openConfiguredStore } from "../store/open-configured-store.js";
import type { Store } from "../store/types.js";

export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  verbose?: boolean;
  quiet?: boolean;
  logFormat?: "text" | "json";
}

/** What every command shares: the config, the data dir, the logger, the store. */
export interface CliContext {
  options: GlobalOptions;
  loaded: LoadedConfig;
  dataDir: string;
  logger: Logger;
  /** The PostgreSQL store's URL when one is configured (else the SQLite file in the data directory). */
  storeUrl: string | undefined;
  openStore(): Promise<Store>;
  mirrorsDir: string;
}

export function createContext(command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const logger = createLogger(options.verbose ? "debug" : options.quiet ? "error" : "warn", { format: options.logFormat ?? "auto" });
  const loaded = loadConfig(options.config);
  logConfigFile(logger, loaded);
  const dataDir = resolveDataDir(options.dataDir, loaded.config);
  return {
    options,
    loaded,
    dataDir,
    logger,
    mirrorsDir: join(dataDir, "mirrors"),
    storeUrl: storeUrlOf(loaded.config),
    openStore: () => openStoreMarkingInterrupted({ sqliteFile: join(dataDir, "repo-digest.sqlite"), ...optional("url", storeUrlOf(loaded.config)) }, logger),
  };
}

/** The -v line saying which config file applies and how the lookup found it, or that none did. */
export function logConfigFile(logger: Logger, found: FoundConfig): void {
  if (found.file === undefined) logger.info({ from: found.from }, describeConfigSource(found.from));
  else logger.info({ file: found.file, from: found.from }, `config: ${found.file} (${describeConfigSource(found.from)})`);
}

/** Opens the store; runs left 'running' by a process that is gone (kill -9, SIGTERM, a crash) are marked interrupted. */
async function openStoreMarkingInterrupted(where: { sqliteFile: string; url?: string }, logger: Logger): Promise<Store> {
  const store = await openConfiguredStore(where);
  try {
    for (const run of await store.interruptAbandonedRuns((owner) => isProcessGone(owner), new Date())) {
      logger.warn({ runId: run.id, command: run.command, startedAt: run.startedAt, pid: run.owner?.pid }, "an earlier run was interrupted; marked so in the store");
    }
  } catch (error) {
    // Housekeeping: a store that cannot be written now must not stop a command that only reads it.
    logger.warn({ reason: error instanceof Error ? error.message : String(error) }, "could not mark interrupted runs");
  }
  return store;
}

/** REPO_DIGEST_DATABASE_URL over `store:`; empty means unset. */
function storeUrlOf(config: Pick<Config, "store">, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.REPO_DIGEST_DATABASE_URL;
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : config.store;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
