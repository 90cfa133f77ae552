import { execFile, spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { ExternalServiceError } from "../../errors.js";

/**
 * Settings that make git's output the same on every machine, whatever the user's
 * config says: unquoted UTF-8 paths, no signatures, no colours, no external diff.
 */
const STABLE_CONFIG = [
  "-c", "core.quotePath=false",
  "-c", "log.showSignature=false",
  "-c", "color.ui=false",
  "-c", "diff.noprefix=false",
  "-c", "diff.mnemonicPrefix=false",
  "-c", "diff.relative=false",
];

const GIT_ENV = {
  // Never wait for a password on a terminal nobody is watching.
  GIT_TERMINAL_PROMPT: "0",
  GIT_ASKPASS: "",
  SSH_ASKPASS: "",
  LC_ALL: "C",
};

export interface GitOptions {
  cwd?: string;
  /** Passed to git as --git-dir. */
  gitDir?: string;
  input?: string;
  maxBuffer?: number;
  /** Added to git's environment. */
  env?: Record<string, string>;
}

function gitArgs(args: readonly string[], options: GitOptions): string[] {
  return [...(options.gitDir ? ["--git-dir", options.gitDir] : []), ...STABLE_CONFIG, ...args];
}

/** Runs git to completion and returns stdout; for small outputs only. */
export function runGit(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      gitArgs(args, options),
      {
        cwd: options.cwd,
        env: { ...process.env, ...GIT_ENV, ...options.env },
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (error) reject(toGitError(args, error, stderr));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Starts a long-running git process whose stdout is read as a stream. */
export function spawnGit(
  args: readonly string[],
  options: GitOptions = {},
): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn("git", gitArgs(args, options), {
    cwd: options.cwd,
    env: { ...process.env, ...GIT_ENV, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export function toGitError(args: readonly string[], error: unknown, stderr: string): ExternalServiceError {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") {
    return new ExternalServiceError("git", "the git command was not found", {
      hint: "install git (2.31 or newer) and make sure it is on PATH",
      cause: error,
    });
  }
  const firstLine = stderr.split("\n").find((line) => line.trim().length > 0)?.trim() ?? String(error);
  return new ExternalServiceError("git", `git ${args[0] ?? ""} failed: ${redactUrlCredentials(firstLine)}`, {
    status: typeof code === "number" ? code : undefined,
    cause: error,
  });
}

/** `https://user:token@host/x` → `https://***@host/x`: a URL's credentials never reach a message. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}
