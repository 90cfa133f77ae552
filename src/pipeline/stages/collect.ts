/**
 * Stage 1, collect: a repository's commits of a period and their facts, stored. What the
 * store holds already is read from it; the rest is read from the source in one streaming
 * pass, redacted at the door, its facts extracted once, and saved in batches as it comes,
 * so that a run killed halfway reads nothing twice. Tags of the period come from the
 * source too. No network: fetching is the orchestrator's (it may fall back to the mirror).
 */
import { FactReader } from "../../facts/fact-reader.js";
import type { CommitFacts, FactOptions } from "../../facts/types.js";
import type { Logger } from "../../logger.js";
import { countByRule, redactCommit, redactDeep } from "../../secrets/index.js";
import { redactUrlCredentials } from "../../sources/git/run-git.js";
import type { Commit, Source, TimeRange } from "../../sources/types.js";
import type { Store } from "../../store/types.js";
import type { Progress } from "../progress.js";
import type { ResolvedRepo } from "../resolve-repos.js";
import { hashOptions } from "./keys.js";

/** Commits saved per database transaction while a history is read. */
const SAVE_BATCH = 200;
/** Commits whose facts are being read at once: enough to keep the structure worker busy. */
const READ_AHEAD = 32;
/** From how many commits to read the structural pass runs in a worker thread. */
const WORKER_MIN_COMMITS = 40;

export interface CommitEntry {
  commit: Commit;
  facts: CommitFacts;
}

export interface CollectInput {
  repo: ResolvedRepo;
  source: Source;
  period: TimeRange;
  /** Tags of the period are listed (for the activity section). */
  withTags: boolean;
}

export interface Collected {
  /** The repository's id in the store. */
  repoId: number;
  branch: string;
  /** The period's first-parent commits, oldest first, each with its facts. */
  entries: CommitEntry[];
  /** Under which key the facts were extracted (the ignore patterns); part of every later key. */
  factsKey: string;
  /** How many were read from the source this time (the rest came from the store). */
  readFromGit: number;
  /** Tags made in the period (names only: their dates are the period's). */
  tags: string[];
}

export interface CollectDeps {
  store: Store;
  logger: Logger;
  progress: Progress;
}

export function factOptionsOf(repo: Pick<ResolvedRepo, "criticalPaths" | "ignorePaths">): FactOptions {
  return { criticalPaths: repo.criticalPaths, ignorePaths: repo.ignorePaths };
}

export async function collect(input: CollectInput, deps: CollectDeps): Promise<Collected> {
  const { repo, source, period } = input;
  const { store, logger } = deps;
  // A clone URL may carry a token (https://user:token@host/…): the store keeps it without.
  const stored = await store.upsertRepository(redactUrlCredentials(repo.location), repo.name);
  const branch = await source.branchName();
  const headers = await source.listCommits(period);
  const shas = headers.map((header) => header.sha);
  // Facts depend on the extractor's version (checked by the store) and on the ignore patterns.
  const factsKey = hashOptions({ ignorePaths: repo.ignorePaths });
  const known = await store.knownCommits(stored.id, shas, factsKey);
  const missing = shas.filter((sha) => !known.has(sha));
  logger.debug({ repo: repo.name, branch, inRange: shas.length, stored: known.size }, "listed commits");
  const fresh = missing.length > 0 ? await readMissing(repo, source, missing, stored.id, factsKey, deps) : new Map<string, CommitEntry>();
  // Each commit is read from the store once, here; every later stage shares it.
  const entries: CommitEntry[] = [];
  for (const sha of shas) entries.push(fresh.get(sha) ?? (await loadStored(store, stored.id, repo.name, sha, factsKey)));
  const tags = input.withTags ? ((await source.listTags?.(period)) ?? []).map((tag) => tag.name) : [];
  return { repoId: stored.id, branch, entries, factsKey, readFromGit: fresh.size, tags };
}

async function readMissing(
  repo: ResolvedRepo,
  source: Source,
  missing: readonly string[],
  repoId: number,
  factsKey: string,
  { store, logger, progress }: CollectDeps,
): Promise<Map<string, CommitEntry>> {
  const fresh = new Map<string, CommitEntry>();
  const factOptions = factOptionsOf(repo);
  const started = Date.now();
  // A long read runs the structural pass in a worker thread, beside this one's reading and storing.
  const useWorker = missing.length >= WORKER_MIN_COMMITS && source.gitDir !== undefined;
  const reader = new FactReader(source.openBlobs?.(), useWorker ? { workerGitDir: source.gitDir! } : {});
  let batch: CommitEntry[] = [];
  // Facts of the next commits are asked for before the earlier ones are stored, in order.
  const inFlight: Array<Promise<CommitEntry>> = [];
  const take = async (): Promise<void> => {
    const entry = await inFlight.shift()!;
    fresh.set(entry.commit.sha, entry);
    // A commit read with gaps is not kept: once the clone is repaired, the next run reads it whole.
    if (!hasGaps(entry)) batch.push(entry);
    // A transaction per batch, not per commit: a whole history costs a few database commits.
    if (batch.length >= SAVE_BATCH) {
      const saving = batch;
      batch = [];
      await store.saveCommits(repoId, saving, factsKey);
    }
    progress.count(`${repo.name}: reading commits`, fresh.size, missing.length);
  };
  try {
    for await (const yielded of source.readCommits(missing)) {
      // Secrets go at the door: the store, the facts, the report, the logs and the model see only markers.
      const { commit, findings } = redactCommit(yielded);
      if (findings.length > 0) logger.debug({ sha: commit.sha.slice(0, 12), secrets: countByRule(findings) }, "secrets redacted");
      // Facts read from whole files (signatures, defaults, versions) saw text the patch redaction did not.
      const read = reader.read(commit, factOptions).then((facts) => ({ commit, facts: redactDeep(facts) }));
      // Awaited in order by take(); a later commit's failure must not count as unhandled meanwhile.
      read.catch(() => {});
      inFlight.push(read);
      if (inFlight.length >= READ_AHEAD) await take();
    }
    while (inFlight.length > 0) await take();
    await store.saveCommits(repoId, batch, factsKey);
  } finally {
    // Settle what is still in flight (a failed read) before the reader goes.
    await Promise.allSettled(inFlight);
    await reader.close();
  }
  logger.debug({ repo: repo.name, commits: fresh.size, ms: Date.now() - started, parses: reader.stats }, "read from git");
  return fresh;
}

/** Some files of the commit could not be read from the clone. */
export function hasGaps(entry: { facts: CommitFacts }): boolean {
  return (entry.facts.unseen.unreadableFiles?.length ?? 0) > 0;
}

async function loadStored(store: Store, repoId: number, repoName: string, sha: string, factsKey: string): Promise<CommitEntry> {
  const entry = await store.getCommit(repoId, sha, factsKey);
  if (!entry) throw new Error(`commit ${sha} of ${repoName} is missing from the store after reading it`);
  return entry;
}
