import * as z from "zod";
import { ExternalServiceError } from "../../errors.js";
import type { PullRequestContext } from "../../report/types.js";
import { SERVICE } from "../../github/map-error.js";
import { scrubToken } from "../../github/scrub.js";
import type { GitHubClient, PullRequestInfo } from "../../github/types.js";

const DEFAULT_BATCH_SIZE = 50;
const MAX_LABELS = 20;
const MAX_REVIEWERS = 20;

// Reviews are fetched deeper than the reviewer cap because one person often reviews several times.
// https://docs.github.com/en/graphql/reference/objects#pullrequest
const PULL_REQUEST_FRAGMENT = `
fragment PullRequestFields on PullRequest {
  number
  title
  body
  url
  state
  mergedAt
  author { login }
  labels(first: ${MAX_LABELS}) { nodes { name } }
  reviews(first: 50) { nodes { author { login } } }
  closingIssuesReferences(first: 20) { nodes { number } }
}`;

const loginSchema = z.object({ login: z.string() }).nullish();
const pullRequestNodeSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullish(),
  url: z.string(),
  state: z.enum(["OPEN", "CLOSED", "MERGED"]),
  mergedAt: z.string().nullish(),
  author: loginSchema,
  labels: z.object({ nodes: z.array(z.object({ name: z.string() }).nullable()).nullish() }).nullish(),
  reviews: z.object({ nodes: z.array(z.object({ author: loginSchema }).nullable()).nullish() }).nullish(),
  closingIssuesReferences: z
    .object({ nodes: z.array(z.object({ number: z.number().int() }).nullable()).nullish() })
    .nullish(),
});
type PullRequestNode = z.infer<typeof pullRequestNodeSchema>;

const commitNodeSchema = z
  .object({ associatedPullRequests: z.object({ nodes: z.array(pullRequestNodeSchema.nullable()).nullish() }).nullish() })
  .nullable();

/**
 * Reads many pull requests in one GraphQL request each batch, one alias per number
 * (`pr123: pullRequest(number: 123)`). Numbers GitHub does not know are left out of the map.
 */
export async function fetchPullRequests(
  client: GitHubClient,
  owner: string,
  repo: string,
  numbers: number[],
  options: { batchSize?: number } = {},
): Promise<Map<number, PullRequestInfo>> {
  const wanted = [...new Set(numbers.filter((number) => Number.isSafeInteger(number) && number > 0))];
  const result = new Map<number, PullRequestInfo>();
  for (const batch of chunk(wanted, options.batchSize ?? DEFAULT_BATCH_SIZE)) {
    const fields = batch.map((number) => `pr${number}: pullRequest(number: ${number}) { ...PullRequestFields }`);
    const repository = await queryRepository(client, owner, repo, fields);
    for (const number of batch) {
      const node = parseNode(pullRequestNodeSchema.nullish(), repository[`pr${number}`], owner, repo);
      if (node) result.set(number, toPullRequestInfo(node));
    }
  }
  return result;
}

/**
 * For commits whose message names no PR: the pull request GitHub associates with each commit
 * (`object(oid:) { ... on Commit { associatedPullRequests(first: 1) } }`), batched like
 * fetchPullRequests. Keys are the shas as passed; commits without a PR, and shas that are not
 * full object ids, are left out.
 */
export async function findPullRequestsForCommits(
  client: GitHubClient,
  owner: string,
  repo: string,
  shas: string[],
  options: { batchSize?: number } = {},
): Promise<Map<string, PullRequestInfo>> {
  // GitObjectID must be a full id (SHA-1 or SHA-256); validating also keeps the query well formed.
  const wanted = [...new Set(shas.filter((sha) => /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(sha)))];
  const result = new Map<string, PullRequestInfo>();
  for (const batch of chunk(wanted, options.batchSize ?? DEFAULT_BATCH_SIZE)) {
    const fields = batch.map(
      (sha, index) =>
        `c${index}: object(oid: "${sha}") { ... on Commit { associatedPullRequests(first: 1) { nodes { ...PullRequestFields } } } }`,
    );
    const repository = await queryRepository(client, owner, repo, fields);
    batch.forEach((sha, index) => {
      const commit = parseNode(commitNodeSchema.nullish(), repository[`c${index}`], owner, repo);
      const node = commit?.associatedPullRequests?.nodes?.[0];
      if (node) result.set(sha, toPullRequestInfo(node));
    });
  }
  return result;
}

