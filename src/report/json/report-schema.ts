/**
 * The documented, versioned shape of the JSON report (docs/report-schema.md). A
 * consumer validates a file with `reportSchema.parse(JSON.parse(text))`; fields added
 * later within the same `schemaVersion` are stripped, not rejected.
 */
import * as z from "zod";
import { CHANGE_TYPES, IMPORTANCE_ORDER, INSIGHT_DIMENSIONS } from "../../analysis/types.js";
import { FILE_KINDS } from "../../facts/types.js";
import { LANGUAGES } from "../../i18n/lang.js";
import { REPORT_SCHEMA_VERSION } from "../types.js";

const count = z.number().int().nonnegative();
const importance = z.enum(IMPORTANCE_ORDER);
const fileKind = z.enum(FILE_KINDS);
const person = z.object({ name: z.string(), email: z.string() });
const origin = z.object({ file: z.string(), line: z.number().int().positive().optional() });
const fileStatus = z.enum(["added", "modified", "deleted", "renamed", "copied", "type-changed"]);
const addedOrRemoved = z.enum(["added", "removed"]);
const kindTotals = z.object({ files: count, additions: count, deletions: count });
/** ISO 8601 with an offset, as both instants (`Z`) and zoned times (`+08:00`) are written. */
const isoDateTime = z.iso.datetime({ offset: true });

const messageFactsSchema = z.object({
  type: z.string().optional(),
  scope: z.string().optional(),
  breaking: z.boolean(),
  breakingNote: z.string().optional(),
  tags: z.array(z.string()),
  description: z.string(),
  prNumber: z.number().int().positive().optional(),
  revertedSha: z.string().optional(),
  isRevert: z.boolean(),
  isMerge: z.boolean(),
  coAuthors: z.array(person),
  signedOffBy: z.array(person),
  isBot: z.boolean(),
  points: z.array(z.string()),
  prTitle: z.string().optional(),
  fixes: z.array(z.string()),
  releaseVersion: z.string().optional(),
});

const fileFactsSchema = z.object({
  path: z.string(),
  oldPath: z.string().optional(),
  status: fileStatus,
  additions: count,
  deletions: count,
  binary: z.boolean(),
  submodule: z.boolean(),
  language: z.string().optional(),
  module: z.string(),
  kind: fileKind,
  modeChange: z.object({ from: z.string(), to: z.string() }).optional(),
  companion: z.boolean().optional(),
  formattingOnly: z.boolean().optional(),
  patchTruncated: z.boolean(),
  ignored: z.boolean(),
});

