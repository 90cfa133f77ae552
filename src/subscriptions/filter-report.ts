/**
 * A subscription's view of a report: only the commits its filter matches, counted again the
 * way buildReport counts them (src/report/build-report.ts), and a notice saying how many
 * were left out. The report model carries no raw commits, so it is filtered, not rebuilt:
 * every commit kept is the report's own, analysis and facts unchanged.
 */
import { countByDay, countByImportance, overviewOf } from "../report/build-report.js";
import type { RepoReport, Report } from "../report/types.js";
import { compileFilter, matchRepo } from "./match-commit.js";
import { leftOutNotice } from "./notices.js";
import type { Subscription } from "./subscription-config.js";

export interface FilteredReport {
  report: Report;
  /** Commits of the report the filter left out, repositories outside its `repos` included. */
  left: number;
}

/**
 * The report with only the subscription's commits. Repositories outside the filter's `repos`
 * are dropped; the others keep their section (a quiet one says so, as in the full report),
 * their activity and their notices. An LLM overview's themes were written from every commit,
 * so they go when any commit of the repository was left out; its "read first" keeps the
 * commits that stay.
 */
export function filterReport(report: Report, subscription: Pick<Subscription, "name" | "filter">): FilteredReport {
  const accepts = compileFilter(subscription.filter);
  let left = 0;
  const repos: RepoReport[] = [];
  for (const repo of report.repos) {
    if (!matchRepo(subscription.filter, repo.name)) {
      left += repo.commits.length;
      continue;
    }
    const commits = repo.commits.filter((commit) => accepts(commit, repo.name));
    const dropped = repo.commits.length - commits.length;
    left += dropped;
    repos.push(dropped === 0 ? repo : narrowRepo(repo, commits, report));
  }
  const overview = overviewOf(repos);
  const notices = left > 0 ? [...report.notices, leftOutNotice(report.lang, left, subscription.name, overview.commits)] : [...report.notices];
  return { report: { ...report, repos, overview, notices }, left };
}

function narrowRepo(repo: RepoReport, commits: RepoReport["commits"], report: Report): RepoReport {
  const { overview: _overview, days: _days, ...rest } = repo;
  const kept = new Set(commits.map((commit) => commit.sha));
  const readFirst = repo.overview?.readFirst.filter((item) => kept.has(item.sha)) ?? [];
  return {
    ...rest,
    commits,
    counts: countByImportance(commits),
    ...(repo.overview && readFirst.length > 0 ? { overview: { ...repo.overview, themes: [], readFirst } } : {}),
    ...(repo.days ? { days: countByDay(commits, report.period) } : {}),
  };
}
