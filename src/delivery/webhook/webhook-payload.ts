/**
 * The generic webhook's JSON document, schema version 1: a small, stable digest for
 * scripts (counts and the commits worth a look), with the full report model on request.
 */
import type { Importance } from "../../analysis/types.js";
import type { Lang } from "../../i18n/lang.js";
import type { Report, ReportPeriod } from "../../report/types.js";
import type { Delivery } from "../types.js";

export const WEBHOOK_SCHEMA_VERSION = 1;

export interface WebhookHighlight {
  sha: string;
  title: string;
  summary: string;
  importance: Importance;
  url: string | null;
}

export interface WebhookPayload {
  schemaVersion: typeof WEBHOOK_SCHEMA_VERSION;
  kind: "daily" | "digest";
  period: ReportPeriod;
  lang: Lang;
  repos: Array<{
    name: string;
    counts: Record<Importance, number> & { total: number };
    /** High-importance commits, then medium ones (high only in a weekly digest), newest first within each. */
    highlights: WebhookHighlight[];
    notices: string[];
  }>;
  /** The run's notices. */
  notices: string[];
  fullReportUrl: string | null;
  report?: Report;
}

export function buildWebhookPayload(delivery: Delivery, includeReport: boolean): WebhookPayload {
  const { report } = delivery;
  const listed: Importance[] = report.kind === "digest" ? ["high"] : ["high", "medium"];
  return {
    schemaVersion: WEBHOOK_SCHEMA_VERSION,
    kind: report.kind ?? "daily",
    period: report.period,
    lang: report.lang,
    repos: report.repos.map((repo) => ({
      name: repo.name,
      counts: repo.counts,
      highlights: listed.flatMap((importance) =>
        repo.commits
          .filter((commit) => commit.importance === importance)
          .map((commit) => ({
            sha: commit.sha,
            title: commit.title,
            summary: commit.analysis.narrative.summary,
            importance,
            url: commit.links.commit ?? null,
          })),
      ),
      notices: repo.notices,
    })),
    notices: report.notices,
    fullReportUrl: delivery.fullReportUrl ?? null,
    ...(includeReport ? { report } : {}),
  };
}
