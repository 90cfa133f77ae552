/**
 * Incremental parser for the byte stream of one `git log -z --raw -p` process (the
 * exact arguments are in LOG_FORMAT_ARGS). Hand-written because it is the hot path:
 * it sees every byte of every diff in the range, it must keep memory bounded on a
 * 100 MB file, and it must work on bytes (paths and messages need not be UTF-8).
 *
 * The stream, per commit (see git-log(1), "-z" and "RAW OUTPUT FORMAT"):
 *
 *   \x1e <H> \x1f <P> \x1f <aN> \x1f <aE> \x1f <aI> \x1f <cN> \x1f <cE> \x1f <cI> \x1f <B> \0
 *   [ \n  (:<modes> <shas> <status>\0<path>\0[<path2>\0])*  \0  (diff --git … patch lines \n)* ]
 *
 * A record starts with \x1e at the start of a line: patch content lines always start
 * with " ", "+", "-", "\" or a header word, so the marker cannot be confused with them.
 * The raw section is the authority on paths, statuses and modes; patches add line
 * counts and text and are matched to raw entries by path.
 */
import type { Commit, FileChange, FileStatus } from "../types.js";

export const RECORD_MARKER = 0x1e;
const FIELD_SEPARATOR = "\x1f";
const NUL = 0x00;
const NEWLINE = 0x0a;
const NEWLINE_BYTES = Buffer.from([NEWLINE]);
/** git's object id for "no object on this side": all zeros. */
const ABSENT_OBJECT = /^0+$/;

export const LOG_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%aI%x1f%cN%x1f%cE%x1f%cI%x1f%B";

/** Arguments of the one git process per repository and range. */
export const LOG_FORMAT_ARGS = [
  "-z",
  `--format=${LOG_FORMAT}`,
  "--encoding=UTF-8",
  "--first-parent",
  "--diff-merges=first-parent",
  "--raw",
  "-p",
  "--find-renames",
  "--find-copies",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--abbrev=40",
] as const;

export interface ParserLimits {
  /** Patch text kept per file; the rest is counted, not kept. */
  maxPatchBytesPerFile: number;
  /** Patch text kept per commit, over all its files. */
  maxPatchBytesPerCommit: number;
  /**
   * Longest line held in memory while waiting for its end; a longer line (a minified
   * bundle) is counted once and its tail dropped.
   */
  maxLineBytes: number;
}

export const DEFAULT_LIMITS: ParserLimits = {
  maxPatchBytesPerFile: 128 * 1024,
  maxPatchBytesPerCommit: 2 * 1024 * 1024,
  maxLineBytes: 64 * 1024,
};

const STATUS_BY_LETTER: Record<string, FileStatus> = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type-changed",
};

type State = "record" | "header" | "after-header" | "raw" | "patch";

interface PendingFile {
  change: FileChange;
  patchChunks: Buffer[];
  patchBytes: number;
  matched: boolean;
}

interface PendingCommit {
  commit: Commit;
  files: PendingFile[];
  /** Raw entries by path, so that a patch finds its entry in constant time (wide commits have 40,000 files). */
  byPath: Map<string, PendingFile[]>;
  /** Index of the first entry that may still be unmatched, for patches whose path names no entry. */
  nextUnmatched: number;
  keptPatchBytes: number;
  omittedPatchBytes: number;
}

interface PatchCursor {
  file: PendingFile | undefined;
  /** Lines of the `diff --git` block before the first hunk, kept to find the path. */
  headerLines: Buffer[];
  inHunks: boolean;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });
const utf8Lossy = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