export const commitFactsSchema = z.object({
  sha: z.string(),
  message: messageFactsSchema,
  files: z.array(fileFactsSchema),
  modules: z.array(z.string()),
  totals: kindTotals.extend({ byKind: z.partialRecord(fileKind, kindTotals) }),
  dependencies: z.array(
    z.object({
      ecosystem: z.enum(["npm", "cargo", "pypi", "go", "docker", "github-actions", "meson", "cmake"]),
      name: z.string(),
      scope: z.enum(["runtime", "dev", "build", "optional", "docs", "peer"]),
      internal: z.boolean(),
      from: z.string().optional(),
      to: z.string().optional(),
      change: z.enum(["added", "removed", "upgraded", "downgraded", "changed"]),
      major: z.boolean(),
      origin,
    }),
  ),
  versions: z.array(
    z.object({
      kind: z.enum(["project-version", "toolchain"]),
      name: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
      origin,
    }),
  ),
  surface: z.array(
    z.object({
      kind: z.enum(["env-var", "cli-flag", "config-key"]),
      name: z.string(),
      change: z.enum(["added", "removed", "changed", "renamed"]),
      area: z.enum(["product", "test", "example", "benchmark", "tooling", "build", "ci", "docs"]),
      access: z.enum(["read", "set"]).optional(),
      wellKnown: z.boolean().optional(),
      detail: z
        .object({
          choicesAdded: z.array(z.string()).optional(),
          choicesRemoved: z.array(z.string()).optional(),
          defaultFrom: z.string().optional(),
          defaultTo: z.string().optional(),
          renamedFrom: z.string().optional(),
        })
        .optional(),
      origin,
    }),
  ),
  symbols: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(["function", "method", "class", "struct", "enum", "trait", "interface", "type", "constant", "macro", "module"]),
      language: z.string(),
      change: z.enum(["added", "removed", "modified", "signature", "moved", "renamed"]),
      exported: z.boolean(),
      basis: z.enum(["structure", "patch"]),
      scope: z.string().optional(),
      origin,
      from: origin.extend({ name: z.string().optional() }).optional(),
      signature: z
        .object({
          before: z.string(),
          after: z.string(),
          parametersAdded: z.array(z.object({ name: z.string(), required: z.boolean() })),
          parametersRemoved: z.array(z.string()),
          defaultsChanged: z.array(z.object({ name: z.string(), from: z.string().optional(), to: z.string().optional() })),
          typesChanged: z.array(z.object({ name: z.string(), from: z.string().optional(), to: z.string().optional() })),
          returnsChanged: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
          modifiersAdded: z.array(z.string()),
          modifiersRemoved: z.array(z.string()),
          visibility: z.object({ from: z.string(), to: z.string() }).optional(),
          breaking: z.boolean(),
        })
        .optional(),
    }),
  ),
  tests: z.array(z.object({ name: z.string(), scope: z.enum(["function", "file"]), change: addedOrRemoved, origin })),
  docs: z.array(z.string()),
  ci: z.array(z.string()),
  signals: z.array(
    z.object({
      kind: z.enum(["timeout", "limit", "process-exec", "eval", "unsafe", "auth", "crypto", "secret", "network-listen", "permission"]),
      change: addedOrRemoved,
      text: z.string(),
      origin,
    }),
  ),
  unseen: z.object({
    truncatedFiles: z.array(z.string()),
    omittedPatchBytes: count,
    ignoredFiles: z.array(z.string()),
    structureFallback: z.array(z.object({ file: z.string(), reason: z.string() })),
    unreadableFiles: z.array(z.string()).optional(),
  }),
});

export const commitAnalysisSchema = z.object({
  sha: z.string(),
  analyzer: z.object({ name: z.string(), version: z.string() }),
  lang: z.enum(LANGUAGES),
  changeType: z.enum(CHANGE_TYPES),
  importance,
  score: z.number(),
  reasons: z.array(
    z.object({
      code: z.string(),
      weight: z.number(),
      params: z.record(z.string(), z.union([z.string(), z.number()])),
      text: z.string(),
    }),
  ),
  narrative: z.object({
    summary: z.string(),
    impact: z.array(z.string()),
    insights: z.array(z.object({ dimension: z.enum(INSIGHT_DIMENSIONS), points: z.array(z.string()) })),
    risks: z.array(z.string()),
    recommendations: z.array(z.object({ audience: z.enum(["maintainers", "users", "ci"]), text: z.string() })),
  }),
  notes: z.array(z.string()),
  llm: z
    .object({
      model: z.string(),
      usage: z.object({ input: count, output: count }),
      coverage: z.object({ full: z.array(z.string()), clipped: z.array(z.string()), nameOnly: z.array(z.string()) }),
      ungrounded: z.array(z.string()),
      opinions: z.object({
        rules: z.object({ importance, score: z.number() }),
        model: z.object({ importance, reasons: z.array(z.string()) }).optional(),
      }),
      fallback: z.object({ reason: z.enum(["failed", "spend-cap"]), detail: z.string() }).optional(),
    })
    .optional(),
});

const links = z.object({ commit: z.url().optional(), pullRequest: z.url().optional() });

const useKind = z.enum(["symbol", "env-var", "cli-flag", "config-key"]);
const useSiteSchema = z.object({ file: z.string(), line: z.number().int().positive(), text: z.string() });

/** One name the user's code uses that the commit changes (README: "What affects you"). */
export const affectedUseSchema = z.object({
  kind: useKind,
  name: z.string(),
  change: z.enum(["removed", "renamed", "moved", "signature", "default", "choices", "modified", "added"]),
  detail: z.string(),
  breaking: z.boolean(),
  origin,
  uses: z.array(z.object({ label: z.string(), site: useSiteSchema })),
  totalUses: count,
});

