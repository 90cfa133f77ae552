/**
 * From GitHub's commit JSON to the source's `Commit`, with the same patch caps as the
 * git source, so that the facts and the store cannot tell the two sources apart except
 * where the API gives less than git would (file modes, rename similarity, files past
 * its limit), which is marked as not seen rather than guessed.
 */
import { DEFAULT_LIMITS, type ParserLimits } from "../git/log-parser.js";
import type { Commit, FileChange, FileStatus, Signature } from "../types.js";
import type { CommitDetail, CommitFile } from "./api-schema.js";

/**
 * GitHub lists at most this many files of one commit, over all pages of 300; the rest
 * are silently left out. https://docs.github.com/en/rest/commits/commits#get-a-commit
 */
export const GITHUB_MAX_COMMIT_FILES = 3000;

export type PatchLimits = Pick<ParserLimits, "maxPatchBytesPerFile" | "maxPatchBytesPerCommit">;

/** The git source's caps: a commit read through the API keeps no more text than one read with git. */
export const DEFAULT_PATCH_LIMITS: PatchLimits = {
  maxPatchBytesPerFile: DEFAULT_LIMITS.maxPatchBytesPerFile,
  maxPatchBytesPerCommit: DEFAULT_LIMITS.maxPatchBytesPerCommit,
};

/**
 * GitHub's file statuses (`changed` is a type change such as file ↔ symlink;
 * `unchanged` has nothing of its own to map to and is listed as a modification).
 */
const STATUS_BY_API: Readonly<Record<string, FileStatus>> = {
  added: "added",
  modified: "modified",
  removed: "deleted",
  renamed: "renamed",
  copied: "copied",
  changed: "type-changed",
  unchanged: "modified",
};

/** git's "no file on this side" mode, as the git source writes it for additions and deletions. */
const ABSENT_MODE = "000000";
/**
 * The API sends no modes: every present side is taken as a regular file. An
 * executable bit set or cleared is therefore not seen through the API.
 */
const REGULAR_MODE = "100644";
const GITLINK_MODE = "160000";
/** SHA of the empty blob: an empty file added or removed has no patch and is not binary. */
const EMPTY_BLOB_SHA = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
/** Lines of a submodule bump's patch, as git writes them (`diff --submodule=short`). */
const GITLINK_LINE = /^(?:@@ .* @@.*|[-+ ]Subproject commit [0-9a-f]{40}(?:-dirty)?)$/;

/**
 * Every diff line is at least its `+`/`-` marker and a newline: the fewest bytes the
 * lines GitHub left out can have taken. A lower bound, never a guess.
 */
const MIN_BYTES_PER_DIFF_LINE = 2;

export interface MappedCommit {
  commit: Commit;
  /** Added plus removed lines the commit's totals count but no listed file holds. */
  unlistedLines: number;
  /** The file list reached the API's limit, so files may be missing from it. */
  fileListCapped: boolean;
}

/**
 * Maps one commit and all its listed files (gathered from every page). When GitHub
 * stopped listing files at its limit, the lines its totals count beyond the listed
 * files are reported as omitted patch bytes (at their smallest possible size), so the
 * report says the commit was not seen in full.
 */
export function mapCommit(detail: CommitDetail, files: readonly CommitFile[], limits: PatchLimits = DEFAULT_PATCH_LIMITS): MappedCommit {
  const { subject, body } = splitMessage(detail.commit.message);
  const changes = files.map(mapFile);
  let omitted = capPatches(changes, files, limits);

  const fileListCapped = files.length >= GITHUB_MAX_COMMIT_FILES;
  let unlistedLines = 0;
  if (fileListCapped && detail.stats) {
    const listedAdditions = changes.reduce((sum, change) => sum + change.additions, 0);
    const listedDeletions = changes.reduce((sum, change) => sum + change.deletions, 0);
    unlistedLines =
      Math.max(0, (detail.stats.additions ?? 0) - listedAdditions) + Math.max(0, (detail.stats.deletions ?? 0) - listedDeletions);
    omitted += unlistedLines * MIN_BYTES_PER_DIFF_LINE;
  }

  const commit: Commit = {
    sha: detail.sha,
    parents: detail.parents.map((parent) => parent.sha),
    author: toSignature(detail.commit.author),
    committer: toSignature(detail.commit.committer),
    subject,
    body,
    files: changes,
    patchBytesOmitted: omitted,
  };
  return { commit, unlistedLines, fileListCapped };
}

