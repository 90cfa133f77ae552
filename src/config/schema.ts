import { Cron } from "croner";
import * as z from "zod";
import { deliveryConfigSchema } from "../delivery/registry.js";
import { PROVIDER_IDS } from "../analysis/llm/types.js";
import { LANGUAGES } from "../i18n/lang.js";
import { subscriptionsConfigSchema } from "../subscriptions/subscription-config.js";
import { providesSchema, usedBySchema } from "../usage/usage-config.js";

const REPORT_FORMATS = ["md", "json", "html"] as const;

const glob = z.string().min(1);

export const repoConfigSchema = z.strictObject({
  /** Display name, `owner/name`; default: from the URL, or the folder name. */
  name: z.string().min(1).optional(),
  /** Local path (read in place) … */
  path: z.string().min(1).optional(),
  /** … or clone URL (kept as a bare mirror in the data dir). */
  url: z.string().min(1).optional(),
  /** Default: the remote's default branch (HEAD for a local path). */
  branch: z.string().min(1).optional(),
  /**
   * How a `url` repository is mirrored (README: "Big repositories"): `full` (everything),
   * `blobless` (history and trees; file contents fetched per report, in one batch), or
   * `shallow` (only recent history, deepened when an older day is reported). Absent: `full`.
   */
  mirror: z.enum(["full", "blobless", "shallow"]).optional(),
  /** Paths that raise importance (glob patterns). */
  criticalPaths: z.array(glob).default([]),
  /** Paths left out of analysis: generated, vendored, attributions (glob patterns). */
  ignorePaths: z.array(glob).default([]),
  /** false: this repository's code never leaves the machine (rules analysis only). */
  llm: z.boolean().default(true),
  /**
   * Where commits come from: `git` (a clone or mirror), or `github-api` for a GitHub
   * repository read through the REST API without cloning it.
   */
  source: z.enum(["git", "github-api"]).default("git"),
  /** The GitHub repository as owner/name, when neither the URL nor the clone's origin says it. */
  github: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "owner/name, such as ai-dynamo/dynamo" }).optional(),
  /** false: no section of the day's releases, pull requests and issues for this repository. */
  activity: z.boolean().default(true),
  /** The user's own code (local paths) whose uses of this project's names mark a commit "affects you". */
  usedBy: usedBySchema,
  /** What this project offers under which names (Python packages, commands…), when its tree does not say it. */
  provides: providesSchema,
  /**
   * Link templates with {sha} and {number}; default: derived from the URL for
   * GitHub, GitLab and Gitea hosts.
   */
  links: z
    .strictObject({
      repo: z.string().url().optional(),
      commit: z.string().includes("{sha}", { message: "a URL template containing {sha}" }).optional(),
      pullRequest: z.string().includes("{number}", { message: "a URL template containing {number}" }).optional(),
    })
    .optional(),
});

/** GitHub (README: "GitHub"): PR context, the day's activity, the API-only source. */
export const githubConfigSchema = z.strictObject({
  /** The NAME of the environment variable with a token; default GITHUB_TOKEN, then GH_TOKEN. */
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "the name of an environment variable, such as GITHUB_TOKEN (not the token itself)" })
    .optional(),
  /** The REST API root; GitHub Enterprise Server: https://host/api/v3. Default: from each repository's host. */
  apiUrl: z.string().url().optional(),
  /** false: never ask GitHub (no PR context, no activity). */
  enabled: z.boolean().default(true),
});

/** `repo-digest daemon` (README: "Schedule"): when to report the previous day. */
export const scheduleConfigSchema = z.strictObject({
  /** Five-field cron, in `timezone` (default: the config's `timezone`, then the system zone). */
  cron: z
    .string()
    .min(1)
    .refine(isCron, { message: "a cron expression such as \"0 8 * * *\" (08:00 every day)" })
    .default("0 8 * * *"),
  timezone: z.string().min(1).optional(),
  /** After downtime, report at most this many missed days (the newest ones). */
  catchUpDays: z.number().int().min(1).max(366).default(7),
});

