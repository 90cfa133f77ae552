import { Command, CommanderError } from "commander";
import { ExitCode } from "../errors.js";
import { fromOsError } from "../os-errors.js";
import { daemonCommand } from "./commands/daemon-command.js";
import { deliverCommand } from "./commands/deliver-command.js";
import { fetchCommand } from "./commands/fetch-command.js";
import { initCommand } from "./commands/init-command.js";
import { reportCommand } from "./commands/report-command.js";
import { reposCommand } from "./commands/repos-command.js";
import { VERSION } from "./version.js";

export function buildProgram(): Command {
  return new Command("repo-digest")
    .description("Daily update reports of the git repositories you depend on: what changed, what matters, what could break.")
    .version(VERSION, "-V, --version")
    .option("-c, --config <file>", "config file (default: ./repo-digest.yaml if present)")
    .option("--data-dir <dir>", "where the store and mirrors live (env: REPO_DIGEST_DATA_DIR)")
    .option("-v, --verbose", "log what happens, step by step, on stderr")
    .option("-q, --quiet", "print nothing but errors")
    .showHelpAfterError("(run with --help for usage)")
    .addCommand(reportCommand())
    .addCommand(initCommand())
    .addCommand(reposCommand())
    .addCommand(fetchCommand())
    .addCommand(deliverCommand())
    .addCommand(daemonCommand())
    .exitOverride();
}

/** One place maps every failure to one line on stderr and an exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version, or its own one-line error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    // A known error, or an OS/SQLite error no call site named: one line, the problem, then the fix.
    const known = fromOsError(error);
    if (known) {
      process.stderr.write(`repo-digest: ${known.message}${known.hint ? ` (${known.hint})` : ""}\n`);
      return known.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`repo-digest: internal error (please report it): ${message}\n`);
    return ExitCode.internal;
  }
}
