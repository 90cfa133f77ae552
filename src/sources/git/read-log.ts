import type { Readable } from "node:stream";
import { ExternalServiceError } from "../../errors.js";
import type { Commit, FileChange } from "../types.js";
import { GitLogParser, LOG_FORMAT, LOG_FORMAT_ARGS, type ParserLimits } from "./log-parser.js";
import { noLazyFetchEnv, spawnGit, toGitError } from "./run-git.js";

/** How much of git's stderr we keep for an error message. */
const MAX_STDERR = 16 * 1024;

export interface ReadLogOptions {
  gitDir: string;
  limits?: Partial<ParserLimits>;
  /** Never fetch a missing object lazily (a blobless mirror, whose blobs were fetched in one batch): it is a gap. */
  noLazyFetch?: boolean;
}

/**
 * What git says when an object it needs is not in the repository, or cannot be read: a
 * partial clone whose promisor cannot be reached, a deleted or damaged object file.
 * (diff.c "unable to read", promisor-remote.c "could not fetch ... from promisor remote",
 * object-file.c "... is corrupt", revision.c "bad object".)
 */
const MISSING_OBJECT =
  /unable to read|could not fetch \S+ from promisor remote|missing (?:blob|tree|commit) object|bad object|is corrupt|unable to unpack|Could not read/;
const OBJECT_ID = /\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b/;

const FIX_HINT =
  "the repository is missing objects (a partial or damaged clone): run `git fetch --refetch` in it (git 2.36+; in a partial clone, first `git config --unset remote.origin.partialclonefilter`), or clone it again without --filter";

/** git stopped on an object it could not read; `oid` is the one it named, where it named one. */
class MissingObjectError extends Error {
  constructor(
    readonly oid: string | undefined,
    readonly gitError: ExternalServiceError,
  ) {
    super(gitError.message);
  }
}

/**
 * Streams full commits (raw entries and capped patches) for the given SHAs from ONE
 * git process: the SHAs go to `git log --no-walk=unsorted --stdin`, so the order is
 * the order given and git never walks further. Memory stays bounded by the parser's
 * limits, whatever the size of a diff: stdout is consumed as it arrives.
 *
 * When git dies on an object it cannot read, the commits not yet read are read around
 * the gaps (`readAroundGaps`): every commit is still yielded, every readable patch kept,
 * and only the files whose contents are missing come without a patch, marked `unreadable`.
 */
export async function* readCommitsFromGit(shas: readonly string[], options: ReadLogOptions): AsyncGenerator<Commit> {
  if (shas.length === 0) return;
  let done = 0;
  try {
    for await (const commit of streamLog(logArgs(), shas, options)) {
      done += 1;
      yield commit;
    }
  } catch (error) {
    if (!(error instanceof MissingObjectError)) throw error;
    yield* readAroundGaps(shas.slice(done), error.oid, options);
  }
}

/** Streams every first-parent commit reachable from `rev` (oldest boundary excluded by `since`). */
export async function* readHistoryFromGit(rev: string, options: ReadLogOptions): AsyncGenerator<Commit> {
  try {
    yield* streamLog(["log", ...LOG_FORMAT_ARGS, rev, "--"], undefined, options);
  } catch (error) {
    throw error instanceof MissingObjectError ? error.gitError : error;
  }
}

function logArgs(): string[] {
  return ["log", "--no-walk=unsorted", "--stdin", ...LOG_FORMAT_ARGS];
}

/**
 * The slow path, for what is left once git died on a missing object:
 * 1. one `git log --raw --no-renames` lists every file of every commit left, with its object
 *    ids (trees only: no file contents are needed to list them);
 * 2. one `git rev-list --objects --missing=print` names the objects that are absent, without
 *    fetching or dying (git-rev-list(1), "--missing");
 * 3. runs of commits that need none of them stream again in one process; a commit that does
 *    is read once more without its unreadable files (`:(exclude)` pathspecs), and those are
 *    added back from the listing: path, status and modes known, no patch, `unreadable`.
 * An object the listing could not see (damaged, not absent) is named by git when it dies
 * again; it joins the set and the commit is read once more.
 */