export const usageSummarySchema = z.object({
  label: z.string(),
  head: z.string().optional(),
  files: count,
  languages: z.array(z.enum(["python", "typescript", "javascript", "rust", "go", "c", "cpp"])),
  kinds: z.array(useKind),
  uses: count,
  dynamic: count,
});

export const reportCommitSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  shortSha: z.string(),
  title: z.string(),
  body: z.string(),
  author: person,
  committedAt: isoDateTime,
  links,
  prNumber: z.number().int().positive().optional(),
  pullRequest: z
    .object({
      number: z.number().int().positive(),
      title: z.string(),
      url: z.url(),
      author: z.string().optional(),
      labels: z.array(z.string()),
      reviewers: z.array(z.string()),
      linkedIssues: z.array(z.number().int().positive()),
      mergedAt: isoDateTime.optional(),
    })
    .optional(),
  changeType: z.enum(CHANGE_TYPES),
  importance,
  analysis: commitAnalysisSchema,
  facts: commitFactsSchema,
  affects: z.array(affectedUseSchema).optional(),
  stats: z.object({ files: count, additions: count, deletions: count, byKind: z.partialRecord(fileKind, count) }),
});

const importanceCounts = z.object({ high: count, medium: count, low: count });

const activityItem = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  url: z.url(),
  author: z.string().optional(),
  labels: z.array(z.string()),
  at: isoDateTime,
});

const repoActivitySchema = z.object({
  releases: z.array(
    z.object({
      tag: z.string(),
      name: z.string(),
      url: z.url(),
      publishedAt: isoDateTime,
      prerelease: z.boolean(),
      highlights: z.array(z.string()),
    }),
  ),
  tags: z.array(z.object({ name: z.string(), url: z.url().optional() })),
  pullRequests: z.object({ opened: z.array(activityItem), merged: z.array(activityItem), closed: z.array(activityItem) }),
  issues: z.object({ opened: z.array(activityItem), closed: z.array(activityItem) }),
  discussed: z.array(activityItem.extend({ kind: z.enum(["issue", "pull"]), newComments: count })),
  omitted: count,
});

export const repoReportSchema = z.object({
  name: z.string(),
  webUrl: z.url().optional(),
  branch: z.string(),
  commits: z.array(reportCommitSchema),
  counts: importanceCounts.extend({ total: count }),
  notices: z.array(z.string()),
  overview: z
    .object({
      themes: z.array(z.string()),
      readFirst: z.array(z.object({ sha: z.string(), shortSha: z.string(), why: z.string() })),
      model: z.string(),
    })
    .optional(),
  activity: repoActivitySchema.optional(),
  usage: z.array(usageSummarySchema).optional(),
  days: z.array(z.object({ day: z.iso.date(), counts: importanceCounts.extend({ total: count }) })).optional(),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  lang: z.enum(LANGUAGES),
  period: z.object({ label: z.string(), since: isoDateTime, until: isoDateTime, timezone: z.string() }),
  generatedAt: isoDateTime,
  generator: z.object({ name: z.literal("repo-digest"), version: z.string() }),
  repos: z.array(repoReportSchema),
  overview: z.object({
    repos: count,
    commits: count,
    counts: importanceCounts,
    highlights: z.array(z.object({ repo: z.string(), sha: z.string(), shortSha: z.string(), title: z.string() })),
    affectsYou: z.array(z.object({ repo: z.string(), sha: z.string(), shortSha: z.string(), title: z.string(), names: z.array(z.string()) })).optional(),
  }),
  notices: z.array(z.string()),
  llmUsage: z
    .object({ model: z.string(), input: count, output: count, cost: z.object({ amount: z.number().min(0), currency: z.string() }).optional() })
    .optional(),
  kind: z.enum(["daily", "digest"]).optional(),
});

export type ReportJson = z.infer<typeof reportSchema>;
