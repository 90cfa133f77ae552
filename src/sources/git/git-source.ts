import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { BlobReader, Commit, CommitHeader, RepoRef, Source, TimeRange } from "../types.js";
import type { ParserLimits } from "./log-parser.js";
import { GitBlobReader } from "./blob-reader.js";
import { readCommitsFromGit } from "./read-log.js";
import { gitVersion, redactUrlCredentials, runGit, splitUrlCredentials, versionAtLeast, type RemoteUrl } from "./run-git.js";

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

/** `git log --since-as-filter` appeared in git 2.37. */
const SINCE_AS_FILTER = [2, 37];

/** `<mirror>.git.clone-<pid>-<random>`: a clone in progress, or abandoned by a killed run. */
const CLONE_SUFFIX = ".clone-";

/** True when the repository has at least one ref: a clone that finished (or a fetch that did). */
async function hasRefs(gitDir: string): Promise<boolean> {
  if (!existsSync(join(gitDir, "HEAD"))) return false;
  const out = await runGit(["for-each-ref", "--count=1", "--format=%(refname)"], { gitDir }).catch(() => "");
  return out.trim() !== "";
}

/** Removes temporary clone folders of this mirror whose process is gone. */
function removeAbandonedClones(mirrorsDir: string, mirrorName: string): void {
  const prefix = `${mirrorName}${CLONE_SUFFIX}`;
  for (const entry of readdirSync(mirrorsDir)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    rmSync(join(mirrorsDir, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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
  private prepared: Promise<void> | undefined;
  /** The clone URL without credentials, and the environment that hands them to git. */
  private readonly remoteUrl: RemoteUrl;

  constructor(
    readonly repo: RepoRef,
    private readonly options: GitSourceOptions,
  ) {
    this.remote = isRemoteLocation(repo.location);
    this.remoteUrl = splitUrlCredentials(repo.location);
    // Named by the URL without credentials: a new token keeps the same mirror.
    this.gitDir = this.remote ? join(options.mirrorsDir, mirrorDirName(this.remoteUrl.url)) : resolve(repo.location);
  }

  /** Clones the mirror if missing (remote), or checks that the path is a repository (local); once per source. */
  prepare(): Promise<void> {
    this.prepared ??= (this.remote ? this.prepareMirror() : this.prepareLocal()).catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  private async prepareLocal(): Promise<void> {
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
  }

  /**
   * A mirror appears only whole: git clones into a temporary folder beside it, renamed into
   * place when the clone is complete, so a clone killed halfway (kill -9, a full disk) leaves
   * no mirror that looks cloned. A mirror without refs (left by an older version's
   * interrupted clone) counts as absent and is cloned again.
   */
  private async prepareMirror(): Promise<void> {
    const { mirrorsDir, logger } = this.options;
    // The data dir holds mirrors and the store: the owner's alone.
    mkdirSync(mirrorsDir, { recursive: true, mode: 0o700 });
    removeAbandonedClones(mirrorsDir, basename(this.gitDir));
    this.adoptLegacyMirror();
    if (await hasRefs(this.gitDir)) {
      await this.scrubRemoteUrl();
      return;
    }
    const url = redactUrlCredentials(this.repo.location);
    logger.info({ repo: this.repo.name }, "cloning mirror");
    const temporary = `${this.gitDir}${CLONE_SUFFIX}${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      await runGit(["clone", "--mirror", "--quiet", this.remoteUrl.url, temporary], {
        env: this.remoteUrl.env,
        failure: { message: `could not clone ${url}`, hint: "check the URL and your network, or clone it yourself and give the local path" },
      });
      // A half-made mirror of an older version goes; a whole one another run just renamed in stays.
      if (existsSync(this.gitDir) && !(await hasRefs(this.gitDir))) rmSync(this.gitDir, { recursive: true, force: true });
      renameSync(temporary, this.gitDir);
    } catch (error) {
      rmSync(temporary, { recursive: true, force: true });
      // Another run cloned the same URL meanwhile and renamed first: its mirror is as good.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === "ENOTEMPTY" || code === "EEXIST") && (await hasRefs(this.gitDir))) return;
      throw error;
    }
  }

  /** A mirror from before credentials were kept out of mirrors is named by the URL with them: move it. */
  private adoptLegacyMirror(): void {
    if (this.remoteUrl.url === this.repo.location) return;
    const legacy = join(this.options.mirrorsDir, mirrorDirName(this.repo.location));
    if (legacy !== this.gitDir && existsSync(legacy) && !existsSync(this.gitDir)) renameSync(legacy, this.gitDir);
  }

  /** Older mirrors kept `https://user:token@host/…` in their config: rewrite it without. */
  private async scrubRemoteUrl(): Promise<void> {
    const kept = (await runGit(["config", "--get", "remote.origin.url"], { gitDir: this.gitDir }).catch(() => "")).trim();
    if (kept && kept !== splitUrlCredentials(kept).url) {
      await runGit(["config", "remote.origin.url", splitUrlCredentials(kept).url], { gitDir: this.gitDir });
    }
  }

  async update(): Promise<void> {
    await this.prepare();
    if (!this.remote) return;
    await runGit(["fetch", "--prune", "--quiet", "origin"], {
      gitDir: this.gitDir,
      env: this.remoteUrl.env,
      failure: {
        message: `could not fetch ${redactUrlCredentials(this.repo.location)}`,
        hint: "check your network; the last fetched history is still used by `report`",
        retryable: true,
      },
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

  async newestCommitAt(): Promise<Date | undefined> {
    const out = await runGit(["log", "-1", "--format=%ct", await this.resolveBranch(), "--"], { gitDir: this.gitDir });
    const seconds = Number(out.trim());
    return out.trim() && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
  }

  /**
   * First-parent commits whose committer date is in the range. The range is a filter over
   * the whole first-parent line, not where the walk stops: a commit dated before its parent
   * (a rebase, a skewed clock) would make `--since` stop early and drop the older-looking
   * line behind it. git 2.37+ filters itself (`--since-as-filter`); older git lists every
   * commit up to `until` and the window is applied here. Either way, one process.
   */
  async listCommits(range: TimeRange): Promise<CommitHeader[]> {
    const tip = await this.resolveBranch();
    const sinceSeconds = Math.floor(range.since.getTime() / 1000) - 1;
    const filters = [`--until=@${Math.ceil(range.until.getTime() / 1000) + 1}`];
    if (versionAtLeast(await gitVersion(), SINCE_AS_FILTER)) filters.push(`--since-as-filter=@${sinceSeconds}`);
    const out = await runGit(["log", "--first-parent", "--format=%H %ct", ...filters, tip, "--"], { gitDir: this.gitDir });
    // The exact half-open window, on committer time, whatever git's slack.
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
