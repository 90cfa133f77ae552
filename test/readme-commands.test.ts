/**
 * README.md kept true: every `repo-digest …` (or `node dist/main.js …`) command line in it,
 * in code blocks and inline code, is parsed by the real command tree, with each command's
 * action replaced by a no-op, so that an option renamed or removed, a choice dropped or a
 * command gone fails here. And the README starts with exactly two commands.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommanderError, type Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../src/cli/program.js";

const README = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
const BIN = /^(?:repo-digest|npx repo-digest|node dist\/main\.js)(?=\s|$)/;
/** Sample values for the README's placeholders. */
const PLACEHOLDERS: Record<string, string> = { "<day>": "2026-01-17", "<path-or-url>": ".", "<name>": "demo", "<file>": "repos.txt", "<n>": "3" };

/** Shell words of one command (quotes kept together, a trailing `# comment` or redirection dropped). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g)) {
    // A comment, or a redirection (`>> digest.log 2>&1`): the command ends there.
    if (match[3] !== undefined || (/^\d?[<>]/.test(match[4] ?? "") && !(match[4]! in PLACEHOLDERS))) break;
    out.push(match[1] ?? match[2] ?? match[4]!);
  }
  return out.map((word) => PLACEHOLDERS[word] ?? word);
}

/** Every command line of the bin: code-block lines and inline code, split at && ; | . */
function readmeCommands(): string[][] {
  const candidates: string[] = [];
  let inBlock = false;
  for (const line of README.split("\n")) {
    if (line.startsWith("```")) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) candidates.push(line.replace(/^\s*\$\s*/, ""));
    else for (const match of line.matchAll(/`([^`]+)`/g)) candidates.push(match[1]!);
  }
  const commands: string[][] = [];
  for (const candidate of candidates) {
    for (const part of candidate.split(/&&|\|\||;|\|/)) {
      // `ExecStart=/usr/bin/env repo-digest daemon`, `VAR=x repo-digest …`: from the bin on.
      const at = part.search(/(?:^|[\s=/])(?:repo-digest|node dist\/main\.js)(?=\s|$)/);
      if (at < 0) continue;
      const text = part.slice(at).replace(/^[\s=/]/, "").trim();
      const match = BIN.exec(text);
      if (!match) continue;
      const argv = words(text.slice(match[0].length));
      // A bare mention of the bin (`repo-digest` in prose) is not a command line.
      if (argv.length > 0) commands.push(argv);
    }
  }
  return commands;
}

/** The real command tree, every action a no-op: parsing alone decides. */
function parseOnly(argv: string[]): Promise<unknown> {
  const program = buildProgram();
  const quiet = (command: Command): void => {
    command.action(() => undefined).configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined });
    for (const child of command.commands) quiet(child);
  };
  quiet(program);
  // No hooks either: `--no-color` would set NO_COLOR in this test process.
  (program as unknown as { _lifeCycleHooks: Record<string, unknown[]> })._lifeCycleHooks = {};
  return program.parseAsync(["node", "repo-digest", ...argv]);
}

describe("README.md's command lines", () => {
  const commands = readmeCommands();

  it("starts with exactly two commands: the main job, offline, and the tests", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)![1]!.trim().split("\n");
    expect(firstBlock).toHaveLength(2);
    expect(firstBlock[0]).toMatch(/node dist\/main\.js report --repo \./);
    expect(firstBlock[1]).toMatch(/npm test$/);
  });

  it("finds the commands of every subcommand", () => {
    const used = new Set(commands.map((argv) => argv.find((word) => !word.startsWith("-"))));
    for (const name of ["report", "init", "repos", "fetch", "deliver", "daemon"]) expect(used).toContain(name);
    expect(commands.length).toBeGreaterThan(15);
  });

  it("accepts each one", async () => {
    const refused: string[] = [];
    for (const argv of commands) {
      try {
        await parseOnly(argv);
      } catch (error) {
        const ok = error instanceof CommanderError && ["commander.helpDisplayed", "commander.version"].includes(error.code);
        if (!ok) refused.push(`repo-digest ${argv.join(" ")}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("would catch a command line that does not parse", async () => {
    await expect(parseOnly(["report", "--frobnicate"])).rejects.toThrow(/unknown option/);
    await expect(parseOnly(["report", "--lang", "fr"])).rejects.toThrow(/Allowed choices/);
  });
});