export class GitLogParser {
  private buffer: Buffer = Buffer.alloc(0);
  private pos = 0;
  private state: State = "record";
  private current: PendingCommit | undefined;
  private cursor: PatchCursor = { file: undefined, headerLines: [], inHunks: false };
  /** Dropping the rest of an over-long line until its newline. */
  private skippingLine = false;
  private readonly limits: ParserLimits;

  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Feeds the next chunk of git's stdout; returns the commits it completed. */
  push(chunk: Buffer): Commit[] {
    this.buffer = this.pos < this.buffer.length ? Buffer.concat([this.buffer.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    const done: Commit[] = [];
    this.run(done, false);
    return done;
  }

  /** Signals the end of the stream; returns the last commit, if any. */
  end(): Commit[] {
    const done: Commit[] = [];
    this.run(done, true);
    if (this.state === "header") throw new Error("git log output ended inside a commit header");
    this.finishCommit(done);
    return done;
  }

  private run(done: Commit[], atEnd: boolean): void {
    for (;;) {
      const progressed = this.step(done, atEnd);
      if (!progressed) return;
    }
  }

  /** Consumes one unit (header, raw entry or patch line); false when more input is needed. */
  private step(done: Commit[], atEnd: boolean): boolean {
    const buf = this.buffer;
    if (this.pos >= buf.length) return false;
    switch (this.state) {
      case "record": {
        if (buf[this.pos] !== RECORD_MARKER) {
          throw new Error(`unexpected byte 0x${buf[this.pos]!.toString(16)} where a commit record should start`);
        }
        this.pos += 1;
        this.state = "header";
        return true;
      }
      case "header": {
        const end = buf.indexOf(NUL, this.pos);
        if (end < 0) return false;
        this.current = {
          commit: parseHeader(buf.subarray(this.pos, end)),
          files: [],
          byPath: new Map(),
          nextUnmatched: 0,
          keptPatchBytes: 0,
          omittedPatchBytes: 0,
        };
        this.pos = end + 1;
        this.state = "after-header";
        return true;
      }
      case "after-header": {
        if (buf[this.pos] === NEWLINE) {
          this.pos += 1;
          this.state = "raw";
        } else {
          this.finishCommit(done);
        }
        return true;
      }
      case "raw":
        return this.stepRaw(done, atEnd);
      case "patch":
        return this.stepPatch(done, atEnd);
    }
  }

  private stepRaw(done: Commit[], atEnd: boolean): boolean {
    const buf = this.buffer;
    const first = buf[this.pos];
    if (first === NUL) {
      this.pos += 1;
      this.state = "patch";
      this.cursor = { file: undefined, headerLines: [], inHunks: false };
      return true;
    }
    if (first === RECORD_MARKER) {
      this.finishCommit(done);
      return true;
    }
    // ":100644 100644 <sha> <sha> R086\0old\0new\0"
    const metaEnd = buf.indexOf(NUL, this.pos);
    if (metaEnd < 0) return false;
    const pathEnd = buf.indexOf(NUL, metaEnd + 1);
    if (pathEnd < 0) return false;
    const meta = buf.toString("latin1", this.pos + 1, metaEnd).split(" ");
    const statusField = meta[4] ?? "";
    const letter = statusField[0] ?? "M";
    let end = pathEnd;
    let second: { path: string; lossy: boolean } | undefined;
    if (letter === "R" || letter === "C") {
      end = buf.indexOf(NUL, pathEnd + 1);
      if (end < 0) {
        if (atEnd) throw new Error("git log output ended inside a raw entry");
        return false;
      }
      second = decodePath(buf.subarray(pathEnd + 1, end));
    }
    const first_ = decodePath(buf.subarray(metaEnd + 1, pathEnd));
    const oldMode = meta[0] ?? "000000";
    const newMode = meta[1] ?? "000000";
    const change: FileChange = {
      path: second ? second.path : first_.path,
      status: STATUS_BY_LETTER[letter] ?? "modified",
      oldMode,
      newMode,
      binary: false,
      submodule: oldMode === "160000" || newMode === "160000",
      additions: 0,
      deletions: 0,
      patch: "",
      patchTruncated: false,
    };
    if (second) change.oldPath = first_.path;
    const oldBlob = meta[2];
    const newBlob = meta[3];
    if (oldBlob && !ABSENT_OBJECT.test(oldBlob)) change.oldBlob = oldBlob;
    if (newBlob && !ABSENT_OBJECT.test(newBlob)) change.newBlob = newBlob;
    if ((letter === "R" || letter === "C") && statusField.length > 1) change.similarity = Number(statusField.slice(1));
    if (first_.lossy || second?.lossy) change.pathLossy = true;
    const pending: PendingFile = { change, patchChunks: [], patchBytes: 0, matched: false };
    const current = this.current!;
    current.files.push(pending);
    const samePath = current.byPath.get(change.path);
    if (samePath) samePath.push(pending);
    else current.byPath.set(change.path, [pending]);
    this.pos = end + 1;
    return true;
  }

  private stepPatch(done: Commit[], atEnd: boolean): boolean {
    const buf = this.buffer;
    if (this.skippingLine) {
      const nl = buf.indexOf(NEWLINE, this.pos);
      if (nl < 0) {
        if (this.current) this.current.omittedPatchBytes += buf.length - this.pos;
        this.pos = buf.length;
        return false;
      }
      if (this.current) this.current.omittedPatchBytes += nl + 1 - this.pos;
      this.pos = nl + 1;
      this.skippingLine = false;
      return true;
    }
    if (buf[this.pos] === RECORD_MARKER) {
      this.finishCommit(done);
      return true;
    }
    let nl = buf.indexOf(NEWLINE, this.pos);
    let lineEnd = nl;
    if (nl < 0) {
      const pending = buf.length - this.pos;
      if (pending < this.limits.maxLineBytes && !atEnd) return false;
      // An over-long line, or a last line without newline: take what we have as the line.
      lineEnd = buf.length;
      nl = buf.length - 1;
      if (!atEnd) this.skippingLine = true;
      if (this.cursor.file && this.cursor.inHunks) this.markTruncated(this.cursor.file);
    }
    this.handlePatchLine(buf.subarray(this.pos, lineEnd));
    this.pos = nl + 1;
    return true;
  }

  private handlePatchLine(line: Buffer): void {
    const cursor = this.cursor;
    if (startsWith(line, "diff --git ")) {
      this.cursor = { file: undefined, headerLines: [line], inHunks: false };
      return;
    }
    if (!cursor.inHunks) {
      if (line[0] === 0x40 /* @ */ && startsWith(line, "@@")) {
        cursor.inHunks = true;
        cursor.file ??= this.matchFile(cursor.headerLines);
        this.keepPatchLine(cursor.file, line);
        return;
      }
      if (startsWith(line, "Binary files ") || startsWith(line, "GIT binary patch")) {
        cursor.file ??= this.matchFile(cursor.headerLines);
        if (cursor.file) cursor.file.change.binary = true;
        return;
      }
      cursor.headerLines.push(line);
      return;
    }
    const file = cursor.file;
    if (!file) return;
    const marker = line[0];
    if (marker === 0x2b /* + */) file.change.additions += 1;
    else if (marker === 0x2d /* - */) file.change.deletions += 1;
    this.keepPatchLine(file, line);
  }

  private keepPatchLine(file: PendingFile | undefined, line: Buffer): void {
    if (!file) return;
    const pending = this.current!;
    const size = line.length + 1;
    if (file.change.patchTruncated) {
      pending.omittedPatchBytes += size;
      return;
    }
    if (
      file.patchBytes + size > this.limits.maxPatchBytesPerFile ||
      pending.keptPatchBytes + size > this.limits.maxPatchBytesPerCommit
    ) {
      this.markTruncated(file);
      pending.omittedPatchBytes += size;
      return;
    }
    // Copy: `line` is a view into a buffer that will be reused.
    file.patchChunks.push(Buffer.from(line), NEWLINE_BYTES);
    file.patchBytes += size;
    pending.keptPatchBytes += size;
  }

  private markTruncated(file: PendingFile): void {
    file.change.patchTruncated = true;
  }

  /**
   * Finds the raw entry a patch belongs to, by the path its header names. A type
   * change (file ↔ symlink) yields two patches for one raw entry, so an entry may be
   * matched twice; when no path matches, the next unmatched entry in order is taken.
   */
  private matchFile(headerLines: Buffer[]): PendingFile | undefined {
    const current = this.current;
    if (!current) return undefined;
    const path = pathFromPatchHeader(headerLines);
    const samePath = path === undefined ? undefined : current.byPath.get(path);
    let file = samePath ? (samePath.find((f) => !f.matched) ?? samePath[0]) : undefined;
    if (!file) {
      // Patches come in raw-entry order, so the first unmatched entry only moves forward.
      while (current.nextUnmatched < current.files.length && current.files[current.nextUnmatched]!.matched) current.nextUnmatched += 1;
      file = current.files[current.nextUnmatched];
    }
    if (file) file.matched = true;
    return file;
  }

  private finishCommit(done: Commit[]): void {
    const pending = this.current;
    this.current = undefined;
    this.state = "record";
    this.cursor = { file: undefined, headerLines: [], inHunks: false };
    if (!pending) return;
    for (const file of pending.files) {
      file.change.patch = file.patchBytes > 0 ? utf8Lossy.decode(Buffer.concat(file.patchChunks)) : "";
      pending.commit.files.push(file.change);
    }
    pending.commit.patchBytesOmitted = pending.omittedPatchBytes;
    done.push(pending.commit);
  }
}

function parseHeader(bytes: Buffer): Commit {
  const { text, lossy } = decodeText(bytes);
  const fields = text.split(FIELD_SEPARATOR);
  if (fields.length < 9) throw new Error(`malformed commit header: ${JSON.stringify(text.slice(0, 120))}`);
  const [sha, parents, aName, aEmail, aDate, cName, cEmail, cDate] = fields as [string, ...string[]];
  // The message is the last field and may itself contain the separator.
  const message = fields.slice(8).join(FIELD_SEPARATOR).replace(/\s+$/, "");
  const newline = message.indexOf("\n");
  const subject = (newline < 0 ? message : message.slice(0, newline)).trim();
  const body = newline < 0 ? "" : message.slice(newline + 1).replace(/^\s*\n/, "").trim();
  const commit: Commit = {
    sha: sha,
    parents: parents ? parents.split(" ").filter(Boolean) : [],
    author: { name: aName ?? "", email: aEmail ?? "", date: aDate ?? "" },
    committer: { name: cName ?? "", email: cEmail ?? "", date: cDate ?? "" },
    subject,
    body,
    files: [],
    patchBytesOmitted: 0,
  };
  if (lossy) commit.messageLossy = true;
  return commit;
}

/** A message that is not UTF-8 and declares no encoding is most often Latin-1. */
function decodeText(bytes: Buffer): { text: string; lossy: boolean } {
  try {
    return { text: utf8Strict.decode(bytes), lossy: false };
  } catch {
    return { text: latin1.decode(bytes), lossy: true };
  }
}

function decodePath(bytes: Buffer): { path: string; lossy: boolean } {
  try {
    return { path: utf8Strict.decode(bytes), lossy: false };
  } catch {
    return { path: utf8Lossy.decode(bytes), lossy: true };
  }
}

function startsWith(line: Buffer, prefix: string): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/**
 * The path a patch is about, from its extended header lines (git-diff(1),
 * "GENERATING PATCH TEXT WITH -P"): `rename to`/`copy to`, else `+++ b/…`, else
 * `--- a/…` (a deletion), else the `diff --git a/X b/X` line itself, where both
 * names are the same and so the line splits in the middle.
 */
export function pathFromPatchHeader(lines: Buffer[]): string | undefined {
  let minus: string | undefined;
  for (const line of lines) {
    for (const prefix of ["rename to ", "copy to "]) {
      if (startsWith(line, prefix)) return decodeGitPath(line.subarray(prefix.length));
    }
    if (startsWith(line, "+++ ")) {
      const target = line.subarray(4);
      if (!startsWith(target, "/dev/null")) return stripPrefix(decodeGitPath(target), "b/");
    }
    if (startsWith(line, "--- ")) {
      const source = line.subarray(4);
      if (!startsWith(source, "/dev/null")) minus = stripPrefix(decodeGitPath(source), "a/");
    }
  }
  if (minus !== undefined) return minus;
  const header = lines[0];
  if (!header) return undefined;
  const rest = header.subarray("diff --git ".length);
  if (rest[0] === 0x22 /* " */) return stripPrefix(decodePath(unquoteC(rest, 0).value).path, "a/");
  // "a/P b/P": |rest| = 2 + |P| + 3 + |P|
  const length = (rest.length - 5) / 2;
  if (!Number.isInteger(length) || length <= 0) return undefined;
  return decodePath(rest.subarray(2, 2 + length)).path;
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** A path as git prints it in a patch header: C-quoted when it has special characters. */
function decodeGitPath(bytes: Buffer): string {
  // `--- a/file\t` can carry a trailing tab when the name has spaces (GNU diff compatibility).
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x09 || bytes[end - 1] === 0x0d)) end -= 1;
  const trimmed = bytes.subarray(0, end);
  if (trimmed[0] === 0x22) return decodePath(unquoteC(trimmed, 0).value).path;
  return decodePath(trimmed).path;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 0x22, "\\": 0x5c };

/** Undoes git's quote_c_style (quote.c): backslash escapes and three-digit octal bytes. */
export function unquoteC(bytes: Buffer, start: number): { value: Buffer; next: number } {
  const out: number[] = [];
  let i = start + 1;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === 0x22) return { value: Buffer.from(out), next: i + 1 };
    if (c === 0x5c) {
      const e = String.fromCharCode(bytes[i + 1] ?? 0);
      if (e >= "0" && e <= "7") {
        out.push(parseInt(bytes.toString("latin1", i + 1, i + 4), 8));
        i += 4;
        continue;
      }
      out.push(C_ESCAPES[e] ?? bytes[i + 1] ?? 0);
      i += 2;
      continue;
    }
    out.push(c);
    i += 1;
  }
  return { value: Buffer.from(out), next: i };
}