function isCron(expression: string): boolean {
  try {
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

/** The LLM analyzer (README: "LLM analysis"); absent means rules only. */
export const llmConfigSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS),
  model: z.string().min(1),
  baseUrl: z.string().url().optional(),
  /** The NAME of the environment variable holding the key, never the key. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "the name of an environment variable, such as OPENAI_API_KEY (not the key itself)" })
    .optional(),
  temperature: z.number().min(0).max(2).default(0.2),
  maxOutputTokens: z.number().int().min(256).max(32_000).default(1_500),
  concurrency: z.number().int().min(1).max(64).default(4),
  requestsPerMinute: z.number().int().min(1).optional(),
  tokensPerMinute: z.number().int().min(1).optional(),
  promptBudgetTokens: z.number().int().min(1_000).max(200_000).default(8_000),
  failureThreshold: z.number().min(0).max(1).default(0.2),
  timeoutMs: z.number().int().min(1_000).default(120_000),
  spendCap: z.strictObject({ tokens: z.number().int().min(1).optional(), cost: z.number().positive().optional() }).optional(),
  prices: z.strictObject({ input: z.number().min(0), output: z.number().min(0), currency: z.string().optional() }).optional(),
});

export const configSchema = z.strictObject({
  /** IANA zone the day is counted in; default: the system zone. */
  timezone: z.string().min(1).optional(),
  language: z.enum(LANGUAGES).default("zh-CN"),
  /** Where the store and mirrors live; default: the user's data directory. */
  dataDir: z.string().min(1).optional(),
  /**
   * The store: SQLite in the data directory by default, or PostgreSQL (`postgres://…`), which
   * workers on several machines share. REPO_DIGEST_DATABASE_URL overrides it.
   */
  store: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "a PostgreSQL URL, postgres://user@host:5432/database (leave it out for SQLite)")
    .optional(),
  /**
   * Redis for BullMQ workers (README: Running at scale): `report --queue`, the daemon and
   * `repo-digest worker` use it. REPO_DIGEST_QUEUE_URL overrides the URL.
   */
  queue: z
    .union([
      z.string().regex(/^rediss?:\/\//, "a Redis URL, redis://host:6379"),
      z.strictObject({
        url: z.string().regex(/^rediss?:\/\//, "a Redis URL, redis://host:6379"),
        /** Keys of this deployment start with it: several deployments can share one Redis. */
        prefix: z.string().min(1).default("repo-digest"),
        /** How long a job stays a worker's before another takes it over, if that worker stopped answering. */
        lockDurationMs: z.number().int().min(1_000).default(30_000),
      }),
    ])
    .optional(),
  output: z
    .strictObject({
      dir: z.string().min(1).default("reports"),
      formats: z.array(z.enum(REPORT_FORMATS)).min(1).default(["md"]),
    })
    .default({ dir: "reports", formats: ["md"] }),
  analysis: z
    .strictObject({
      weights: z.record(z.string(), z.number()).default({}),
      thresholds: z.strictObject({ high: z.number().optional(), medium: z.number().optional() }).default({}),
    })
    .default({ weights: {}, thresholds: {} }),
  llm: llmConfigSchema.optional(),
  github: githubConfigSchema.default({ enabled: true }),
  schedule: scheduleConfigSchema.default({ cron: "0 8 * * *", catchUpDays: 7 }),
  /** Where reports go besides the output folder: feed, e-mail, chat webhooks (README: Delivery). */
  delivery: deliveryConfigSchema.optional(),
  /** Saved filters, each with a channel: only the matching commits go to it (README: Delivery → Subscriptions). */
  subscriptions: subscriptionsConfigSchema,
  repos: z
    .array(
      repoConfigSchema.refine((repo) => (repo.path === undefined) !== (repo.url === undefined), {
        message: "exactly one of `path` or `url`",
      }),
    )
    .default([]),
});

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type LlmConfig = z.infer<typeof llmConfigSchema>;
export type GitHubConfig = z.infer<typeof githubConfigSchema>;
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
