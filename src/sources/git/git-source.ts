import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { BlobReader, Commit, CommitHeader, RepoRef, Source, TimeRange } from "../types.js";
import type { ParserLimits } from "./log-parser.js";
import { GitBlobReader } from "./blob-reader.js";
import { fetchObjects, findMissingBlobs, listChangedBlobs } from "./prefetch-blobs.js";
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

/**
 * How far back a shallow mirror is cloned: this many days before the clone. A report of an
 * older day deepens it first (`ensureHistorySince`), so this only sets what the first clone costs.
 */
export const SHALLOW_CLONE_DAYS = 30;
/** Slack below a period's start when deepening, so that its first commits usually have their parents. */
const SHALLOW_SLACK_MS = 24 * 3600 * 1000;
/** Where a shallow mirror keeps the date it holds history since (mirror's own config). */
const SHALLOW_SINCE_KEY = "repodigest.shallowSince";
const DAY_MS = 24 * 3600 * 1000;
/**
 * upload-pack's answer to a `--shallow-since` that moves no boundary: every ref's tip is
 * older than the date (a quiet repository), or the boundary it would set is already there.
 * Depth in commits (`--depth`, `--deepen`) is the way round it.
 */
const NO_SHALLOW_COMMITS = /no commits selected for shallow requests/;
/** The most `--deepen` doublings tried before a shallow mirror is made whole (`--unshallow`). */
const MAX_DEEPEN_STEPS = 12;

