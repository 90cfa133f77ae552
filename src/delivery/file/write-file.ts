/**
 * The one way repo-digest replaces a file (reports, the feed and its entry list, config
 * edits): a temporary file in the same folder, written in full and checked, then renamed
 * over the destination. A reader, a crash or a full disk never sees half a file under the
 * final name: either the old file stays, or the whole new one is there.
 *
 * Why not `write-file-atomic`: it issues one write(2) and ignores a short count, so on a
 * nearly full disk it renamed a truncated report over a good one and reported success; and
 * it resolves symbolic links first, so a link at the report path made it overwrite the
 * link's target.
 *
 * Synchronous, like the store (better-sqlite3): one code path for the channels and the
 * config commands, and nothing else runs while a report is being replaced.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../errors.js";
import { fromOsError } from "../../os-errors.js";
import { isProcessGone } from "../../process-owner.js";

export interface WriteFileOptions {
  /** What the write is for, as a gerund phrase in the one-line error: "writing the report". */
  doing?: string;
  /** The random part of the temporary file's name; injected by tests to plant a file there. */
  random?: () => string;
}

const TEMP_TAG = "repo-digest";
/** `.<name>.repo-digest-<pid>-<random>.tmp`: hidden, and recognisably ours, with its writer's pid. */
const TEMP_NAME = new RegExp(`^\\..*\\.${TEMP_TAG}-(\\d+)-[0-9a-z]+\\.tmp$`);
/** Room for the tag, the pid and the random part within a 255-byte file name. */
const MAX_NAME_IN_TEMP = 120;

/** The temporary file's name for `path`, written by process `pid`. */
export function tempPathFor(path: string, pid: number, random: string): string {
  return join(dirname(path), `.${basename(path).slice(0, MAX_NAME_IN_TEMP)}.${TEMP_TAG}-${pid}-${random}.tmp`);
}

/**
 * Replaces `path` with `data`, or leaves it as it was and throws the one line that says
 * why (a full disk is an EnvironmentError, exit 3). A symbolic link at `path` is refused,
 * never followed (InputError, exit 2). Temporary files of writers that died (kill -9, a
 * power cut) in the same folder are removed first.
 */
export function writeFileAtomically(path: string, data: string | Uint8Array, options: WriteFileOptions = {}): void {
  const doing = options.doing ?? `writing ${basename(path)}`;
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const dir = dirname(path);
  const existing = lstatOrUndefined(path, doing);
  if (existing?.isSymbolicLink()) {
    throw new InputError(`${doing}: ${path} is a symbolic link; repo-digest never writes through one`, {
      hint: "remove the link, or choose a folder where nobody else can place links",
    });
  }
  removeStaleTemps(dir);

  const temp = tempPathFor(path, process.pid, options.random?.() ?? randomBytes(6).toString("hex"));
  let fd: number;
  try {
    // O_EXCL and O_NOFOLLOW: whatever someone placed at the temporary name (a link to a
    // file of ours, say) makes the write fail instead of being written through.
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only something planted at the temporary name is about that name; anything else
    // (a full disk, a read-only folder) is about the file the user asked for.
    throw fromOsError(error, { doing, path: code === "EEXIST" || code === "ELOOP" ? temp : path }) ?? error;
  }
  let open = true;
  try {
    // A file being replaced keeps its mode (a config made private stays private).
    if (existing?.isFile()) fchmodSync(fd, existing.mode & 0o7777);
    writeFully(fd, bytes);
    fsyncSync(fd);
    // What the filesystem holds, not what write(2) said: the last word before the rename.
    const written = fstatSync(fd).size;
    if (written !== bytes.length) throw shortFile(temp, written, bytes.length);
    open = false;
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    if (open) closeQuietly(fd);
    unlinkQuietly(temp);
    // The error names the file the user asked for; the temporary name means nothing to them.
    throw fromOsError(error, { doing, path }) ?? error;
  }
  syncFolder(dir, doing);
}

/** Loops until every byte is written: write(2) may write fewer than asked (a disk filling up). */
function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    const count = writeSync(fd, bytes, offset, bytes.length - offset, offset);
    // A regular file returns 0 for a non-empty write only when nothing more fits.
    if (count <= 0) throw Object.assign(new Error(`ENOSPC: wrote ${offset} of ${bytes.length} bytes`), { code: "ENOSPC" });
    offset += count;
  }
}

/**
 * Removes `.<name>.repo-digest-<pid>-<random>.tmp` files whose writer is no longer alive.
 * A live pid's file is another run's write in progress and is left alone.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // The write itself reports a missing or unreadable folder, with the path the user gave.
    return [];
  }
  // The name holds the pid only: a folder shared between hosts or containers can fool this,
  // at worst failing the other writer's rename, never publishing half a file.
  const host = hostname();
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || !isProcessGone({ pid, host })) continue;
    // A leftover we cannot remove (another user's, a read-only folder) must not stop this write.
    if (unlinkQuietly(join(dir, name))) removed.push(name);
  }
  return removed;
}

function lstatOrUndefined(path: string, doing: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw fromOsError(error, { doing, path }) ?? error;
  }
}

/** Makes the rename itself durable: without it, a power cut may bring the old name back. */
function syncFolder(dir: string, doing: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch (error) {
    // Some filesystems cannot fsync a folder; the file is in place, only less durable.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EISDIR" && code !== "EBADF") throw fromOsError(error, { doing, path: dir }) ?? error;
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function shortFile(temp: string, written: number, expected: number): Error {
  // The device took the writes but holds less: the disk's fault, said as an I/O error, not a bug.
  return Object.assign(new Error(`EIO: ${temp} holds ${written} of ${expected} bytes after writing`), { code: "EIO" });
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already failing: the first error is the one to report.
  }
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