/** The report's view of a pull request. */
export function toPullRequestContext(info: PullRequestInfo): PullRequestContext {
  return {
    number: info.number,
    title: info.title,
    url: info.url,
    ...(info.author === undefined ? {} : { author: info.author }),
    labels: info.labels,
    reviewers: info.reviewers,
    linkedIssues: info.linkedIssues,
    ...(info.mergedAt === undefined ? {} : { mergedAt: info.mergedAt }),
  };
}

async function queryRepository(
  client: GitHubClient,
  owner: string,
  repo: string,
  fields: string[],
): Promise<Record<string, unknown>> {
  const query = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    ${fields.join("\n    ")}
  }
}
${PULL_REQUEST_FRAGMENT}`;
  let data: unknown;
  try {
    data = await client.graphql(query, { owner, name: repo });
  } catch (error) {
    data = await readPartialData(error, owner, repo);
  }
  const repository = (data as { repository?: unknown } | null | undefined)?.repository;
  if (repository === null || repository === undefined) throw notFound(owner, repo);
  return repository as Record<string, unknown>;
}

/**
 * GitHub answers a batch with unknown numbers with data plus NOT_FOUND errors for those aliases;
 * the rest of the batch is still good. Any other error fails the batch.
 */
async function readPartialData(error: unknown, owner: string, repo: string): Promise<unknown> {
  // Imported here: the client that threw has loaded it already, and a run without GitHub never does.
  const { GraphqlResponseError } = await import("@octokit/graphql");
  if (!(error instanceof GraphqlResponseError)) throw error;
  const errors = (error.errors ?? []) as Array<{ type?: string; path?: unknown[]; message?: string }>;
  if (errors.some((entry) => entry.type === "NOT_FOUND" && entry.path?.length === 1)) throw notFound(owner, repo);
  const fatal = errors.find((entry) => entry.type !== "NOT_FOUND");
  if (fatal !== undefined) {
    throw new ExternalServiceError(SERVICE, `GraphQL query for ${owner}/${repo} failed: ${scrubToken(fatal.message ?? "unknown error", undefined)}`, {
      status: fatal.type,
    });
  }
  return error.data;
}

function notFound(owner: string, repo: string): ExternalServiceError {
  return new ExternalServiceError(
    SERVICE,
    `repository ${owner}/${repo} not found: no such repository, or the token cannot see it (private repositories need a token with repo scope)`,
    { status: 404 },
  );
}

function parseNode<T>(schema: z.ZodType<T>, value: unknown, owner: string, repo: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ExternalServiceError(SERVICE, `unexpected GraphQL answer for pull requests of ${owner}/${repo}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return parsed.data;
}

function toPullRequestInfo(node: PullRequestNode): PullRequestInfo {
  const author = node.author?.login;
  const reviewers = [
    ...new Set(
      (node.reviews?.nodes ?? [])
        .map((review) => review?.author?.login)
        .filter((login): login is string => login !== undefined && login !== author),
    ),
  ].slice(0, MAX_REVIEWERS);
  return {
    number: node.number,
    title: node.title,
    body: node.body ?? "",
    url: node.url,
    ...(author === undefined ? {} : { author }),
    labels: (node.labels?.nodes ?? []).flatMap((label) => (label ? [label.name] : [])).slice(0, MAX_LABELS),
    reviewers,
    linkedIssues: [...new Set((node.closingIssuesReferences?.nodes ?? []).flatMap((issue) => (issue ? [issue.number] : [])))],
    ...(node.mergedAt ? { mergedAt: node.mergedAt } : {}),
    state: node.state,
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += step) chunks.push(items.slice(index, index + step));
  return chunks;
}
