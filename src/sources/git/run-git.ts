import { execFile, spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { EnvironmentError, ExternalServiceError } from "../../errors.js";

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
  /** What a failure says before git's own words, and what to do about it (default: `git <command> failed`). */
  failure?: { message: string; hint?: string; retryable?: boolean };
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
        if (error) reject(toGitError(args, error, stderr, options.failure));
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

/**
 * Environment that stops git from fetching missing objects of a partial clone one by one
 * behind our back. `GIT_NO_LAZY_FETCH` does it from git 2.44 on; older git ignores it, so
 * every transport is also refused (git-config(1) "protocol.allow", passed to the lazy
 * `git fetch` child through GIT_CONFIG_COUNT): the lazy fetch then fails at once, and git
 * treats the object as unreadable, which the readers report as a gap.
 */
export function noLazyFetchEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const base = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  // The per-protocol keys too: a user's `protocol.file.allow=always` would beat `protocol.allow`.
  const settings = ["protocol.allow", ...["file", "git", "ssh", "http", "https", "ext"].map((name) => `protocol.${name}.allow`)];
  const out: Record<string, string> = { GIT_NO_LAZY_FETCH: "1", GIT_CONFIG_COUNT: String(base + settings.length) };
  settings.forEach((key, i) => {
    out[`GIT_CONFIG_KEY_${base + i}`] = key;
    out[`GIT_CONFIG_VALUE_${base + i}`] = "never";
  });
  return out;
}

/** A full disk or quota, in the words of git and of the C library beneath it. */
const NO_SPACE = /No space left on device|Disk quota exceeded|ENOSPC|EDQUOT/i;

export function toGitError(
  args: readonly string[],
  error: unknown,
  stderr: string,
  failure: GitOptions["failure"] = { message: `git ${args[0] ?? ""} failed` },
): ExternalServiceError | EnvironmentError {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") {
    return new ExternalServiceError("git", "the git command was not found", {
      hint: "install git (2.31 or newer) and make sure it is on PATH",
      cause: error,
    });
  }
  const noSpace = stderr.split("\n").find((line) => NO_SPACE.test(line));
  if (noSpace !== undefined) {
    // The machine, not git: the same run succeeds once there is room. That line, not the last
    // (`fatal: fetch-pack: invalid index-pack output` follows it), says what happened.
    return new EnvironmentError(`${failure.message}: ${redactUrlCredentials(noSpace.trim().replace(/^(?:fatal|error):\s*/, ""))}`, {
      hint: "free space on the filesystem of the data dir, or point --data-dir elsewhere",
      cause: error,
    });
  }
  const said = redactUrlCredentials(gitSaid(stderr) ?? String(error));
  return new ExternalServiceError("git", `${failure.message}: ${said}`, {
    status: typeof code === "number" ? code : undefined,
    ...(failure.hint ? { hint: failure.hint } : {}),
    ...(failure.retryable ? { retryable: true } : {}),
    cause: error,
  });
}

/**
 * The line of git's stderr that says why it stopped: the last `fatal:` (git dies with one,
 * after warnings and progress), else the last `error:`, else the first line there is.
 */
export function gitSaid(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
  const last = (prefix: string) => lines.findLast((line) => line.startsWith(prefix))?.slice(prefix.length).trim();
  return last("fatal:") ?? last("error:") ?? lines[0];
}

let versionAnswer: Promise<readonly number[]> | undefined;

/** git's version as numbers ([2, 39, 5]), asked once per process. */
export function gitVersion(): Promise<readonly number[]> {
  versionAnswer ??= runGit(["--version"]).then((out) => parseGitVersion(out));
  return versionAnswer;
}

/** `git version 2.39.5` → [2, 39, 5]; `git version 2.45.1.windows.1` → [2, 45, 1]. */
export function parseGitVersion(text: string): number[] {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [0, 0, 0];
}

export function versionAtLeast(version: readonly number[], wanted: readonly number[]): boolean {
  for (let i = 0; i < wanted.length; i++) {
    const have = version[i] ?? 0;
    if (have !== wanted[i]) return have > wanted[i]!;
  }
  return true;
}

/** `https://user:token@host/x` → `https://***@host/x`: a URL's credentials never reach a message. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}

export interface RemoteUrl {
  /** The URL as git may keep it (in a mirror's config, FETCH_HEAD, messages): without credentials. */
  url: string;
  /** Environment for the one git command that talks to the remote; empty when the URL has no credentials. */
  env: Record<string, string>;
}

/**
 * `https://user:token@host/o/r.git` → the URL without `user:token@`, and the credentials as
 * an `Authorization: Basic` header scoped to that host. The header travels in the child's
 * environment (GIT_CONFIG_COUNT/KEY/VALUE, git-config(1) "ENVIRONMENT"), readable only by
 * the same user, never in its command line (visible in `ps`) nor in a file. Other schemes
 * (ssh, file) are left as they are: ssh carries no password in its URL.
 */
export function splitUrlCredentials(location: string, env: NodeJS.ProcessEnv = process.env): RemoteUrl {
  const match = /^(https?:\/\/)([^/@\s]+)@([^/?#\s]+)(.*)$/i.exec(location);
  if (!match) return { url: location, env: {} };
  const [, scheme, userinfo, host, rest] = match as unknown as [string, string, string, string, string];
  const colon = userinfo.indexOf(":");
  const user = safeDecode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? "" : safeDecode(userinfo.slice(colon + 1));
  const header = `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  // Entries the user's environment already passes this way are kept; ours come after them.
  const base = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  return {
    url: `${scheme}${host}${rest}`,
    env: {
      GIT_CONFIG_COUNT: String(base + 1),
      [`GIT_CONFIG_KEY_${base}`]: `http.${scheme.toLowerCase()}${host}/.extraHeader`,
      [`GIT_CONFIG_VALUE_${base}`]: header,
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