async function* readAroundGaps(shas: readonly string[], named: string | undefined, options: ReadLogOptions): AsyncGenerator<Commit> {
  const env = { GIT_NO_LAZY_FETCH: "1" };
  const listing = new Map<string, Commit>();
  try {
    for await (const commit of streamLog(LIST_ARGS, shas, options, env)) listing.set(commit.sha, commit);
  } catch (error) {
    // Not even the trees can be read: there is nothing to say about these commits' files.
    if (!(error instanceof MissingObjectError)) throw error;
    throw new ExternalServiceError("git", error.gitError.message.replace(/^git: /, ""), { hint: FIX_HINT, cause: error.gitError });
  }
  const missing = await findMissingObjects([...listing.values()], options);
  if (named) missing.add(named);
  const listed = (sha: string): Commit => {
    const commit = listing.get(sha);
    if (!commit) throw new ExternalServiceError("git", `commit ${sha.slice(0, 12)} could not be listed`, { hint: FIX_HINT });
    return commit;
  };

  let index = 0;
  while (index < shas.length) {
    const commit = listed(shas[index]!);
    if (commit.files.some((file) => needsMissing(file, missing))) {
      yield await readWithout(commit, missing, options);
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < shas.length && !listed(shas[end]!).files.some((file) => needsMissing(file, missing))) end += 1;
    let done = 0;
    try {
      for await (const whole of streamLog(logArgs(), shas.slice(index, end), options, env)) {
        done += 1;
        yield whole;
      }
      index = end;
    } catch (error) {
      if (!(error instanceof MissingObjectError)) throw error;
      // The commit git was reading (this one or the next) holds an object rev-list did not see.
      index += done;
      if (error.oid) missing.add(error.oid);
      yield await readWithout(listed(shas[index]!), missing, options);
      index += 1;
    }
  }
}

const LIST_ARGS = [
  "log",
  "--no-walk=unsorted",
  "--stdin",
  "-z",
  `--format=${LOG_FORMAT}`,
  "--encoding=UTF-8",
  "--first-parent",
  "--diff-merges=first-parent",
  "--raw",
  // Rename detection compares file contents, which is what may be missing.
  "--no-renames",
  "--no-color",
  "--abbrev=40",
];

/** The absent objects among the trees of these commits and of their first parents. */
async function findMissingObjects(commits: readonly Commit[], options: ReadLogOptions): Promise<Set<string>> {
  const tips = commits.flatMap((commit) => [commit.sha, ...commit.parents.slice(0, 1)]);
  const child = spawnGit(["rev-list", "--objects", "--missing=print", "--no-walk", "--stdin"], { gitDir: options.gitDir });
  const stderr = collectStderr(child.stderr);
  const exited = exitOf(child);
  child.stdin.on("error", () => undefined);
  child.stdin.end(`${[...new Set(tips)].join("\n")}\n`);
  const missing = new Set<string>();
  let rest = "";
  child.stdout.setEncoding("latin1");
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("?")) missing.add(line.slice(1).trim());
  }
  if (rest.startsWith("?")) missing.add(rest.slice(1).trim());
  const result = await exited;
  if (result.error || result.code !== 0) throw toGitError(["rev-list"], result.error ?? new Error(`exit ${result.code}`), stderr());
  return missing;
}

function needsMissing(file: FileChange, missing: ReadonlySet<string>): boolean {
  // A gitlink names a commit of another repository: never read here.
  if (file.submodule) return false;
  return (file.oldBlob !== undefined && missing.has(file.oldBlob)) || (file.newBlob !== undefined && missing.has(file.newBlob));
}

