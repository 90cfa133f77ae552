import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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
      writeFileAtomically(file, configTemplate(systemTimezone(), installedSchemaFile()), { doing: "writing the config" });
      process.stdout.write(`${file}\n`);
    });
}

/**
 * The JSON Schema shipped in the package (schema/repo-digest.schema.json), by its absolute
 * path: the package has no public repository URL to point at, and a path relative to the
 * config (./node_modules/...) does not exist for a global install. Found by walking up from
 * this code (src/cli/commands/ in a checkout, dist/ once built) to the package's root.
 * Undefined when the package was installed without it: init then writes no schema line.
 */
export function installedSchemaFile(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "schema", "repo-digest.schema.json");
    if (existsSync(file)) return file;
    if (existsSync(join(dir, "package.json")) || dirname(dir) === dir) return undefined;
  }
}
