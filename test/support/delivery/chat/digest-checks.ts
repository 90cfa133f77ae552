/** Assertions the platform tests share about a digest split over messages. */
import { expect } from "vitest";
import type { Report } from "../../../../src/report/types.js";
import { composeDigest, type DigestOptions } from "../../../../src/delivery/chat/build-digest.js";
import { chatLabelsFor } from "../../../../src/delivery/chat/labels.js";

/**
 * Every line of every message is a whole line of the digest (or one of its "N more"
 * lines), and every high-importance commit is in some message unless the messages link
 * to the full report.
 */
export function expectWholeDigest(texts: readonly string[], report: Report, options: DigestOptions): void {
  const whole = new Set(composeDigest(report, options, { high: 10_000, medium: 10_000 }));
  const labels = chatLabelsFor(report.lang);
  const more = new Set<string>();
  for (let count = 1; count <= 1_000; count++) {
    more.add(labels.moreHigh(count));
    more.add(labels.moreMedium(count));
  }
  for (const text of texts) {
    for (const line of text.split("\n")) {
      if (line === "") continue;
      expect(whole.has(line) || more.has(line), `a line of the digest, whole: ${line}`).toBe(true);
    }
  }
  const all = texts.join("\n");
  const high = report.repos.flatMap((repo) => repo.commits.filter((commit) => commit.importance === "high"));
  const missing = high.filter((commit) => !all.includes(commit.shortSha));
  if (missing.length > 0) {
    expect(options.fullReportUrl, "a digest without some high-importance commits links to the full report").toBeDefined();
    expect(all).toContain(options.fullReportUrl);
  }
}
