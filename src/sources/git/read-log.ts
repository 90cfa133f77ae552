import type { Commit } from "../types.js";
import { GitLogParser, LOG_FORMAT_ARGS, type ParserLimits } from "./log-parser.js";
import { spawnGit, toGitError } from "./run-git.js";

/** How much of git's stderr we keep for an error message. */
const MAX_STDERR = 16 * 1024;

export interface ReadLogOptions {
  gitDir: string;
  limits?: Partial<ParserLimits>;
}

/**
 * Streams full commits (raw entries and capped patches) for the given SHAs from ONE
 * git process: the SHAs go to `git log --no-walk=unsorted --stdin`, so the order is
 * the order given and git never walks further. Memory stays bounded by the parser's
 * limits, whatever the size of a diff: stdout is consumed as it arrives.
 */
export async function* readCommitsFromGit(shas: readonly string[], options: ReadLogOptions): AsyncGenerator<Commit> {
  if (shas.length === 0) return;
  const args = ["log", "--no-walk=unsorted", "--stdin", ...LOG_FORMAT_ARGS];
  yield* streamLog(args, `${shas.join("\n")}\n`, options);
}

/** Streams every first-parent commit reachable from `rev` (oldest boundary excluded by `since`). */
export async function* readHistoryFromGit(rev: string, options: ReadLogOptions): AsyncGenerator<Commit> {
  yield* streamLog(["log", ...LOG_FORMAT_ARGS, rev, "--"], undefined, options);
}

async function* streamLog(args: string[], input: string | undefined, options: ReadLogOptions): AsyncGenerator<Commit> {
  const child = spawnGit(args, { gitDir: options.gitDir });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    if (stderr.length < MAX_STDERR) stderr += text;
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, error }));
    child.on("close", (code) => resolve({ code }));
  });
  // A consumer that stops early closes stdin/stdout; git then dies of SIGPIPE, which is fine.
  child.stdin.on("error", () => undefined);
  child.stdin.end(input ?? "");

  const parser = new GitLogParser(options.limits);
  let finished = false;
  try {
    for await (const chunk of child.stdout) {
      for (const commit of parser.push(chunk as Buffer)) yield commit;
    }
    const result = await exited;
    if (result.error || result.code !== 0) throw toGitError(args, result.error ?? new Error(`exit ${result.code}`), stderr);
    for (const commit of parser.end()) yield commit;
    finished = true;
  } finally {
    if (!finished && child.exitCode === null) child.kill();
  }
}
