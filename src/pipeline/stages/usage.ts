/**
 * The usage stage (issue 14): what the user's own code (`usedBy:`) uses of a tracked
 * project, ready to match against its commits. The project's identity (its import packages,
 * crates, commands) is read from the tracked tree at the branch tip; each used-by folder is
 * scanned once and the index kept in the store under its HEAD (and the state of its work
 * tree), so that a daily run re-uses it while the user's code has not moved.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import pLimit from "p-limit";
import { join } from "node:path";
import type { CommitFacts } from "../../facts/types.js";
import type { Logger } from "../../logger.js";
import { runGit } from "../../sources/git/run-git.js";
import type { Source } from "../../sources/types.js";
import type { Store } from "../../store/types.js";
import { readProjectIdentity } from "../../usage/identity.js";
import { matchUsage, pythonModule, readReexports, type UsageContext } from "../../usage/match-usage.js";
import { scanUsage } from "../../usage/scan/scan-usage.js";
import { USAGE_INDEX_VERSION, type AffectedUse, type ProjectIdentity, type ProjectTree, type UsageIndex, type UsageSummary } from "../../usage/types.js";
import type { Lang } from "../../i18n/lang.js";
import type { ResolvedRepo } from "../resolve-repos.js";

const USAGE_CACHE = "usage-index";

export interface PreparedUsage {
  context: UsageContext;
  summaries: UsageSummary[];
  notices: string[];
}

/** The period's commits matched against the indexes: what the build stage puts in the report. */
export interface MatchedUsage {
  summaries: UsageSummary[];
  notices: string[];
  /** By commit SHA; commits that touch nothing the user uses are left out. */
  affects: Map<string, AffectedUse[]>;
}

export function matchEntries(entries: ReadonlyArray<{ commit: { sha: string }; facts: CommitFacts }>, prepared: PreparedUsage, lang: Lang): MatchedUsage {
  const affects = new Map<string, AffectedUse[]>();
  for (const entry of entries) {
    const found = matchUsage(entry.facts, prepared.context, lang);
    if (found.length > 0) affects.set(entry.commit.sha, found);
  }
  return { summaries: prepared.summaries, notices: prepared.notices, affects };
}

/** undefined when the repository has no `usedBy`; else the indexes that could be read, and a notice for each that could not. */
export async function prepareUsage(
  repo: Pick<ResolvedRepo, "name" | "usedBy" | "provides">,
  source: Pick<Source, "gitDir" | "resolveBranch">,
  deps: { store: Pick<Store, "getCached" | "putCached">; logger: Logger; lang: Lang },
): Promise<PreparedUsage | undefined> {
  if (repo.usedBy.length === 0) return undefined;
  const words = WORDS[deps.lang];
  if (source.gitDir === undefined) {
    return { context: { identity: emptyIdentity(), indexes: [] }, summaries: [], notices: [words.noTree(repo.name)] };
  }
  const tip = await source.resolveBranch();
  const { identity, reexports } = await projectNames(source.gitDir, tip, repo.provides ?? {}, deps.store);
  const notices: string[] = [];
  // The folders side by side: each costs a git process or two, then a store read (or a scan).
  const loaded = await Promise.all(
    repo.usedBy.map((usedBy) =>
      loadIndex(usedBy, identity, deps).catch((error: unknown) => {
        // One unreadable folder leaves the others' marks standing, and says so at the top.
        notices.push(words.unreadable(usedBy.label, error instanceof Error ? error.message : String(error)));
        return undefined;
      }),
    ),
  );
  const indexes = loaded.filter((index): index is UsageIndex => index !== undefined);
  const summaries = indexes.map(
    (index): UsageSummary => ({
      label: index.label,
      ...(index.head ? { head: index.head } : {}),
      files: index.files,
      languages: index.languages,
      kinds: index.kinds,
      uses: index.uses.length,
      dynamic: index.skipped.dynamic,
    }),
  );
  return { context: { identity, indexes, reexports }, summaries, notices };
}

const NAMES_CACHE = "usage-project-names";

/**
 * What the tracked project offers, read from its tree at `tip` (one `ls-tree`, a few blobs), and
 * kept under the tip: a daily run whose branch did not move reads nothing of the tree again.
 */
async function projectNames(
  gitDir: string,
  tip: string,
  provides: Partial<ProjectIdentity>,
  store: Pick<Store, "getCached" | "putCached">,
): Promise<{ identity: ProjectIdentity; reexports: Map<string, string> }> {
  const key = createHash("sha256").update(JSON.stringify([USAGE_INDEX_VERSION, tip, provides])).digest("hex");
  const cached = await store.getCached<{ identity: ProjectIdentity; reexports: Array<[string, string]> }>(NAMES_CACHE, key);
  if (cached) return { identity: cached.value.identity, reexports: new Map(cached.value.reexports) };
  const tree = await gitTree(gitDir, tip);
  const identity = await readProjectIdentity(tree, provides);
  const reexports = await readPackageReexports(tree, identity);
  await store.putCached(NAMES_CACHE, key, { identity, reexports: [...reexports] });
  return { identity, reexports };
}

