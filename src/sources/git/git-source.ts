import { createHash } from "node:crypto";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ExternalServiceError, InputError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { BlobReader, Commit, CommitHeader, RepoRef, Source, TimeRange } from "../types.js";
import type { ParserLimits } from "./log-parser.js";
import { GitBlobReader } from "./blob-reader.js";
import { readCommitsFromGit } from "./read-log.js";
import { redactUrlCredentials, runGit } from "./run-git.js";

export interface GitSourceOptions {
  /** Where bare mirrors of remote repositories are kept. */
  mirrorsDir: string;
  logger: Logger;
  limits?: Partial<ParserLimits>;
}

/** A remote is anything git can clone that is not a folder on this machine. */
export function isRemoteLocation(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^[^/\\\s]+@[^:\s]+:/.test(location);
}

/** Stable folder name for a mirror: readable, and unique per URL. */
export function mirrorDirName(url: string): string {
  const tail = url
    .replace(/\.git\/?$/, "")
    .split(/[/:]/)
    .filter(Boolean)
    .slice(-2)
    .join("-")
    .replace(/[^A-Za-z0-9._-]/g, "_");
  const hash = createHash("sha256").update(url).digest("hex").slice(0, 10);
  return `${tail}-${hash}.git`;
}

/**
 * Reads history with git alone, so any host works and no API is asked. A local path
 * is read in place; a URL is kept as a bare mirror (cloned on first use, fetched by
 * `update`).
 */
export class GitSource implements Source {
  readonly id = "git";
  readonly gitDir: string;
  readonly remote: boolean;
  private branchTip: string | undefined;

  constructor(
    readonly repo: RepoRef,
    private readonly options: GitSourceOptions,
  ) {
    this.remote = isRemoteLocation(repo.location);
    this.gitDir = this.remote ? join(options.mirrorsDir, mirrorDirName(repo.location)) : resolve(repo.location);
  }

  /** Clones the mirror if missing (remote), or checks that the path is a repository (local). */
  async prepare(): Promise<void> {
    if (!this.remote) {
      if (!existsSync(this.gitDir) || !statSync(this.gitDir).isDirectory()) {
        throw new InputError(`repository ${this.repo.name}: ${this.gitDir} does not exist`, {
          hint: "give --repo a path to a git repository or a clone URL",
        });
      }
      const gitDir = await runGit(["rev-parse", "--absolute-git-dir"], { cwd: this.gitDir }).catch(() => {
        throw new InputError(`repository ${this.repo.name}: ${this.gitDir} is not a git repository`, {
          hint: "give --repo a path to a git repository or a clone URL",
        });
      });
      (this as { gitDir: string }).gitDir = gitDir.trim();
      return;
    }
    if (existsSync(join(this.gitDir, "HEAD"))) return;
    mkdirSync(this.options.mirrorsDir, { recursive: true });
    this.options.logger.info({ repo: this.repo.name }, "cloning mirror");
    await runGit(["clone", "--mirror", "--quiet", this.repo.location, this.gitDir]).catch((error: unknown) => {
      throw new ExternalServiceError("git", `could not clone ${redactUrlCredentials(this.repo.location)}`, {
        hint: "check the URL and your network, or clone it yourself and give the local path",
        cause: error,
      });
    });
  }

  async update(): Promise<void> {
    await this.prepare();
    if (!this.remote) return;
    await runGit(["fetch", "--prune", "--quiet", "origin"], { gitDir: this.gitDir }).catch((error: unknown) => {
      throw new ExternalServiceError("git", `could not fetch ${redactUrlCredentials(this.repo.location)}`, {
        retryable: true,
        hint: "check your network; the last fetched history is still used by `report`",
        cause: error,
      });
    });
  }

  /**
   * The branch followed: the configured one, else HEAD (for a mirror, HEAD is the
   * remote's default branch). Remote-tracking branches count for a local clone.
   */
  async resolveBranch(): Promise<string> {
    if (this.branchTip) return this.branchTip;
    await this.prepare();
    const branch = this.repo.branch;
    const candidates = branch ? [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`, branch] : ["HEAD"];
    for (const candidate of candidates) {
      const sha = await runGit(["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`], { gitDir: this.gitDir })
        .then((out) => out.trim())
        .catch(() => "");
      if (sha) {
        this.branchTip = sha;
        return sha;
      }
    }
    if (!branch) {
      throw new InputError(`repository ${this.repo.name} has no commits yet`, { hint: "commit something, or remove it from the config" });
    }
    throw new InputError(`repository ${this.repo.name} has no branch "${branch}"`, {
      hint: "set its `branch` in the config to an existing branch, or remove it to follow the default branch",
    });
  }

  async branchName(): Promise<string> {
    if (this.repo.branch) return this.repo.branch;
    const name = await runGit(["symbolic-ref", "--quiet", "--short", "HEAD"], { gitDir: this.gitDir }).catch(() => "HEAD");
    return name.trim() || "HEAD";
  }

  async listTags(range: TimeRange): Promise<Array<{ name: string; createdAt: Date }>> {
    // %(creatordate) is the tagger's date for an annotated tag and the commit's for a light one.
    const out = await runGit(["for-each-ref", "--format=%(creatordate:unix)%09%(refname:short)", "refs/tags"], { gitDir: this.gitDir });
    const tags: Array<{ name: string; createdAt: Date }> = [];
    for (const line of out.split("\n")) {
      const [seconds, name] = line.split("\t");
      if (!seconds || !name) continue;
      const createdAt = new Date(Number(seconds) * 1000);
      if (createdAt >= range.since && createdAt < range.until) tags.push({ name, createdAt });
    }
    return tags.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  async listCommits(range: TimeRange): Promise<CommitHeader[]> {
    const tip = await this.resolveBranch();
    // git's --since/--until walk with a little slack on skewed dates; the exact
    // half-open window is applied here, on committer time.
    const out = await runGit(
      [
        "log",
        "--first-parent",
        "--format=%H %ct",
        `--since=@${Math.floor(range.since.getTime() / 1000) - 1}`,
        `--until=@${Math.ceil(range.until.getTime() / 1000) + 1}`,
        tip,
        "--",
      ],
      { gitDir: this.gitDir },
    );
    const since = range.since.getTime();
    const until = range.until.getTime();
    const headers: CommitHeader[] = [];
    for (const line of out.split("\n")) {
      if (!line) continue;
      const [sha, seconds] = line.split(" ");
      const committedAt = new Date(Number(seconds) * 1000);
      const t = committedAt.getTime();
      if (sha && t >= since && t < until) headers.push({ sha, committedAt });
    }
    return headers;
  }

  openBlobs(): BlobReader {
    return new GitBlobReader(this.gitDir);
  }

  readCommits(shas: readonly string[]): AsyncIterable<Commit> {
    return readCommitsFromGit(shas, {
      gitDir: this.gitDir,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
    });
  }
}
