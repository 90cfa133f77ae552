/**
 * What a source (a git repository today, the GitHub API later) yields: commits with
 * their changed files and a capped patch per file. Everything downstream works on
 * these shapes and never talks to git itself.
 */

export interface Person {
  name: string;
  email: string;
}

export interface Signature extends Person {
  /** ISO 8601 with the signer's own UTC offset, as git recorded it: 2026-01-17T06:06:33+08:00 */
  date: string;
}

export type FileStatus = "added" | "modified" | "deleted" | "renamed" | "copied" | "type-changed";

export interface FileChange {
  /** Path after the change; for a deletion, the path that was deleted. */
  path: string;
  /** Path before a rename or copy. */
  oldPath?: string;
  status: FileStatus;
  /** Rename or copy similarity, 0–100. */
  similarity?: number;
  /** git modes as octal strings: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  oldMode: string;
  newMode: string;
  /** Object ids of the file before and after (absent on the side where the file does not exist, and where the source cannot tell). */
  oldBlob?: string;
  newBlob?: string;
  binary: boolean;
  /** A gitlink: the change bumps a submodule's commit. */
  submodule: boolean;
  /** Lines added and removed, counted over the whole patch even where its text was capped. */
  additions: number;
  deletions: number;
  /**
   * Unified diff hunks (from the first `@@` line on), kept up to the per-file cap.
   * Empty for binary files, mode-only changes and pure renames.
   */
  patch: string;
  /** True when `patch` holds less than the whole diff of this file. */
  patchTruncated: boolean;
  /** The path's bytes were not valid UTF-8 and were decoded with replacement characters. */
  pathLossy?: boolean;
  /**
   * The file's contents could not be read (an object missing from a partial or damaged
   * clone): path, status and modes are known, its patch and line counts are not.
   */
  unreadable?: true;
}

export interface Commit {
  sha: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  /** First line of the message. */
  subject: string;
  /** The message after the subject and the blank line, trimmed. */
  body: string;
  /** The message was not valid UTF-8 and was decoded as Latin-1. */
  messageLossy?: boolean;
  files: FileChange[];
  /**
   * Patch text dropped because the commit went over its total cap; counts stay whole.
   * Files whose patch was cut are marked `patchTruncated`.
   */
  patchBytesOmitted: number;
}

/** One object read from the repository: its id, git type ("blob", "tree"...) and bytes. */
export interface ObjectContent {
  oid: string;
  type: string;
  data: Buffer;
}

/**
 * Reads objects by name (an id, or `<rev>:<path>`), many per call; a name the repository
 * cannot resolve (absent, or missing from a partial clone) answers undefined.
 */
export interface BlobReader {
  read(names: readonly string[]): Promise<Array<ObjectContent | undefined>>;
  close(): Promise<void>;
}

export type MirrorMode = "full" | "blobless" | "shallow";

/** Where a repository's history comes from, resolved from config or the command line. */
export interface RepoRef {
  /** Display name, `owner/name` where known. */
  name: string;
  /** Local path or clone URL, as the user gave it. */
  location: string;
  /** Branch to follow; undefined means the remote's default branch (HEAD for a local path). */
  branch?: string;
  /** How a remote is mirrored: everything (default), without file contents until needed, or recent history only. */
  mirror?: MirrorMode;
  /** Template for links, e.g. https://github.com/{owner}/{repo}/commit/{sha}; undefined: none known. */
  webUrl?: string;
}

export interface TimeRange {
  /** Inclusive start, as an instant. */
  since: Date;
  /** Exclusive end, as an instant. */
  until: Date;
}

export interface CommitHeader {
  sha: string;
  committedAt: Date;
}

/**
 * A source adapter. `listCommits` is cheap (no patches) so that the pipeline can
 * skip what the store already holds; `readCommits` streams full commits for the
 * SHAs it is given, in one pass.
 */
export interface Source {
  readonly id: string;
  /** True when `update` talks to a remote (and so may fail for want of a network). */
  readonly remote: boolean;
  /** Makes the history readable: checks a local path, clones a missing mirror. */
  prepare(): Promise<void>;
  /** Brings the local copy up to date (a no-op for a local path). */
  update(): Promise<void>;
  /** SHA of the branch tip followed. */
  resolveBranch(): Promise<string>;
  /** Name of the branch followed, for the report ("main"). */
  branchName(): Promise<string>;
  /** Committer date of the branch tip; sources that leave it out are asked through `readCommits`. */
  newestCommitAt?(): Promise<Date | undefined>;
  /** First-parent commits committed in the range, newest first. */
  listCommits(range: TimeRange): Promise<CommitHeader[]>;
  /** Full commits for these SHAs, in the order given. */
  readCommits(shas: readonly string[]): AsyncIterable<Commit>;
  /**
   * Tags created in the range (an annotated tag's date, else its commit's), for the
   * activity section; sources that cannot tell leave it out.
   */
  listTags?(range: TimeRange): Promise<Array<{ name: string; createdAt: Date }>>;
  /**
   * File contents by object id, for the structural pass (both versions of each changed
   * source file). Sources that cannot read objects leave it out; their facts are then
   * read from the patches alone, and the report says so.
   */
  openBlobs?(): BlobReader;
  /** The repository's git dir, where a worker thread can open a blob reader of its own. */
  readonly gitDir?: string;
}