/** Subject and body as the git source splits them: first line, then the rest without leading blank lines. */
export function splitMessage(message: string): { subject: string; body: string } {
  const text = message.replace(/\s+$/, "");
  const newline = text.indexOf("\n");
  const subject = (newline < 0 ? text : text.slice(0, newline)).trim();
  const body = newline < 0 ? "" : text.slice(newline + 1).trim();
  return { subject, body };
}

/** One listed file, its whole patch kept (caps come after, over the commit). */
export function mapFile(file: CommitFile): FileChange {
  const status = STATUS_BY_API[file.status] ?? "modified";
  const patch = file.patch ?? "";
  const hasPatch = patch.length > 0;
  const changedLines = file.additions + file.deletions;
  const submodule = hasPatch && isGitlinkPatch(patch);
  const presentMode = submodule ? GITLINK_MODE : REGULAR_MODE;
  const change: FileChange = {
    path: file.filename,
    status,
    oldMode: status === "added" ? ABSENT_MODE : presentMode,
    newMode: status === "deleted" ? ABSENT_MODE : presentMode,
    // GitHub sends no patch both for binary files and for text too large to show; only
    // a file with no lines counted can be binary. Renames, copies and type changes
    // without lines are metadata-only; an empty file is known by its blob.
    binary: !hasPatch && changedLines === 0 && isContentChange(status) && file.sha !== EMPTY_BLOB_SHA,
    submodule,
    additions: file.additions,
    deletions: file.deletions,
    patch: hasPatch ? patch : "",
    // Lines counted but no text sent: the diff was too large for GitHub to show.
    patchTruncated: !hasPatch && changedLines > 0,
  };
  if ((status === "renamed" || status === "copied") && file.previous_filename) change.oldPath = file.previous_filename;
  return change;
}

function isContentChange(status: FileStatus): boolean {
  return status === "added" || status === "modified" || status === "deleted";
}

function isGitlinkPatch(patch: string): boolean {
  const lines = splitPatchLines(patch);
  return lines.some((line) => line.includes("Subproject commit")) && lines.every((line) => GITLINK_LINE.test(line));
}

/**
 * Cuts the patches to the per-file and per-commit caps at line boundaries, in file
 * order, exactly as the git source's parser does; returns the bytes dropped. Each
 * kept line ends with a newline, as in git's output (GitHub's patch lacks the last one).
 */
function capPatches(changes: FileChange[], files: readonly CommitFile[], limits: PatchLimits): number {
  let keptInCommit = 0;
  let omitted = 0;
  changes.forEach((change, index) => {
    const patch = files[index]?.patch;
    if (!patch) return;
    const kept: string[] = [];
    let keptInFile = 0;
    let cut = false;
    for (const line of splitPatchLines(patch)) {
      const size = Buffer.byteLength(line, "utf8") + 1;
      if (!cut && (keptInFile + size > limits.maxPatchBytesPerFile || keptInCommit + size > limits.maxPatchBytesPerCommit)) {
        cut = true;
      }
      if (cut) {
        omitted += size;
        continue;
      }
      kept.push(line, "\n");
      keptInFile += size;
      keptInCommit += size;
    }
    change.patch = kept.join("");
    if (cut) change.patchTruncated = true;
  });
  return omitted;
}

function splitPatchLines(patch: string): string[] {
  const lines = patch.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** GitHub writes dates in UTC (`…Z`); they are kept as sent, an ISO 8601 instant. */
function toSignature(signature: CommitDetail["commit"]["author"]): Signature {
  return { name: signature?.name ?? "", email: signature?.email ?? "", date: signature?.date ?? "" };
}
