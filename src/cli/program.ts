import { Command, CommanderError, Option } from "commander";
import { ExitCode } from "../errors.js";
import { fromOsError } from "../os-errors.js";
import { configCommand } from "./commands/config-command.js";
import { daemonCommand } from "./commands/daemon-command.js";
import { workerCommand } from "./commands/worker-command.js";
import { deliverCommand } from "./commands/deliver-command.js";
import { fetchCommand } from "./commands/fetch-command.js";
import { initCommand } from "./commands/init-command.js";
import { reportCommand } from "./commands/report-command.js";
import { reposCommand } from "./commands/repos-command.js";
import { serveCommand } from "./commands/serve-command.js";
import { subscriptionsCommand } from "./commands/subscriptions-command.js";
import { VERSION } from "./version.js";

export function buildProgram(): Command {
  const program = new Command("repo-digest")
    .description("Daily update reports of the git repositories you depend on: what changed, what matters, what could break.")
    .version(VERSION, "-V, --version")
    .option("-c, --config <file>", "config file (default: $REPO_DIGEST_CONFIG, ./repo-digest.yaml or in a parent folder up to the repository root, ~/.config/repo-digest/config.yaml)")
    .option("--data-dir <dir>", "where the store and mirrors live (env: REPO_DIGEST_DATA_DIR)")
    .option("-v, --verbose", "log what happens, step by step, on stderr")
    .option("-q, --quiet", "print nothing but errors")
    .option("--no-color", "no colours in logs and progress (also: NO_COLOR=1)")
    .addOption(new Option("--log-format <format>", "log lines as text or JSON (default: text on a terminal, else JSON)").choices(["text", "json"]))
    // Before any command's code loads: every library that colours (the spinner, the logs) reads NO_COLOR.
    .hook("preAction", (root) => {
      if (root.opts<{ color?: boolean }>().color === false) process.env.NO_COLOR = "1";
    })
    .addCommand(reportCommand())
    .addCommand(initCommand())
    .addCommand(reposCommand())
    .addCommand(configCommand())
    .addCommand(fetchCommand())
    .addCommand(deliverCommand())
    .addCommand(daemonCommand())
    .addCommand(workerCommand())
    .addCommand(subscriptionsCommand())
    .addCommand(serveCommand());
  return configureCommandTree(program);
}

/**
 * Applies the program's usage-error handling to `command` and every command under it, at
 * any depth. Commander keeps these settings per command, and a subcommand inherits them
 * only when created through its parent's `.command()` after they were set, so setting them
 * on the root alone left `report --frobnicate` to commander's own `process.exit(1)`.
 * Each command: throws instead of exiting (main maps that to exit 2), and prints its error
 * as the one line every other failure is, with the help to run in place of
 * `showHelpAfterError`'s second line.
 */
export function configureCommandTree(command: Command): Command {
  command
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: (text, write) => write(usageLine(command, text)) });
  for (const child of command.commands) configureCommandTree(child);
  return command;
}

/** `repo-digest: report: unknown option '--frobnicate'; did you mean --format? (run `repo-digest report --help` for usage)` */
function usageLine(command: Command, text: string): string {
  const path: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) path.unshift(current.name());
  const message = text
    .trim()
    .replace(/^error: /, "")
    // commander puts its suggestion on a line of its own: "\n(Did you mean --format?)".
    .replace(/\s*\n\(Did you mean (.*)\?\)$/, "; did you mean $1?")
    .replace(/\s*\n\s*/g, " ");
  const where = path.length > 0 ? `${path.join(" ")}: ` : "";
  const help = ["repo-digest", ...path, "--help"].join(" ");
  return `repo-digest: ${where}${message} (run \`${help}\` for usage)\n`;
}

export interface MainOptions {
  /** The command tree; tests pass one with a command of their own. */
  program?: Command;
  writeErr?: (text: string) => void;
}

/** One place maps every failure to one line on stderr and an exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const program = configureCommandTree(options.program ?? buildProgram());
  const writeErr = options.writeErr ?? ((text: string) => void process.stderr.write(text));
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version, or its one-line usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    // Global options are parsed before any command runs, so --verbose is known here.
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
    // A known error, or an OS/SQLite error no call site named: one line, the problem, then the fix.
    const known = fromOsError(error);
    if (known && known.exitCode !== ExitCode.internal) {
      writeErr(`repo-digest: ${oneLine(known.message)}${known.hint ? ` (${oneLine(known.hint)})` : ""}\n`);
      if (verbose && known.cause !== undefined) writeErr(`caused by${codeOf(known.cause)}: ${stackOf(known.cause)}\n`);
      return known.exitCode;
    }
    // A bug: the line to quote in a report, and the stack for whoever fixes it, on request.
    const what = known ? known.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    writeErr(`repo-digest: internal error (please report it): ${oneLine(what)}${verbose ? "" : " (run with --verbose for the stack trace)"}\n`);
    if (verbose) writeErr(`${stackOf(error)}\n`);
    return ExitCode.internal;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function stackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? "" : `\ncaused by${codeOf(error.cause)}: ${stackOf(error.cause)}`;
  return `${error.stack ?? `${error.name}: ${error.message}`}${cause}`;
}

/** An errno or SQLite code (`SQLITE_IOERR_SHMSIZE`), which the stack does not show. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? ` (${code})` : "";
}
