import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { configTemplate } from "../../config/config-template.js";
import { DEFAULT_CONFIG_FILE } from "../../config/load-config.js";
import { writeFileAtomically } from "../../delivery/file/write-file.js";
import { InputError } from "../../errors.js";
import { systemTimezone } from "../../time/period.js";

export function initCommand(): Command {
  return new Command("init")
    .description(`write a commented ${DEFAULT_CONFIG_FILE} to start from`)
    .option("--force", "overwrite an existing file")
    .action((options: { force?: boolean }, command: Command) => {
      const file = resolve(command.optsWithGlobals<{ config?: string }>().config ?? DEFAULT_CONFIG_FILE);
      if (existsSync(file) && !options.force) {
        throw new InputError(`${file} already exists`, { hint: "edit it, or run `repo-digest init --force` to start over" });
      }
      writeFileAtomically(file, configTemplate(systemTimezone()), { doing: "writing the config" });
      process.stdout.write(`${file}\n`);
    });
}