/** One commit, read again without the files whose objects are missing, which come back marked. */
async function readWithout(listed: Commit, missing: Set<string>, options: ReadLogOptions): Promise<Commit> {
  const unreadable = new Set(listed.files.filter((file) => needsMissing(file, missing)));
  const everything = () => withGaps(listed, undefined, new Set(listed.files));
  for (;;) {
    const readable = listed.files.filter((file) => !unreadable.has(file));
    // A path that is not UTF-8 cannot be handed back to git exactly.
    if (readable.length === 0 || [...unreadable].some((file) => file.pathLossy)) return everything();
    const excluded = [...unreadable].map((file) => `:(exclude,literal)${file.path}`);
    try {
      let read: Commit | undefined;
      for await (const commit of streamLog([...logArgs(), "--", ...excluded], [listed.sha], options, { GIT_NO_LAZY_FETCH: "1" })) read = commit;
      return read ? withGaps(listed, read, unreadable) : everything();
    } catch (error) {
      if (!(error instanceof MissingObjectError)) throw error;
      const culprits = readable.filter((file) => error.oid !== undefined && (file.oldBlob === error.oid || file.newBlob === error.oid));
      // Not an object of one file (a tree, say): nothing of the commit can be trusted but its listing.
      if (culprits.length === 0) return everything();
      for (const file of culprits) unreadable.add(file);
      if (error.oid) missing.add(error.oid);
    }
  }
}

/** The commit as read (patches of the readable files), with the unreadable files of the listing added back in listing order. */
function withGaps(listed: Commit, read: Commit | undefined, unreadable: ReadonlySet<FileChange>): Commit {
  const order = new Map(listed.files.map((file, position) => [file.path, position]));
  const files: FileChange[] = [
    ...(read?.files ?? []),
    ...listed.files.filter((file) => unreadable.has(file)).map((file): FileChange => ({ ...file, unreadable: true })),
  ];
  files.sort((a, b) => (order.get(a.path) ?? Infinity) - (order.get(b.path) ?? Infinity));
  return { ...listed, files, patchBytesOmitted: read?.patchBytesOmitted ?? 0 };
}

async function* streamLog(
  args: readonly string[],
  shas: readonly string[] | undefined,
  options: ReadLogOptions,
  env?: Record<string, string>,
): AsyncGenerator<Commit> {
  const merged = options.noLazyFetch ? { ...env, ...noLazyFetchEnv() } : env;
  const child = spawnGit(args, { gitDir: options.gitDir, ...(merged ? { env: merged } : {}) });
  const stderr = collectStderr(child.stderr);
  const exited = exitOf(child);
  // A consumer that stops early closes stdin/stdout; git then dies of SIGPIPE, which is fine.
  child.stdin.on("error", () => undefined);
  child.stdin.end(shas ? `${shas.join("\n")}\n` : "");

  const parser = new GitLogParser(options.limits);
  let finished = false;
  try {
    for await (const chunk of child.stdout) {
      for (const commit of parser.push(chunk as Buffer)) yield commit;
    }
    const result = await exited;
    if (result.error || result.code !== 0) {
      const text = stderr();
      const error = toGitError(args, result.error ?? new Error(`exit ${result.code}`), text);
      const line = text.split("\n").findLast((candidate) => MISSING_OBJECT.test(candidate));
      // Only git's own exit on an unreadable object is read around; a missing git, a kill, a bad revision are not.
      if (line !== undefined && !result.error && error instanceof ExternalServiceError) {
        throw new MissingObjectError(OBJECT_ID.exec(line)?.[0], error);
      }
      throw error;
    }
    for (const commit of parser.end()) yield commit;
    finished = true;
  } finally {
    if (!finished && child.exitCode === null) child.kill();
  }
}

/** git's stderr, its start and its end: the line git dies with comes last, after any warnings. */
function collectStderr(stream: Readable): () => string {
  let head = "";
  let tail = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    if (head.length < MAX_STDERR) head += chunk;
    else tail = (tail + chunk).slice(-MAX_STDERR);
  });
  return () => (tail ? `${head}\n${tail}` : head);
}

function exitOf(child: { on(event: "error", listener: (error: Error) => void): unknown; on(event: "close", listener: (code: number | null) => void): unknown }) {
  return new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, error }));
    child.on("close", (code) => resolve({ code }));
  });
}
