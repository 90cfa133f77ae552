import { resolve } from "node:path";
import { Command } from "commander";
import { describeConfigSource, findConfigFile, readConfigFile, type FoundConfig } from "../../config/load-config.js";
import { InputError } from "../../errors.js";
import { createLogger } from "../../logger.js";
import { logConfigFile, type GlobalOptions } from "../context.js";

export function configCommand(): Command {
  const config = new Command("config").description("check the config file, or show which one applies");
  config
    .command("validate")
    .description("check a config file (default: the one the lookup finds) without running anything; exit 2 at its first error")
    .argument("[file]", "the file to check (default: --config, $REPO_DIGEST_CONFIG, ./repo-digest.yaml, the parent folders, ~/.config)")
    .action((file: string | undefined, _options: unknown, command: Command) => {
      // A file given here is checked like one given by --config: it must exist.
      const target = file === undefined ? lookUp(command) : findConfigFile(resolve(file));
      const { repos } = readConfigFile(target.file!);
      process.stdout.write(`${target.file}: valid (${repos.length} ${repos.length === 1 ? "repository" : "repositories"})\n`);
    });
  config
    .command("path")
    .description("print the path of the config file the lookup finds")
    .action((_options: unknown, command: Command) => {
      process.stdout.write(`${lookUp(command).file}\n`);
    });
  return config;
}

/** The lookup every command does, logged under -v; a command about the file needs one. */
function lookUp(command: Command): FoundConfig {
  const options = command.optsWithGlobals<GlobalOptions>();
  const found = findConfigFile(options.config);
  logConfigFile(createLogger(options.verbose ? "debug" : options.quiet ? "error" : "warn"), found);
  if (found.file === undefined) {
    throw new InputError(describeConfigSource("none"), { hint: "create one with `repo-digest init`" });
  }
  return found;
}
