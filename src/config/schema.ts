import { z } from "zod";
import { LANGUAGES } from "../i18n/lang.js";

const REPORT_FORMATS = ["md", "json"] as const;

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
  /** Paths that raise importance (glob patterns). */
  criticalPaths: z.array(glob).default([]),
  /** Paths left out of analysis: generated, vendored, attributions (glob patterns). */
  ignorePaths: z.array(glob).default([]),
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

export const configSchema = z.strictObject({
  /** IANA zone the day is counted in; default: the system zone. */
  timezone: z.string().min(1).optional(),
  language: z.enum(LANGUAGES).default("zh-CN"),
  /** Where the store and mirrors live; default: the user's data directory. */
  dataDir: z.string().min(1).optional(),
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
  repos: z
    .array(
      repoConfigSchema.refine((repo) => (repo.path === undefined) !== (repo.url === undefined), {
        message: "exactly one of `path` or `url`",
      }),
    )
    .default([]),
});

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