function saysNoShallowCommits(error: unknown): boolean {
  return error instanceof Error && NO_SHALLOW_COMMITS.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? "")}`);
}

/** `git fetch --shallow-since` takes a date; an ISO instant in UTC reads the same everywhere. */
function gitDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

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
  /** What the mirror on disk is (it may predate a change of `mirror` in the config): read once prepared. */
  private partial = false;
  private shallowSince: Date | undefined;

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
      await this.readMirrorKind();
      return;
    }
    const url = redactUrlCredentials(this.repo.location);
    const mode = this.repo.mirror ?? "full";
    logger.info({ repo: this.repo.name, mode }, "cloning mirror");
    const temporary = `${this.gitDir}${CLONE_SUFFIX}${process.pid}-${randomBytes(4).toString("hex")}`;
    const since = new Date(Date.now() - SHALLOW_CLONE_DAYS * DAY_MS);
    // blobless: commits and trees only, file contents fetched per report (git 2.19+, and a server that allows filters).
    const modeArgs = mode === "blobless" ? ["--filter=blob:none"] : mode === "shallow" ? [`--shallow-since=${gitDate(since)}`] : [];
    try {
      const clone = (args: readonly string[]) =>
        runGit(["clone", "--mirror", "--quiet", ...args, this.remoteUrl.url, temporary], {
          env: this.remoteUrl.env,
          failure: { message: `could not clone ${url}`, hint: "check the URL and your network, or clone it yourself and give the local path" },
        });
      try {
        await clone(modeArgs);
        if (mode === "shallow") await runGit(["config", SHALLOW_SINCE_KEY, gitDate(since)], { gitDir: temporary });
      } catch (error) {
        // Nothing committed in the last days: the newest commits alone; a report deepens as it needs.
        if (mode !== "shallow" || !saysNoShallowCommits(error)) throw error;
        rmSync(temporary, { recursive: true, force: true });
        await clone(["--depth=1"]);
      }
      // A half-made mirror of an older version goes; a whole one another run just renamed in stays.
      if (existsSync(this.gitDir) && !(await hasRefs(this.gitDir))) rmSync(this.gitDir, { recursive: true, force: true });
      renameSync(temporary, this.gitDir);
    } catch (error) {
      rmSync(temporary, { recursive: true, force: true });
      // Another run cloned the same URL meanwhile and renamed first: its mirror is as good.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === "ENOTEMPTY" || code === "EEXIST") && (await hasRefs(this.gitDir))) {
        await this.readMirrorKind();
        return;
      }
      throw error;
    }
    await this.readMirrorKind();
  }

  /** Blobless (a promisor remote) and shallow (a `shallow` file) as the mirror is, not as the config now says. */
  private async readMirrorKind(): Promise<void> {
    const promisor = await runGit(["config", "--bool", "--get", "remote.origin.promisor"], { gitDir: this.gitDir }).catch(() => "");
    this.partial = promisor.trim() === "true";
    if (!existsSync(join(this.gitDir, "shallow"))) {
      this.shallowSince = undefined;
      return;
    }
    const kept = (await runGit(["config", "--get", SHALLOW_SINCE_KEY], { gitDir: this.gitDir }).catch(() => "")).trim();
    const date = new Date(kept);
    // A shallow mirror made by hand has no date kept: the boundary commits' dates stand in.
    this.shallowSince = kept && Number.isFinite(date.getTime()) ? date : await this.newestBoundaryDate();
  }

  private async newestBoundaryDate(): Promise<Date> {
    const out = await runGit(["log", "--no-walk", "--format=%ct", "--stdin"], { gitDir: this.gitDir, input: `${this.shallowCommits().join("\n")}\n` }).catch(() => "");
    const seconds = out.split("\n").filter(Boolean).map(Number);
    return new Date((seconds.length > 0 ? Math.max(...seconds) : Date.now() / 1000) * 1000);
  }

  /** The boundary commits of a shallow mirror: present, but their parents are not (gitformat-repository "shallow"). */
  private shallowCommits(): string[] {
    const path = join(this.gitDir, "shallow");
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
  }

  /**
   * A shallow mirror holds history since `shallowSince`: a period that starts earlier deepens
   * it first (`--shallow-since`, a day of slack below the period). A boundary commit (git shows
   * it as a root adding every file) inside the period then gets its parent too
   * (`--deepen=1`, as often as needed), so that no commit of the period is read without its
   * parent; boundary commits outside the period are never listed.
   */
  private async ensureHistorySince(since: Date): Promise<void> {
    if (!this.shallowSince || !this.remote) return;
    if (this.shallowSince.getTime() > since.getTime()) {
      const wanted = new Date(since.getTime() - SHALLOW_SLACK_MS);
      this.options.logger.info({ repo: this.repo.name, since: gitDate(wanted) }, "deepening shallow mirror");
      try {
        await this.fetchShallow([`--shallow-since=${gitDate(wanted)}`]);
      } catch (error) {
        if (!saysNoShallowCommits(error)) throw error;
        await this.deepenUntil(wanted);
      }
      // Deepened to the root: a whole mirror, which a later `--shallow-since` must not cut again.
      if (this.shallowCommits().length === 0) {
        this.shallowSince = undefined;
        return;
      }
      await runGit(["config", SHALLOW_SINCE_KEY, gitDate(wanted)], { gitDir: this.gitDir });
      this.shallowSince = wanted;
    }
  }

  /** Deepens by a doubling number of commits until every boundary is older than `date`, else makes the mirror whole. */
  private async deepenUntil(date: Date): Promise<void> {
    for (let step = 0, depth = 16; step < MAX_DEEPEN_STEPS; step++, depth *= 2) {
      if (this.shallowCommits().length === 0 || (await this.newestBoundaryDate()).getTime() < date.getTime()) return;
      await this.fetchShallow([`--deepen=${depth}`]);
    }
    await this.fetchShallow(["--unshallow"]);
  }

  private fetchShallow(extra: readonly string[]): Promise<string> {
    return runGit(["fetch", "--prune", "--quiet", ...extra, "origin"], {
      gitDir: this.gitDir,
      env: this.remoteUrl.env,
      failure: {
        message: `could not deepen the shallow mirror of ${redactUrlCredentials(this.repo.location)}`,
        hint: "check your network: the period is older than the history this shallow mirror holds (or set `mirror: full`)",
        retryable: true,
      },
    });
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
    // A shallow mirror stays as deep as it is: a plain fetch of a new ref could pull its whole history.
    const depth = this.shallowSince ? [`--shallow-since=${gitDate(this.shallowSince)}`] : [];
    const fetch = (extra: readonly string[]) =>
      runGit(["fetch", "--prune", "--quiet", ...extra, "origin"], {
        gitDir: this.gitDir,
        env: this.remoteUrl.env,
        failure: {
          message: `could not fetch ${redactUrlCredentials(this.repo.location)}`,
          hint: "check your network; the last fetched history is still used by `report`",
          retryable: true,
        },
      });
    try {
      await fetch(depth);
    } catch (error) {
      // A boundary git will not move (see NO_SHALLOW_COMMITS): new commits come down to the boundaries there are.
      if (depth.length === 0 || !saysNoShallowCommits(error)) throw error;
      await fetch([]);
    }
    // The tip resolved before the fetch (the pipeline opens the source first) is the old one.
    this.branchTip = undefined;
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
    await this.prepare();
    await this.ensureHistorySince(range.since);
    for (;;) {
      const headers = await this.listCommitsOnce(range);
      // A boundary commit of a shallow mirror inside the period: fetch its parent before reading it.
      const boundary = new Set(this.shallowSince ? this.shallowCommits() : []);
      if (!headers.some((header) => boundary.has(header.sha))) return headers;
      this.options.logger.info({ repo: this.repo.name }, "deepening shallow mirror by one commit");
      await this.fetchShallow(["--deepen=1"]);
    }
  }

  private async listCommitsOnce(range: TimeRange): Promise<CommitHeader[]> {
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

  async *readCommits(shas: readonly string[]): AsyncGenerator<Commit> {
    if (this.partial) await this.fetchBlobsFor(shas);
    yield* readCommitsFromGit(shas, {
      gitDir: this.gitDir,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      // Whatever the batch could not fetch is a gap, not a fetch per object.
      ...(this.partial ? { noLazyFetch: true } : {}),
    });
  }

  /**
   * A blobless mirror fetches the blobs these commits need (both sides of each changed file,
   * for the patches and the structural pass) in one request, before anything reads them.
   * Offline, the fetch fails and the report is written with those files as gaps.
   */
  private async fetchBlobsFor(shas: readonly string[]): Promise<void> {
    if (shas.length === 0) return;
    const wanted = await listChangedBlobs(this.gitDir, shas);
    const missing = await findMissingBlobs(this.gitDir, shas, wanted);
    if (missing.length === 0) return;
    const url = redactUrlCredentials(this.repo.location);
    this.options.logger.info({ repo: this.repo.name, blobs: missing.length }, "fetching the period's blobs");
    try {
      await fetchObjects(this.gitDir, missing, this.remoteUrl.env, {
        message: `could not fetch ${missing.length} file versions from ${url}`,
        hint: "check your network; the files are reported as unreadable until a fetch succeeds",
      });
    } catch (error) {
      this.options.logger.warn({ repo: this.repo.name, blobs: missing.length, reason: (error as Error).message }, "blob fetch failed; files unread");
    }
  }
}
