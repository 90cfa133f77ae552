/**
 * Explicit anchors for every place the report links to. Renderers disagree on how
 * they derive ids from headings (GitHub prefixes them, drops emoji, and repeats get
 * suffixes), so every target carries its own `<a id>`, and every id is handed out
 * once: the same commit in two repositories (a fork and its upstream) or two
 * names that slug alike still get distinct ids.
 */
import type { Importance } from "../../analysis/types.js";
import { IMPORTANCE_ORDER } from "../../analysis/types.js";
import { InternalError } from "../../errors.js";
import type { Report } from "../types.js";

export interface RepoAnchors {
  section: string;
  stats: string;
  groups: Record<Importance, string>;
  /** By full SHA. */
  commits: Map<string, string>;
}

export interface AnchorPlan {
  /** The anchors of the repository at this index of `report.repos`. */
  forRepo(index: number): RepoAnchors;
  /** The anchor of a commit named by repository and SHA (as the overview's highlights name them). */
  findCommit(repoName: string, sha: string): string | undefined;
}

export function planAnchors(report: Report): AnchorPlan {
  const claimed = new Set<string>();
  const claim = (base: string): string => {
    let id = base;
    for (let n = 2; claimed.has(id); n += 1) id = `${base}-${n}`;
    claimed.add(id);
    return id;
  };

  const repos = report.repos.map((repo): RepoAnchors => {
    const section = claim(`r-${slugify(repo.name)}`);
    const groups = {} as Record<Importance, string>;
    for (const importance of IMPORTANCE_ORDER) groups[importance] = claim(`${section}-${importance}`);
    return {
      section,
      stats: claim(`${section}-stats`),
      groups,
      commits: new Map(repo.commits.map((commit) => [commit.sha, claim(`c-${commit.shortSha}`)])),
    };
  });

  return {
    forRepo(index) {
      const anchors = repos[index];
      if (!anchors) throw new InternalError(`no anchors planned for repository #${index}`);
      return anchors;
    },
    findCommit(repoName, sha) {
      for (const [index, repo] of report.repos.entries()) {
        const id = repo.name === repoName ? repos[index]?.commits.get(sha) : undefined;
        if (id) return id;
      }
      return undefined;
    },
  };
}

/** ASCII letters, digits and dashes: an id every renderer keeps as written. */
export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "repo"
  );
}

export function anchorTag(id: string): string {
  return `<a id="${id}"></a>`;
}
