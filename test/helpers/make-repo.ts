/**
 * Builds real git repositories for tests with git itself: fixed identities, chosen
 * dates, renames, binary files, merges. Nothing here mocks git.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface Identity {
  name: string;
  email: string;
}

export interface CommitOptions {
  message: string;
  /** ISO 8601 with offset, e.g. "2026-01-17T06:06:33+08:00". Committer date; author date too unless `authorDate` is set. */
  date?: string;
  authorDate?: string;
  author?: Identity;
  committer?: Identity;
  allowEmpty?: boolean;
  /** Extra environment (e.g. to commit a non-UTF-8 message). */
  env?: Record<string, string>;
}

const DEFAULT_IDENTITY: Identity = { name: "Ada Lovelace", email: "ada@example.com" };
const DEFAULT_DATE = "2026-01-17T10:00:00+00:00";

export class TestRepo {
  constructor(readonly dir: string) {}

  git(args: string[], options: { env?: Record<string, string>; input?: string | Buffer } = {}): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      env: { ...process.env, ...options.env },
      input: options.input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  write(path: string, content: string | Buffer): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { recursive: true, force: true });
    return this;
  }

  move(from: string, to: string): this {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    renameSync(join(this.dir, from), join(this.dir, to));
    return this;
  }

  chmod(path: string, mode: number): this {
    chmodSync(join(this.dir, path), mode);
    return this;
  }

  /** Stages everything and commits; returns the new commit's SHA. */
  commit(options: CommitOptions | string): string {
    const o = typeof options === "string" ? { message: options } : options;
    const author = o.author ?? DEFAULT_IDENTITY;
    const committer = o.committer ?? author;
    const date = o.date ?? DEFAULT_DATE;
    this.git(["add", "-A"]);
    const args = ["commit", "-q", "--no-verify", "-F", "-"];
    if (o.allowEmpty) args.push("--allow-empty");
    this.git(args, {
      input: o.message,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: o.authorDate ?? date,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: date,
        ...o.env,
      },
    });
    return this.head();
  }

  head(ref = "HEAD"): string {
    return this.git(["rev-parse", ref]).trim();
  }

  branch(name: string, from?: string): this {
    this.git(["checkout", "-q", "-b", name, ...(from ? [from] : [])]);
    return this;
  }

  checkout(ref: string): this {
    this.git(["checkout", "-q", ref]);
    return this;
  }

  /** A real merge commit (no fast-forward) of `ref` into the current branch. */
  merge(ref: string, options: Omit<CommitOptions, "allowEmpty"> = { message: `Merge ${ref}` }): string {
    const author = options.author ?? DEFAULT_IDENTITY;
    const date = options.date ?? DEFAULT_DATE;
    this.git(["merge", "-q", "--no-ff", "--no-edit", "-m", options.message, ref], {
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: options.authorDate ?? date,
        GIT_COMMITTER_NAME: (options.committer ?? author).name,
        GIT_COMMITTER_EMAIL: (options.committer ?? author).email,
        GIT_COMMITTER_DATE: date,
      },
    });
    return this.head();
  }

  /** Adds `other` as a submodule at `path` (file transport, allowed explicitly for tests). */
  addSubmodule(other: TestRepo, path: string): this {
    this.git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", other.dir, path]);
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A fresh repository on branch `main` in a temporary folder. */
export function makeRepo(options: { branch?: string; bare?: boolean } = {}): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), "repo-digest-test-"));
  const repo = new TestRepo(dir);
  repo.git(["init", "-q", "-b", options.branch ?? "main", ...(options.bare ? ["--bare"] : [])]);
  // Fixed, local settings: tests must not depend on the machine's git config.
  for (const [key, value] of [
    ["user.name", DEFAULT_IDENTITY.name],
    ["user.email", DEFAULT_IDENTITY.email],
    ["gc.auto", "0"],
    ["commit.gpgsign", "false"],
    ["core.autocrlf", "false"],
    ["protocol.file.allow", "always"],
  ] as const) {
    repo.git(["config", key, value]);
  }
  return repo;
}

export function makeTempDir(prefix = "repo-digest-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
