/**
 * The parts of GitHub's commit responses the API source reads, validated before use:
 * a proxy, an Enterprise version or a changed API must fail here with a clear
 * message, not deep in the facts. Everything else in the responses is stripped.
 *
 * https://docs.github.com/en/rest/commits/commits#list-commits
 * https://docs.github.com/en/rest/commits/commits#get-a-commit
 */
import * as z from "zod";

const count = z.number().int().nonnegative();

/** Git identity of a commit; GitHub sends null fields for some imported histories. */
const gitSignatureSchema = z
  .object({
    name: z.string().nullish(),
    email: z.string().nullish(),
    date: z.string().nullish(),
  })
  .nullish();

const parentSchema = z.object({ sha: z.string() });

/** One entry of `GET /repos/{owner}/{repo}/commits`: enough to walk first parents and filter by date. */
export const listedCommitSchema = z.object({
  sha: z.string(),
  commit: z.object({ committer: gitSignatureSchema }),
  parents: z.array(parentSchema),
});
export type ListedCommit = z.infer<typeof listedCommitSchema>;

export const listedCommitsSchema = z.array(listedCommitSchema);

/**
 * One changed file of `GET /repos/{owner}/{repo}/commits/{sha}`. `patch` is absent for
 * binary files and for diffs GitHub finds too large to send.
 */
export const commitFileSchema = z.object({
  filename: z.string(),
  status: z.string(),
  additions: count,
  deletions: count,
  patch: z.string().nullish(),
  previous_filename: z.string().nullish(),
  /** Blob SHA of the file after the change (before, for a removal). */
  sha: z.string().nullish(),
});
export type CommitFile = z.infer<typeof commitFileSchema>;

/** `GET /repos/{owner}/{repo}/commits/{sha}`; each page of files repeats the rest. */
export const commitDetailSchema = z.object({
  sha: z.string(),
  commit: z.object({
    message: z.string(),
    author: gitSignatureSchema,
    committer: gitSignatureSchema,
  }),
  parents: z.array(parentSchema),
  /** Line totals of the whole commit, also of files past the API's file limit. */
  stats: z.object({ additions: count, deletions: count }).partial().nullish(),
  files: z.array(commitFileSchema).nullish(),
});
export type CommitDetail = z.infer<typeof commitDetailSchema>;

/** `GET /repos/{owner}/{repo}` */
export const repositorySchema = z.object({
  full_name: z.string().optional(),
  default_branch: z.string(),
});

/** `GET /repos/{owner}/{repo}/branches/{branch}` */
export const branchSchema = z.object({
  name: z.string(),
  commit: z.object({ sha: z.string() }),
});