/** Bounds the `__init__.py` files read for re-exports: a monorepo of thousands says enough in its first. */
const MAX_PACKAGE_FILES = 2_000;

/** What each of the project's Python packages offers from which module, from its `__init__.py`. */
async function readPackageReexports(tree: ProjectTree, identity: ProjectIdentity): Promise<Map<string, string>> {
  const reexports = new Map<string, string>();
  if (identity.python.length === 0) return reexports;
  const inits = tree.paths.filter((path) => path.endsWith("__init__.py")).slice(0, MAX_PACKAGE_FILES);
  const modules = inits.map((path) => ({ path, module: pythonModule(path, identity.python) })).filter((item) => item.module !== undefined);
  // One git process each: a few at a time.
  const limit = pLimit(8);
  const texts = await Promise.all(modules.map((item) => limit(() => tree.read(item.path))));
  modules.forEach((item, at) => {
    const text = texts[at];
    if (text !== undefined) for (const [name, from] of readReexports(item.module!, text)) reexports.set(name, from);
  });
  return reexports;
}

async function loadIndex(
  usedBy: ResolvedRepo["usedBy"][number],
  identity: ProjectIdentity,
  deps: { store: Pick<Store, "getCached" | "putCached">; logger: Logger },
): Promise<UsageIndex> {
  const state = await workTreeState(usedBy.path);
  const key = state
    ? createHash("sha256").update(JSON.stringify([USAGE_INDEX_VERSION, usedBy.path, usedBy.label, state.head, state.dirty, identity])).digest("hex")
    : undefined;
  if (key) {
    const cached = await deps.store.getCached<UsageIndex>(USAGE_CACHE, key);
    if (cached && cached.value.version === USAGE_INDEX_VERSION) {
      deps.logger.debug({ path: usedBy.path, head: state?.head }, "usage index from the store");
      return cached.value;
    }
  }
  const started = Date.now();
  const index = await scanUsage({ root: usedBy.path, label: usedBy.label, identity, ...(state?.head ? { head: state.head } : {}) });
  deps.logger.debug({ path: usedBy.path, files: index.files, uses: index.uses.length, ms: Date.now() - started }, "usage index built");
  if (key) await deps.store.putCached(USAGE_CACHE, key, index);
  return index;
}

/**
 * HEAD, and what differs from it (the changed files with their size and time): the index of
 * a work tree with edits is not the index of its HEAD. Undefined outside git: such a folder
 * is scanned on every run.
 */
async function workTreeState(path: string): Promise<{ head: string; dirty: string } | undefined> {
  const [top, head] = (await runGit(["rev-parse", "--show-toplevel", "--verify", "-q", "HEAD"], { cwd: path }).catch(() => "")).trim().split("\n");
  if (!head || !top) return undefined;
  const status = await runGit(["status", "--porcelain=v1", "-z", "--untracked-files=normal"], { cwd: path });
  const entries = status.split("\0").filter(Boolean);
  const dirty = entries
    .map((entry) => {
      const file = join(top, entry.slice(3));
      try {
        const stat = statSync(file);
        return `${entry}\u0000${stat.size}\u0000${stat.mtimeMs}`;
      } catch {
        return entry;
      }
    })
    .join("\n");
  return { head, dirty };
}

/** The tracked tree at `tip`: its paths from one `ls-tree`, a file's text from `cat-file` (identity reads a handful). */
async function gitTree(gitDir: string, tip: string): Promise<ProjectTree> {
  const paths = (await runGit(["ls-tree", "-r", "-z", "--name-only", tip], { gitDir })).split("\0").filter(Boolean);
  return {
    paths,
    // A blob missing from a blobless mirror offline reads as absent: identity then falls back to the folders.
    read: (path: string) => runGit(["cat-file", "blob", `${tip}:${path}`], { gitDir }).catch(() => undefined),
  };
}

function emptyIdentity(): ProjectIdentity {
  return { python: [], npm: [], crates: [], goModules: [], headers: [], commands: [] };
}

const WORDS = {
  en: {
    noTree: (repo: string) => `${repo}: usedBy needs a git source (the API-only source has no tree to read the project's names from); nothing was matched`,
    unreadable: (label: string, why: string) => `usedBy ${label} could not be read (${why}); its uses were not matched`,
  },
  "zh-CN": {
    noTree: (repo: string) => `${repo}：usedBy 需要 git 来源（仅 API 来源没有可读取项目名称的目录树），未做匹配`,
    unreadable: (label: string, why: string) => `usedBy ${label} 无法读取（${why}），其用法未做匹配`,
  },
} as const;
