import { runGit } from "./run-git.js";

const ZERO_OID = /^0+$/;
const GITLINK = "160000";

/**
 * The blobs `git log -p` and the structural pass will read for these commits: both sides of
 * every changed file against the first parent. `--raw --no-renames` compares trees only, so
 * it reads no blob (rename and copy detection, which do, pair files among these same blobs).
 * Gitlinks name commits of other repositories and are left out.
 */
export async function listChangedBlobs(gitDir: string, shas: readonly string[]): Promise<Set<string>> {
  const out = await runGit(
    ["log", "--no-walk=unsorted", "--stdin", "--format=", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev", "--no-renames"],
    { gitDir, input: `${shas.join("\n")}\n` },
  );
  const blobs = new Set<string>();
  for (const line of out.split("\n")) {
    // `:100644 100644 <old> <new> M\tpath` (git-diff(1), "RAW OUTPUT FORMAT").
    if (!line.startsWith(":")) continue;
    const [oldMode, newMode, oldOid, newOid] = line.slice(1).split(/[ \t]/);
    if (oldOid && oldMode !== GITLINK && !ZERO_OID.test(oldOid)) blobs.add(oldOid);
    if (newOid && newMode !== GITLINK && !ZERO_OID.test(newOid)) blobs.add(newOid);
  }
  return blobs;
}

/**
 * Which of `wanted` the repository lacks, asked without fetching: `rev-list --missing=print`
 * never fetches lazily, whatever git's version (`cat-file --batch-check` does before git
 * 2.44, and dies on the first one it cannot fetch). It walks the trees of the commits and of
 * their first parents, which a blobless clone has whole.
 */
export async function findMissingBlobs(gitDir: string, shas: readonly string[], wanted: ReadonlySet<string>): Promise<string[]> {
  if (wanted.size === 0) return [];
  const tips = new Set<string>();
  for (const sha of shas) {
    tips.add(sha);
    tips.add(`${sha}^@`);
  }
  // `<sha>^@` (a commit's parents) of a root commit is nothing, not an error.
  const out = await runGit(["rev-list", "--objects", "--missing=print", "--no-walk", "--stdin"], {
    gitDir,
    input: `${[...tips].join("\n")}\n`,
  });
  const missing: string[] = [];
  for (const line of out.split("\n")) {
    if (line.startsWith("?") && wanted.has(line.slice(1).trim())) missing.push(line.slice(1).trim());
  }
  return missing;
}

/**
 * Fetches these objects from the promisor remote in ONE request: the command git's own lazy
 * fetch runs (promisor-remote.c `fetch_objects`), with every id at once instead of one per
 * object read.
 */
export async function fetchObjects(gitDir: string, oids: readonly string[], env: Record<string, string>, failure: { message: string; hint: string }): Promise<void> {
  if (oids.length === 0) return;
  await runGit(
    ["-c", "fetch.negotiationAlgorithm=noop", "fetch", "origin", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin"],
    { gitDir, env, input: `${oids.join("\n")}\n`, failure: { ...failure, retryable: true } },
  );
}
