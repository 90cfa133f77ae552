/**
 * A local stand-in for the GitHub REST and GraphQL APIs, answering from an in-memory fixture in
 * the shapes GitHub documents (https://docs.github.com/en/rest), with the behaviours clients
 * must cope with: Link-header pagination, ETag / 304, primary and secondary rate limits,
 * 401, 404 and slow answers. Every request is logged so tests can assert what was fetched.
 *
 *   const server = await startGitHubServer({ tokens: ["t0ken"], repos: [{ owner: "o", name: "r", commits }] });
 *   const client = createGitHubClient({ token: "t0ken", baseUrl: server.url });
 *   ...
 *   await server.close();
 *
 * `server.url` is the REST base URL; GraphQL is at `${url}/graphql`. The same routes also answer
 * under `/api/v3` (GitHub Enterprise Server layout), with GraphQL at `/api/graphql`.
 *
 * REST routes: GET /repos/{o}/{r}, /repos/{o}/{r}/branches/{branch}, /repos/{o}/{r}/commits
 * (sha, since, until, per_page, page), /repos/{o}/{r}/commits/{ref} (files paged by 300),
 * /repos/{o}/{r}/commits/{sha}/pulls, /repos/{o}/{r}/releases, /repos/{o}/{r}/tags,
 * /repos/{o}/{r}/issues/comments (since), /repos/{o}/{r}/issues/{n}, /repos/{o}/{r}/pulls/{n},
 * /search/issues (q with repo:, is:/type:, state, created:/closed:/merged:/updated: ranges,
 * label:, author:), /rate_limit, /orgs/{org}/repos and /users/{user}/repos (type, per_page, page;
 * sorted by name; 404 for a login that is neither an organisation nor a repository owner).
 * GraphQL: repository(owner, name) { pullRequest(number) { ... } object(oid) { ... on Commit {
 * associatedPullRequests(first) } } } with the PullRequest fields listed in `resolvePullRequest`;
 * unknown fields answer a GraphQL error, as GitHub does.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// ---------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------

export interface GitHubFixture {
  /** Tokens the server accepts. Any other token gets 401; no token may read public repositories. */
  tokens?: string[];
  repos: FixtureRepo[];
  /** Web host for html_url fields (default https://github.com). */
  webUrl?: string;
  /** Files per page of `GET /repos/{o}/{r}/commits/{ref}` (GitHub: 300). */
  commitFilesPerPage?: number;
  /** Logins that are organisations (`GET /orgs/{org}/repos`); every other repository owner is a user. */
  organizations?: string[];
}

export interface FixtureRepo {
  owner: string;
  name: string;
  /** A private repository answers 404 to requests without an accepted token. */
  private?: boolean;
  defaultBranch?: string;
  /** Any order; lists sort them newest first by committer date. */
  commits?: FixtureCommit[];
  pullRequests?: FixturePullRequest[];
  issues?: FixtureIssue[];
  releases?: FixtureRelease[];
  /** Comments on issues and pull requests (the conversation tab). */
  comments?: FixtureComment[];
  tags?: Array<{ name: string; sha: string }>;
  archived?: boolean;
  /** A fork of another repository (`fork: true` in REST answers). */
  fork?: boolean;
}

export interface FixtureSignature {
  name: string;
  email: string;
  /** ISO 8601. */
  date: string;
  /** GitHub account the email maps to; absent means `author: null` in REST answers. */
  login?: string;
}

export interface FixtureCommit {
  sha: string;
  message: string;
  author: FixtureSignature;
  /** Defaults to the author. */
  committer?: FixtureSignature;
  parents?: string[];
  /** Branches whose history holds the commit (default: the repository's default branch). */
  branches?: string[];
  files?: FixtureFile[];
}

export interface FixtureFile {
  filename: string;
  status?: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions?: number;
  deletions?: number;
  /** Absent for binary files and diffs too large for the API, as on GitHub. */
  patch?: string;
  previousFilename?: string;
}

export interface FixturePullRequest {
  number: number;
  title: string;
  body?: string;
  author?: string;
  labels?: string[];
  state: "open" | "closed" | "merged";
  createdAt: string;
  closedAt?: string;
  /** Required when state is "merged"; closedAt defaults to it. */
  mergedAt?: string;
  /** Logins that submitted reviews, in order (repeats allowed, as on GitHub). */
  reviewers?: string[];
  /** Issues the PR closes (closingIssuesReferences). */
  closingIssues?: number[];
  /** Commits associated with the PR (for associatedPullRequests and /commits/{sha}/pulls). */
  commits?: string[];
  /** Number of conversation comments (the `comments` field of search results). */
  comments?: number;
  draft?: boolean;
}

export interface FixtureIssue {
  number: number;
  title: string;
  body?: string;
  author?: string;
  labels?: string[];
  state: "open" | "closed";
  createdAt: string;
  closedAt?: string;
  comments?: number;
}

export interface FixtureRelease {
  id?: number;
  tagName: string;
  name?: string;
  body?: string;
  /** Drafts are visible only with an accepted token. */
  draft?: boolean;
  prerelease?: boolean;
  createdAt: string;
  /** Null for drafts. */
  publishedAt?: string;
  author?: string;
}

export interface FixtureComment {
  id?: number;
  issueNumber: number;
  author?: string;
  authorType?: "User" | "Bot";
  body?: string;
  createdAt: string;
  updatedAt?: string;
}

/** What a fault applies to: a substring or pattern of "METHOD /path?query" (prefix /api/v3 removed). */
export type RequestMatch = string | RegExp;

export type GitHubFault =
  /** 403 with x-ratelimit-remaining: 0 until `resetInSeconds` after the first match; then answers normally. */
  | { kind: "rate-limit"; match?: RequestMatch; resetInSeconds: number; status?: 403 | 429 }
  /** `times` answers of 403 "secondary rate limit", with Retry-After when `retryAfterSeconds` is set. */
  | { kind: "secondary-rate-limit"; match?: RequestMatch; times?: number; retryAfterSeconds?: number }
  /** `times` answers (default: all) with this status and GitHub's error body. */
  | { kind: "status"; match?: RequestMatch; status: number; message?: string; times?: number }
  /** Answers matching requests after `delayMs`. */
  | { kind: "slow"; match?: RequestMatch; delayMs: number; times?: number }
  /** Requests without a token beyond `limit` get GitHub's unauthenticated rate limit 403 (60 per hour). */
  | { kind: "anonymous-limit"; limit: number };

export interface LoggedRequest {
  method: string;
  /** Path and query as sent, e.g. "/repos/o/r/commits?per_page=100". */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface GitHubServer {
  /** REST base URL (pass as `baseUrl`). */
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class HttpAnswer extends Error {
  constructor(readonly answer: Answer) {
    super(`HTTP ${answer.status}`);
  }
}

const DOCS = "https://docs.github.com/rest";
const HOUR_SECONDS = 3600;

export async function startGitHubServer(fixture: GitHubFixture, faults: GitHubFault[] = []): Promise<GitHubServer> {
  const requests: LoggedRequest[] = [];
  const state = faults.map((fault) => ({ fault, used: 0, resetAt: undefined as number | undefined }));
  let anonymousCount = 0;

  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const method = req.method ?? "GET";
      const rawPath = req.url ?? "/";
      const prefix = rawPath.startsWith("/api/v3/") || rawPath === "/api/v3" ? "/api/v3" : "";
      const host = `http://${req.headers.host ?? "127.0.0.1"}`;
      const url = new URL(rawPath.slice(prefix.length) || "/", host);
      const graphqlPath = rawPath.startsWith("/api/graphql") ? "/graphql" : url.pathname;
      const described = `${method} ${url.pathname}${url.search}`;
      const token = readToken(req.headers.authorization);
      const authorized = token !== undefined && (fixture.tokens ?? []).includes(token);

      let answer: Answer;
      try {
        for (const entry of state) {
          const { fault } = entry;
          if (fault.kind === "anonymous-limit" || !matches(fault.match, described)) continue;
          if (fault.kind === "slow" && entry.used < (fault.times ?? Infinity)) {
            entry.used += 1;
            await delay(fault.delayMs);
          }
        }
        answer = applyFaults(described, token) ?? route(method, url, graphqlPath, body, {
          token,
          authorized,
          apiBase: `${host}${prefix}`,
        });
      } catch (error) {
        answer = error instanceof HttpAnswer ? error.answer : { status: 500, body: { message: String(error) } };
      }
      const status = send(req, res, answer, token !== undefined);
      requests.push({ method, path: rawPath, headers: req.headers, body, status });
    });
  });

  function applyFaults(described: string, token: string | undefined): Answer | undefined {
    if (token === undefined) {
      const limit = faults.find((fault) => fault.kind === "anonymous-limit");
      if (limit !== undefined && ++anonymousCount > limit.limit) {
        return rateLimitAnswer(403, Math.floor(Date.now() / 1000) + HOUR_SECONDS, anonymousMessage());
      }
    }
    for (const entry of state) {
      const { fault } = entry;
      if (fault.kind === "anonymous-limit" || fault.kind === "slow" || !matches(fault.match, described)) continue;
      if (fault.kind === "rate-limit") {
        entry.resetAt ??= Date.now() + fault.resetInSeconds * 1000;
        if (Date.now() < entry.resetAt) {
          const message = token === undefined ? anonymousMessage() : "API rate limit exceeded for user ID 1.";
          return rateLimitAnswer(fault.status ?? 403, Math.ceil(entry.resetAt / 1000), message);
        }
        continue;
      }
      if (entry.used >= (fault.times ?? Infinity)) continue;
      entry.used += 1;
      if (fault.kind === "secondary-rate-limit") {
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
        return {
          status: 403,
          headers,
          body: {
            message:
              "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
            documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          },
        };
      }
      return errorAnswer(fault.status, fault.message ?? defaultMessage(fault.status));
    }
    return undefined;
  }

  function route(
    method: string,
    url: URL,
    graphqlPath: string,
    body: string,
    auth: { token: string | undefined; authorized: boolean; apiBase: string },
  ): Answer {
    if (auth.token !== undefined && !auth.authorized) return errorAnswer(401, "Bad credentials");
    const context: RouteContext = { fixture, url, auth, webUrl: fixture.webUrl ?? "https://github.com" };
    if (method === "POST" && graphqlPath === "/graphql") {
      if (auth.token === undefined) return errorAnswer(401, "This endpoint requires you to be authenticated.");
      return answerGraphQL(context, body);
    }
    if (method !== "GET") return errorAnswer(404, "Not Found");
    return answerRest(context);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(req: IncomingMessage, res: ServerResponse, answer: Answer, authenticated: boolean): number {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-github-media-type": "github.v3; format=json",
    "x-ratelimit-limit": authenticated ? "5000" : "60",
    "x-ratelimit-remaining": authenticated ? "4999" : "59",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + HOUR_SECONDS),
    "x-ratelimit-resource": "core",
    ...answer.headers,
  };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return answer.status;
  }
  const text = JSON.stringify(answer.body);
  if (answer.status === 200 && req.method === "GET") {
    // GitHub's validators are weak ETags over the representation.
    const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 40)}"`;
    headers.etag = etag;
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(etag)) {
      delete headers["content-type"];
      res.writeHead(304, headers).end();
      return 304;
    }
  }
  res.writeHead(answer.status, headers).end(text);
  return answer.status;
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

interface RouteContext {
  fixture: GitHubFixture;
  url: URL;
  auth: { token: string | undefined; authorized: boolean; apiBase: string };
  webUrl: string;
}

function answerRest(context: RouteContext): Answer {
  const { url } = context;
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "/rate_limit") return answerRateLimit(context);
  if (path === "/search/issues") return answerSearch(context);
  const ownerMatch = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(path);
  if (ownerMatch !== null) return answerOwnerRepos(context, ownerMatch[1] === "orgs", decodeURIComponent(ownerMatch[2] ?? ""));
  const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (repoMatch === null) return errorAnswer(404, "Not Found");
  const repo = findRepo(context, decodeURIComponent(repoMatch[1] ?? ""), decodeURIComponent(repoMatch[2] ?? ""));
  if (repo === undefined) return errorAnswer(404, "Not Found");
  const rest = repoMatch[3] ?? "";
  let match: RegExpExecArray | null;
  if (rest === "") return { status: 200, body: renderRepo(context, repo) };
  if ((match = /^\/branches\/(.+)$/.exec(rest))) return answerBranch(context, repo, decodeURIComponent(match[1] ?? ""));
  if (rest === "/commits") return answerCommitList(context, repo);
  if ((match = /^\/commits\/([^/]+)\/pulls$/.exec(rest))) return answerCommitPulls(context, repo, match[1] ?? "");
  if ((match = /^\/commits\/([^/]+)$/.exec(rest))) return answerCommit(context, repo, decodeURIComponent(match[1] ?? ""));
  if (rest === "/releases") return paginate(context, visibleReleases(context, repo).map((r) => renderRelease(context, repo, r)));
  if (rest === "/tags") return paginate(context, (repo.tags ?? []).map((tag) => renderTag(context, repo, tag)));
  if (rest === "/issues/comments") return answerComments(context, repo);
  if ((match = /^\/issues\/(\d+)$/.exec(rest))) return answerIssue(context, repo, Number(match[1]));
  if ((match = /^\/pulls\/(\d+)$/.exec(rest))) {
    const pull = repo.pullRequests?.find((candidate) => candidate.number === Number(match?.[1]));
    if (pull === undefined) return errorAnswer(404, "Not Found");
    return { status: 200, body: renderPull(context, repo, pull) };
  }
  return errorAnswer(404, "Not Found");
}

/**
 * https://docs.github.com/en/rest/repos/repos#list-organization-repositories and
 * #list-repositories-for-a-user: an organisation lists its private repositories to an accepted
 * token (type all, public, private, forks, sources); a user's list is public only. `/users/{org}`
 * answers for an organisation too, as on GitHub; `/orgs/{user}` is a 404.
 */
function answerOwnerRepos(context: RouteContext, asOrg: boolean, login: string): Answer {
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const isOrg = (context.fixture.organizations ?? []).some((org) => same(org, login));
  const owned = context.fixture.repos.filter((repo) => same(repo.owner, login));
  if (asOrg ? !isOrg : !isOrg && owned.length === 0) return errorAnswer(404, "Not Found");
  const type = context.url.searchParams.get("type") ?? (asOrg ? "all" : "owner");
  const listed = owned
    .filter((repo) => !repo.private || (asOrg && context.auth.authorized))
    .filter((repo) => {
      if (type === "public") return !repo.private;
      if (type === "private") return repo.private === true;
      if (type === "forks") return repo.fork === true;
      if (type === "sources") return repo.fork !== true;
      return true;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return paginate(context, listed.map((repo) => renderRepo(context, repo)));
}

function findRepo(context: RouteContext, owner: string, name: string): FixtureRepo | undefined {
  const repo = context.fixture.repos.find(
    (candidate) => candidate.owner.toLowerCase() === owner.toLowerCase() && candidate.name.toLowerCase() === name.toLowerCase(),
  );
  if (repo?.private && !context.auth.authorized) return undefined;
  return repo;
}

function answerRateLimit(context: RouteContext): Answer {
  const limit = context.auth.authorized ? 5000 : 60;
  const core = { limit, used: 1, remaining: limit - 1, reset: Math.floor(Date.now() / 1000) + HOUR_SECONDS };
  return { status: 200, body: { resources: { core, search: { ...core, limit: 30, remaining: 29 } }, rate: core } };
}

function answerBranch(context: RouteContext, repo: FixtureRepo, branch: string): Answer {
  const head = sortCommits(commitsOnBranch(repo, branch))[0];
  if (head === undefined) return errorAnswer(404, "Branch not found");
  return {
    status: 200,
    body: {
      name: branch,
      commit: renderCommit(context, repo, head),
      protected: false,
      _links: { self: `${repoApi(context, repo)}/branches/${branch}`, html: `${repoWeb(context, repo)}/tree/${branch}` },
    },
  };
}

function answerCommitList(context: RouteContext, repo: FixtureRepo): Answer {
  const params = context.url.searchParams;
  const ref = params.get("sha") ?? repo.defaultBranch ?? "main";
  const start = findCommit(repo, ref);
  const commits = start === undefined ? commitsOnBranch(repo, ref) : ancestorsOf(repo, start);
  if (commits.length === 0 && start === undefined && !branchExists(repo, ref)) return errorAnswer(404, "Not Found");
  const since = readTime(params.get("since"));
  const until = readTime(params.get("until"));
  const selected = sortCommits(commits).filter((commit) => {
    const time = Date.parse((commit.committer ?? commit.author).date);
    return (since === undefined || time >= since) && (until === undefined || time <= until);
  });
  return paginate(context, selected.map((commit) => renderCommit(context, repo, commit)));
}

function answerCommit(context: RouteContext, repo: FixtureRepo, ref: string): Answer {
  const commit = findCommit(repo, ref) ?? sortCommits(commitsOnBranch(repo, ref))[0];
  if (commit === undefined) return errorAnswer(422, `No commit found for SHA: ${ref}`);
  const files = commit.files ?? [];
  const perPage = context.fixture.commitFilesPerPage ?? 300;
  const page = Math.max(1, Number(context.url.searchParams.get("page") ?? "1") || 1);
  const pageFiles = files.slice((page - 1) * perPage, page * perPage);
  const additions = files.reduce((sum, file) => sum + (file.additions ?? 0), 0);
  const deletions = files.reduce((sum, file) => sum + (file.deletions ?? 0), 0);
  return {
    status: 200,
    headers: linkHeaders(context, page, Math.max(1, Math.ceil(files.length / perPage))),
    body: {
      ...renderCommit(context, repo, commit),
      stats: { total: additions + deletions, additions, deletions },
      files: pageFiles.map((file) => renderFile(context, repo, commit, file)),
    },
  };
}

function answerCommitPulls(context: RouteContext, repo: FixtureRepo, sha: string): Answer {
  const commit = findCommit(repo, sha);
  if (commit === undefined) return errorAnswer(422, `No commit found for SHA: ${sha}`);
  const pulls = (repo.pullRequests ?? []).filter((pull) => pull.commits?.includes(commit.sha));
  return paginate(context, pulls.map((pull) => renderPull(context, repo, pull)));
}

function answerComments(context: RouteContext, repo: FixtureRepo): Answer {
  const params = context.url.searchParams;
  const since = readTime(params.get("since"));
  const direction = params.get("direction") ?? "asc";
  const sortKey = params.get("sort") === "updated" ? "updated" : "created";
  const comments = (repo.comments ?? [])
    .filter((comment) => since === undefined || Date.parse(comment.updatedAt ?? comment.createdAt) >= since)
    .sort((a, b) => {
      const key = (comment: FixtureComment): number =>
        Date.parse(sortKey === "updated" ? (comment.updatedAt ?? comment.createdAt) : comment.createdAt);
      return direction === "desc" ? key(b) - key(a) : key(a) - key(b);
    });
  return paginate(context, comments.map((comment) => renderComment(context, repo, comment)));
}

function answerIssue(context: RouteContext, repo: FixtureRepo, number: number): Answer {
  const issue = repo.issues?.find((candidate) => candidate.number === number);
  if (issue !== undefined) return { status: 200, body: renderIssueLike(context, repo, issueAsItem(issue)) };
  const pull = repo.pullRequests?.find((candidate) => candidate.number === number);
  if (pull !== undefined) return { status: 200, body: renderIssueLike(context, repo, pullAsItem(pull)) };
  return errorAnswer(404, "Not Found");
}

/** https://docs.github.com/en/search-github/searching-on-github/searching-issues-and-pull-requests */
function answerSearch(context: RouteContext): Answer {
  const params = context.url.searchParams;
  const query = params.get("q") ?? "";
  const terms = query.split(/\s+/).filter((term) => term.length > 0);
  const repoTerms = terms.filter((term) => term.startsWith("repo:")).map((term) => term.slice("repo:".length));
  const repos = repoTerms.map((slug) => {
    const [owner, name] = slug.split("/");
    return findRepo(context, owner ?? "", name ?? "");
  });
  if (repoTerms.length === 0 || repos.some((repo) => repo === undefined)) {
    return {
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [
          {
            message:
              "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.",
            resource: "Search",
            field: "q",
            code: "invalid",
          },
        ],
        documentation_url: "https://docs.github.com/v3/search/",
      },
    };
  }
  const items: Array<{ repo: FixtureRepo; item: IssueLikeItem }> = [];
  for (const repo of repos) {
    if (repo === undefined) continue;
    for (const issue of repo.issues ?? []) items.push({ repo, item: issueAsItem(issue) });
    for (const pull of repo.pullRequests ?? []) items.push({ repo, item: pullAsItem(pull) });
  }
  const filtered = items.filter(({ item }) => terms.every((term) => matchesSearchTerm(item, term)));
  const sort = params.get("sort");
  const order = params.get("order") === "asc" ? 1 : -1;
  filtered.sort((a, b) => {
    const key = (item: IssueLikeItem): number =>
      sort === "comments" ? item.comments : Date.parse(sort === "updated" ? item.updatedAt : item.createdAt);
    return order * (key(a.item) - key(b.item)) || order * (a.item.number - b.item.number);
  });
  const rendered = filtered.map(({ repo, item }) => ({ ...renderIssueLike(context, repo, item), score: 1 }));
  const { perPage, page } = readPaging(context.url, 30);
  const slice = rendered.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    headers: linkHeaders(context, page, Math.max(1, Math.ceil(rendered.length / perPage))),
    body: { total_count: rendered.length, incomplete_results: false, items: slice },
  };
}

function matchesSearchTerm(item: IssueLikeItem, term: string): boolean {
  const separator = term.indexOf(":");
  if (separator < 0) return `${item.title}\n${item.body}`.toLowerCase().includes(term.toLowerCase());
  const key = term.slice(0, separator);
  const value = term.slice(separator + 1).replace(/^"|"$/g, "");
  switch (key) {
    case "repo":
      return true;
    case "is":
    case "type":
    case "state":
      if (value === "pr" || value === "pull-request") return item.kind === "pull";
      if (value === "issue") return item.kind === "issue";
      if (value === "open") return item.state === "open";
      if (value === "closed") return item.state === "closed";
      if (value === "merged") return item.mergedAt !== undefined;
      if (value === "unmerged") return item.kind === "pull" && item.state === "closed" && item.mergedAt === undefined;
      return true;
    case "label":
      return item.labels.some((label) => label.toLowerCase() === value.toLowerCase());
    case "author":
      return item.author === value;
    case "created":
      return inRange(item.createdAt, value);
    case "updated":
      return inRange(item.updatedAt, value);
    case "closed":
      return item.closedAt !== undefined && inRange(item.closedAt, value);
    case "merged":
      return item.mergedAt !== undefined && inRange(item.mergedAt, value);
    default:
      return true;
  }
}

/** Search date qualifiers: `A..B` (inclusive), `>=A`, `>A`, `<=A`, `<A`, `A`; a bare date means the whole day. */
function inRange(iso: string, range: string): boolean {
  const time = Date.parse(iso);
  const start = (value: string): number => Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  const end = (value: string): number =>
    value.length === 10 ? Date.parse(`${value}T00:00:00Z`) + 86_400_000 - 1 : Date.parse(value);
  if (range.includes("..")) {
    const [from = "*", to = "*"] = range.split("..");
    return (from === "*" || time >= start(from)) && (to === "*" || time <= end(to));
  }
  if (range.startsWith(">=")) return time >= start(range.slice(2));
  if (range.startsWith(">")) return time > end(range.slice(1));
  if (range.startsWith("<=")) return time <= end(range.slice(2));
  if (range.startsWith("<")) return time < start(range.slice(1));
  return time >= start(range) && time <= end(range);
}

// ---------------------------------------------------------------------------------------------
// Rendering, in the documented REST shapes
// ---------------------------------------------------------------------------------------------

function repoApi(context: RouteContext, repo: FixtureRepo): string {
  return `${context.auth.apiBase}/repos/${repo.owner}/${repo.name}`;
}

function repoWeb(context: RouteContext, repo: FixtureRepo): string {
  return `${context.webUrl}/${repo.owner}/${repo.name}`;
}

function numericId(text: string): number {
  return Number.parseInt(createHash("sha1").update(text).digest("hex").slice(0, 8), 16);
}

function renderUser(context: RouteContext, login: string | undefined, type: "User" | "Bot" = "User"): unknown {
  if (login === undefined) return null;
  const id = numericId(`user:${login}`);
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${context.auth.apiBase}/users/${login}`,
    html_url: `${context.webUrl}/${login}`,
    type,
    site_admin: false,
  };
}

function renderRepo(context: RouteContext, repo: FixtureRepo): unknown {
  const id = numericId(`repo:${repo.owner}/${repo.name}`);
  return {
    id,
    node_id: `R_${id}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private ?? false,
    owner: renderUser(context, repo.owner),
    html_url: repoWeb(context, repo),
    clone_url: `${repoWeb(context, repo)}.git`,
    url: repoApi(context, repo),
    default_branch: repo.defaultBranch ?? "main",
    visibility: repo.private ? "private" : "public",
    archived: repo.archived ?? false,
    fork: repo.fork ?? false,
  };
}

function renderCommit(context: RouteContext, repo: FixtureRepo, commit: FixtureCommit): Record<string, unknown> {
  const committer = commit.committer ?? commit.author;
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 12)}`,
    commit: {
      author: { name: commit.author.name, email: commit.author.email, date: commit.author.date },
      committer: { name: committer.name, email: committer.email, date: committer.date },
      message: commit.message,
      tree: { sha: sha1(`tree:${commit.sha}`), url: `${repoApi(context, repo)}/git/trees/${sha1(`tree:${commit.sha}`)}` },
      url: `${repoApi(context, repo)}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    url: `${repoApi(context, repo)}/commits/${commit.sha}`,
    html_url: `${repoWeb(context, repo)}/commit/${commit.sha}`,
    comments_url: `${repoApi(context, repo)}/commits/${commit.sha}/comments`,
    author: renderUser(context, commit.author.login),
    committer: renderUser(context, committer.login),
    parents: (commit.parents ?? []).map((sha) => ({
      sha,
      url: `${repoApi(context, repo)}/commits/${sha}`,
      html_url: `${repoWeb(context, repo)}/commit/${sha}`,
    })),
  };
}

function renderFile(context: RouteContext, repo: FixtureRepo, commit: FixtureCommit, file: FixtureFile): unknown {
  const additions = file.additions ?? 0;
  const deletions = file.deletions ?? 0;
  const path = file.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: file.status === "removed" ? null : sha1(`blob:${commit.sha}:${file.filename}`),
    filename: file.filename,
    status: file.status ?? "modified",
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${repoWeb(context, repo)}/blob/${commit.sha}/${path}`,
    raw_url: `${repoWeb(context, repo)}/raw/${commit.sha}/${path}`,
    contents_url: `${repoApi(context, repo)}/contents/${path}?ref=${commit.sha}`,
    ...(file.patch === undefined ? {} : { patch: file.patch }),
    ...(file.previousFilename === undefined ? {} : { previous_filename: file.previousFilename }),
  };
}

function renderRelease(context: RouteContext, repo: FixtureRepo, release: FixtureRelease): unknown {
  const id = release.id ?? numericId(`release:${repo.owner}/${repo.name}:${release.tagName}`);
  return {
    url: `${repoApi(context, repo)}/releases/${id}`,
    html_url: `${repoWeb(context, repo)}/releases/tag/${release.tagName}`,
    assets_url: `${repoApi(context, repo)}/releases/${id}/assets`,
    upload_url: `https://uploads.github.com/repos/${repo.owner}/${repo.name}/releases/${id}/assets{?name,label}`,
    tarball_url: `${repoApi(context, repo)}/tarball/${release.tagName}`,
    zipball_url: `${repoApi(context, repo)}/zipball/${release.tagName}`,
    id,
    node_id: `RE_${id}`,
    tag_name: release.tagName,
    target_commitish: repo.defaultBranch ?? "main",
    name: release.name ?? null,
    body: release.body ?? null,
    draft: release.draft ?? false,
    prerelease: release.prerelease ?? false,
    created_at: release.createdAt,
    published_at: release.draft ? null : (release.publishedAt ?? release.createdAt),
    author: renderUser(context, release.author ?? repo.owner),
    assets: [],
  };
}

function visibleReleases(context: RouteContext, repo: FixtureRepo): FixtureRelease[] {
  // GitHub lists releases newest first by creation; drafts only for users with push access.
  return (repo.releases ?? [])
    .filter((release) => !release.draft || context.auth.authorized)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

function renderTag(context: RouteContext, repo: FixtureRepo, tag: { name: string; sha: string }): unknown {
  return {
    name: tag.name,
    commit: { sha: tag.sha, url: `${repoApi(context, repo)}/commits/${tag.sha}` },
    zipball_url: `${repoApi(context, repo)}/zipball/refs/tags/${tag.name}`,
    tarball_url: `${repoApi(context, repo)}/tarball/refs/tags/${tag.name}`,
    node_id: `REF_${numericId(tag.name)}`,
  };
}

function renderComment(context: RouteContext, repo: FixtureRepo, comment: FixtureComment): unknown {
  const id = comment.id ?? numericId(`comment:${comment.issueNumber}:${comment.createdAt}:${comment.author ?? ""}`);
  return {
    id,
    node_id: `IC_${id}`,
    url: `${repoApi(context, repo)}/issues/comments/${id}`,
    html_url: `${repoWeb(context, repo)}/issues/${comment.issueNumber}#issuecomment-${id}`,
    body: comment.body ?? "",
    user: renderUser(context, comment.author ?? "someone", comment.authorType ?? "User"),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt ?? comment.createdAt,
    issue_url: `${repoApi(context, repo)}/issues/${comment.issueNumber}`,
    author_association: "CONTRIBUTOR",
  };
}

interface IssueLikeItem {
  kind: "issue" | "pull";
  number: number;
  title: string;
  body: string;
  author: string | undefined;
  labels: string[];
  state: "open" | "closed";
  createdAt: string;
  updatedAt: string;
  closedAt: string | undefined;
  mergedAt: string | undefined;
  comments: number;
  draft: boolean;
}

function issueAsItem(issue: FixtureIssue): IssueLikeItem {
  const closedAt = issue.state === "closed" ? (issue.closedAt ?? issue.createdAt) : undefined;
  return {
    kind: "issue",
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    author: issue.author,
    labels: issue.labels ?? [],
    state: issue.state,
    createdAt: issue.createdAt,
    updatedAt: closedAt ?? issue.createdAt,
    closedAt,
    mergedAt: undefined,
    comments: issue.comments ?? 0,
    draft: false,
  };
}

function pullAsItem(pull: FixturePullRequest): IssueLikeItem {
  const mergedAt = pull.state === "merged" ? (pull.mergedAt ?? pull.closedAt ?? pull.createdAt) : undefined;
  const closedAt = pull.state === "open" ? undefined : (pull.closedAt ?? mergedAt ?? pull.createdAt);
  return {
    kind: "pull",
    number: pull.number,
    title: pull.title,
    body: pull.body ?? "",
    author: pull.author,
    labels: pull.labels ?? [],
    state: pull.state === "open" ? "open" : "closed",
    createdAt: pull.createdAt,
    updatedAt: closedAt ?? pull.createdAt,
    closedAt,
    mergedAt,
    comments: pull.comments ?? 0,
    draft: pull.draft ?? false,
  };
}

function renderLabel(context: RouteContext, repo: FixtureRepo, name: string): unknown {
  const id = numericId(`label:${name}`);
  return {
    id,
    node_id: `LA_${id}`,
    url: `${repoApi(context, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  };
}

/** An issue as `GET /repos/{o}/{r}/issues/{n}` and search return it; pull requests carry `pull_request`. */
function renderIssueLike(context: RouteContext, repo: FixtureRepo, item: IssueLikeItem): Record<string, unknown> {
  const id = numericId(`issue:${repo.owner}/${repo.name}#${item.number}`);
  const api = `${repoApi(context, repo)}/issues/${item.number}`;
  const web = `${repoWeb(context, repo)}/${item.kind === "pull" ? "pull" : "issues"}/${item.number}`;
  return {
    url: api,
    repository_url: repoApi(context, repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    id,
    node_id: `${item.kind === "pull" ? "PR" : "I"}_${id}`,
    number: item.number,
    title: item.title,
    user: renderUser(context, item.author),
    labels: item.labels.map((name) => renderLabel(context, repo, name)),
    state: item.state,
    state_reason: item.kind === "issue" && item.state === "closed" ? "completed" : null,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: item.comments,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    closed_at: item.closedAt ?? null,
    author_association: "CONTRIBUTOR",
    body: item.body,
    ...(item.kind === "pull"
      ? {
          draft: item.draft,
          pull_request: {
            url: `${repoApi(context, repo)}/pulls/${item.number}`,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: item.mergedAt ?? null,
          },
        }
      : {}),
  };
}

function renderPull(context: RouteContext, repo: FixtureRepo, pull: FixturePullRequest): unknown {
  const item = pullAsItem(pull);
  const id = numericId(`pull:${repo.owner}/${repo.name}#${pull.number}`);
  const web = `${repoWeb(context, repo)}/pull/${pull.number}`;
  const head = pull.commits?.at(-1);
  return {
    url: `${repoApi(context, repo)}/pulls/${pull.number}`,
    id,
    node_id: `PR_${id}`,
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${repoApi(context, repo)}/issues/${pull.number}`,
    number: pull.number,
    state: item.state,
    locked: false,
    title: pull.title,
    user: renderUser(context, pull.author),
    body: pull.body ?? null,
    labels: item.labels.map((name) => renderLabel(context, repo, name)),
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    closed_at: item.closedAt ?? null,
    merged_at: item.mergedAt ?? null,
    merge_commit_sha: item.mergedAt === undefined ? null : (head ?? null),
    draft: item.draft,
    merged: item.mergedAt !== undefined,
    head: { ref: `pr-${pull.number}`, sha: head ?? sha1(`head:${pull.number}`) },
    base: { ref: repo.defaultBranch ?? "main" },
    comments: item.comments,
    author_association: "CONTRIBUTOR",
  };
}

// ---------------------------------------------------------------------------------------------
// Commits in the fixture
// ---------------------------------------------------------------------------------------------

function findCommit(repo: FixtureRepo, ref: string): FixtureCommit | undefined {
  if (!/^[0-9a-f]{7,40}$/i.test(ref)) return undefined;
  return repo.commits?.find((commit) => commit.sha.toLowerCase().startsWith(ref.toLowerCase()));
}

function branchesOf(repo: FixtureRepo, commit: FixtureCommit): string[] {
  return commit.branches ?? [repo.defaultBranch ?? "main"];
}

function branchExists(repo: FixtureRepo, branch: string): boolean {
  return (repo.commits ?? []).some((commit) => branchesOf(repo, commit).includes(branch));
}

function commitsOnBranch(repo: FixtureRepo, branch: string): FixtureCommit[] {
  return (repo.commits ?? []).filter((commit) => branchesOf(repo, commit).includes(branch));
}

function ancestorsOf(repo: FixtureRepo, start: FixtureCommit): FixtureCommit[] {
  const bySha = new Map((repo.commits ?? []).map((commit) => [commit.sha, commit]));
  const seen = new Set<string>();
  const queue = [start];
  const result: FixtureCommit[] = [];
  while (queue.length > 0) {
    const commit = queue.shift();
    if (commit === undefined || seen.has(commit.sha)) continue;
    seen.add(commit.sha);
    result.push(commit);
    for (const parent of commit.parents ?? []) {
      const next = bySha.get(parent);
      if (next !== undefined) queue.push(next);
    }
  }
  return result;
}

function sortCommits(commits: FixtureCommit[]): FixtureCommit[] {
  const date = (commit: FixtureCommit): number => Date.parse((commit.committer ?? commit.author).date);
  return [...commits].sort((a, b) => date(b) - date(a));
}

// ---------------------------------------------------------------------------------------------
// Pagination and errors
// ---------------------------------------------------------------------------------------------

function readPaging(url: URL, defaultPerPage: number): { perPage: number; page: number } {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? defaultPerPage) || defaultPerPage));
  const page = Math.max(1, Number(url.searchParams.get("page") ?? "1") || 1);
  return { perPage, page };
}

/** https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api */
function paginate(context: RouteContext, items: unknown[]): Answer {
  const { perPage, page } = readPaging(context.url, 30);
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  return {
    status: 200,
    headers: linkHeaders(context, page, pages),
    body: items.slice((page - 1) * perPage, page * perPage),
  };
}

function linkHeaders(context: RouteContext, page: number, pages: number): Record<string, string> {
  if (pages <= 1) return {};
  const link = (target: number, rel: string): string => {
    const url = new URL(`${context.auth.apiBase}${context.url.pathname}`);
    context.url.searchParams.forEach((value, key) => url.searchParams.set(key, value));
    url.searchParams.set("page", String(target));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, "prev"), link(1, "first"));
  if (page < pages) parts.push(link(page + 1, "next"), link(pages, "last"));
  return parts.length === 0 ? {} : { link: parts.join(", ") };
}

function errorAnswer(status: number, message: string): Answer {
  return { status, body: { message, documentation_url: DOCS, status: String(status) } };
}

function rateLimitAnswer(status: number, resetEpochSeconds: number, message: string): Answer {
  return {
    status,
    headers: {
      "x-ratelimit-limit": "60",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "60",
      "x-ratelimit-reset": String(resetEpochSeconds),
      "x-ratelimit-resource": "core",
    },
    body: {
      message,
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    },
  };
}

function anonymousMessage(): string {
  return "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)";
}

function defaultMessage(status: number): string {
  if (status === 401) return "Bad credentials";
  if (status === 404) return "Not Found";
  if (status >= 500) return "Server Error";
  return "Error";
}

function matches(match: RequestMatch | undefined, described: string): boolean {
  if (match === undefined) return true;
  return typeof match === "string" ? described.includes(match) : match.test(described);
}

function readToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(authorization.trim());
  return match?.[1];
}

function readTime(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// GraphQL: a small executor for the queries repo-digest sends (https://spec.graphql.org/October2021/)
// ---------------------------------------------------------------------------------------------

interface FieldNode {
  kind: "field";
  alias: string | undefined;
  name: string;
  args: Record<string, ValueNode>;
  selections: SelectionNode[] | undefined;
  line: number;
  column: number;
}
type SelectionNode =
  | FieldNode
  | { kind: "spread"; name: string }
  | { kind: "inline"; typeCondition: string | undefined; selections: SelectionNode[] };
type ValueNode =
  | { kind: "variable"; name: string }
  | { kind: "literal"; value: unknown }
  | { kind: "list"; values: ValueNode[] }
  | { kind: "object"; fields: Record<string, ValueNode> };

interface GraphQLDocument {
  operation: SelectionNode[];
  fragments: Map<string, { typeCondition: string; selections: SelectionNode[] }>;
}

interface Token {
  kind: "punct" | "name" | "number" | "string";
  value: string;
  line: number;
  column: number;
}

class GraphQLSyntaxError extends Error {}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;
  while (index < source.length) {
    const char = source[index] ?? "";
    if (char === "\n") {
      line += 1;
      index += 1;
      lineStart = index;
      continue;
    }
    if (/[\s,\ufeff]/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "#") {
      while (index < source.length && source[index] !== "\n") index += 1;
      continue;
    }
    const column = index - lineStart + 1;
    if (source.startsWith("...", index)) {
      tokens.push({ kind: "punct", value: "...", line, column });
      index += 3;
      continue;
    }
    if ("{}():!$@[]=|&".includes(char)) {
      tokens.push({ kind: "punct", value: char, line, column });
      index += 1;
      continue;
    }
    if (char === '"') {
      let end = index + 1;
      while (end < source.length && source[end] !== '"') end += source[end] === "\\" ? 2 : 1;
      tokens.push({ kind: "string", value: JSON.parse(source.slice(index, end + 1)) as string, line, column });
      index = end + 1;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(source.slice(index));
    if (number !== null) {
      tokens.push({ kind: "number", value: number[0], line, column });
      index += number[0].length;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(index));
    if (name === null) throw new GraphQLSyntaxError(`Syntax Error: Unexpected character "${char}".`);
    tokens.push({ kind: "name", value: name[0], line, column });
    index += name[0].length;
  }
  return tokens;
}

function parseGraphQL(source: string): GraphQLDocument {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const next = (): Token => {
    const token = tokens[position++];
    if (token === undefined) throw new GraphQLSyntaxError("Syntax Error: Unexpected end of document.");
    return token;
  };
  const expect = (value: string): void => {
    const token = next();
    if (token.value !== value) throw new GraphQLSyntaxError(`Syntax Error: Expected "${value}", found "${token.value}".`);
  };
  const parseValue = (): ValueNode => {
    const token = next();
    if (token.kind === "punct" && token.value === "$") return { kind: "variable", name: next().value };
    if (token.kind === "punct" && token.value === "[") {
      const values: ValueNode[] = [];
      while (peek()?.value !== "]") values.push(parseValue());
      expect("]");
      return { kind: "list", values };
    }
    if (token.kind === "punct" && token.value === "{") {
      const fields: Record<string, ValueNode> = {};
      while (peek()?.value !== "}") {
        const key = next().value;
        expect(":");
        fields[key] = parseValue();
      }
      expect("}");
      return { kind: "object", fields };
    }
    if (token.kind === "number") return { kind: "literal", value: Number(token.value) };
    if (token.kind === "string") return { kind: "literal", value: token.value };
    if (token.value === "true" || token.value === "false") return { kind: "literal", value: token.value === "true" };
    if (token.value === "null") return { kind: "literal", value: null };
    return { kind: "literal", value: token.value };
  };
  const parseSelections = (): SelectionNode[] => {
    expect("{");
    const selections: SelectionNode[] = [];
    while (peek()?.value !== "}") {
      const token = next();
      if (token.value === "...") {
        if (peek()?.value === "on") {
          next();
          const typeCondition = next().value;
          selections.push({ kind: "inline", typeCondition, selections: parseSelections() });
        } else if (peek()?.value === "{") {
          selections.push({ kind: "inline", typeCondition: undefined, selections: parseSelections() });
        } else {
          selections.push({ kind: "spread", name: next().value });
        }
        continue;
      }
      let alias: string | undefined;
      let name = token.value;
      if (peek()?.value === ":") {
        next();
        alias = name;
        name = next().value;
      }
      const args: Record<string, ValueNode> = {};
      if (peek()?.value === "(") {
        next();
        while (peek()?.value !== ")") {
          const key = next().value;
          expect(":");
          args[key] = parseValue();
        }
        expect(")");
      }
      const selectionSet = peek()?.value === "{" ? parseSelections() : undefined;
      selections.push({ kind: "field", alias, name, args, selections: selectionSet, line: token.line, column: token.column });
    }
    expect("}");
    return selections;
  };

  let operation: SelectionNode[] | undefined;
  const fragments: GraphQLDocument["fragments"] = new Map();
  while (peek() !== undefined) {
    const token = peek();
    if (token?.value === "{") {
      operation = parseSelections();
    } else if (token?.value === "query") {
      next();
      if (peek()?.kind === "name") next();
      if (peek()?.value === "(") {
        // Variable definitions only declare types; the executor reads the values as sent.
        let depth = 0;
        do {
          const part = next().value;
          if (part === "(") depth += 1;
          if (part === ")") depth -= 1;
        } while (depth > 0);
      }
      operation = parseSelections();
    } else if (token?.value === "fragment") {
      next();
      const name = next().value;
      expect("on");
      const typeCondition = next().value;
      fragments.set(name, { typeCondition, selections: parseSelections() });
    } else {
      throw new GraphQLSyntaxError(`Syntax Error: Unexpected "${token?.value ?? ""}".`);
    }
  }
  if (operation === undefined) throw new GraphQLSyntaxError("Syntax Error: no query operation.");
  return { operation, fragments };
}

/** Marks a resolver result GitHub reports as null plus a NOT_FOUND error. */
class NotFound {
  constructor(readonly message: string) {}
}

class GraphQLFieldError extends Error {
  constructor(
    message: string,
    readonly field: FieldNode,
    readonly typeName: string,
  ) {
    super(message);
  }
}

type Resolved = Record<string, unknown> & { __typename: string };

function answerGraphQL(context: RouteContext, body: string): Answer {
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(body) as { query?: unknown; variables?: unknown };
  } catch {
    return errorAnswer(400, "Problems parsing JSON");
  }
  if (typeof request.query !== "string") return { status: 200, body: { errors: [{ message: "A query attribute must be specified and must be a string." }] } };
  const variables = (typeof request.variables === "object" && request.variables !== null ? request.variables : {}) as Record<string, unknown>;
  let document: GraphQLDocument;
  try {
    document = parseGraphQL(request.query);
  } catch (error) {
    return { status: 200, body: { errors: [{ message: (error as Error).message }] } };
  }
  const errors: unknown[] = [];
  try {
    const data = executeSelections(document, variables, resolveQueryRoot(context), document.operation, [], errors);
    return { status: 200, body: errors.length > 0 ? { data, errors } : { data } };
  } catch (error) {
    if (error instanceof GraphQLFieldError) {
      return {
        status: 200,
        body: {
          errors: [
            {
              path: ["query"],
              extensions: { code: "undefinedField", typeName: error.typeName, fieldName: error.field.name },
              locations: [{ line: error.field.line, column: error.field.column }],
              message: error.message,
            },
          ],
        },
      };
    }
    throw error;
  }
}

function executeSelections(
  document: GraphQLDocument,
  variables: Record<string, unknown>,
  object: Resolved,
  selections: SelectionNode[],
  path: Array<string | number>,
  errors: unknown[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const selection of selections) {
    if (selection.kind === "spread") {
      const fragment = document.fragments.get(selection.name);
      if (fragment === undefined) throw new GraphQLSyntaxError(`Fragment ${selection.name} was used, but not defined`);
      if (fragment.typeCondition === object.__typename) {
        Object.assign(result, executeSelections(document, variables, object, fragment.selections, path, errors));
      }
      continue;
    }
    if (selection.kind === "inline") {
      if (selection.typeCondition === undefined || selection.typeCondition === object.__typename) {
        Object.assign(result, executeSelections(document, variables, object, selection.selections, path, errors));
      }
      continue;
    }
    const key = selection.alias ?? selection.name;
    if (selection.name === "__typename") {
      result[key] = object.__typename;
      continue;
    }
    if (!(selection.name in object)) {
      throw new GraphQLFieldError(
        `Field '${selection.name}' doesn't exist on type '${object.__typename}'`,
        selection,
        object.__typename,
      );
    }
    const field = object[selection.name];
    const args = Object.fromEntries(
      Object.entries(selection.args).map(([name, value]) => [name, evaluate(value, variables)]),
    );
    const value = typeof field === "function" ? (field as (args: Record<string, unknown>) => unknown)(args) : field;
    result[key] = completeValue(document, variables, value, selection, [...path, key], errors);
  }
  return result;
}

function completeValue(
  document: GraphQLDocument,
  variables: Record<string, unknown>,
  value: unknown,
  field: FieldNode,
  path: Array<string | number>,
  errors: unknown[],
): unknown {
  if (value instanceof NotFound) {
    errors.push({ type: "NOT_FOUND", path, locations: [{ line: field.line, column: field.column }], message: value.message });
    return null;
  }
  if (value === undefined || value === null) return null;
  if (field.selections === undefined) return value;
  if (Array.isArray(value)) {
    return value.map((entry, index) => completeValue(document, variables, entry, field, [...path, index], errors));
  }
  return executeSelections(document, variables, value as Resolved, field.selections, path, errors);
}

function evaluate(value: ValueNode, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name];
    case "literal":
      return value.value;
    case "list":
      return value.values.map((entry) => evaluate(entry, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([key, entry]) => [key, evaluate(entry, variables)]));
  }
}

function connection(nodes: Resolved[], first: unknown): Resolved {
  const limit = typeof first === "number" ? first : nodes.length;
  const page = nodes.slice(0, limit);
  return {
    __typename: "Connection",
    totalCount: nodes.length,
    nodes: page,
    edges: page.map((node) => ({ __typename: "Edge", node, cursor: Buffer.from(String(node.id ?? "")).toString("base64") })),
    pageInfo: { __typename: "PageInfo", hasNextPage: nodes.length > page.length, endCursor: null, hasPreviousPage: false, startCursor: null },
  };
}

function resolveActor(login: string | undefined): Resolved | null {
  return login === undefined ? null : { __typename: "User", login, url: `https://github.com/${login}` };
}

function resolveQueryRoot(context: RouteContext): Resolved {
  return {
    __typename: "Query",
    rateLimit: {
      __typename: "RateLimit",
      limit: 5000,
      cost: 1,
      remaining: 4999,
      resetAt: new Date(Date.now() + HOUR_SECONDS * 1000).toISOString(),
    },
    repository: (args: Record<string, unknown>) => {
      const owner = String(args.owner ?? "");
      const name = String(args.name ?? "");
      const repo = findRepo(context, owner, name);
      if (repo === undefined) return new NotFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return resolveRepository(context, repo);
    },
  };
}

function resolveRepository(context: RouteContext, repo: FixtureRepo): Resolved {
  return {
    __typename: "Repository",
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    url: repoWeb(context, repo),
    isPrivate: repo.private ?? false,
    pullRequest: (args: Record<string, unknown>) => {
      const pull = repo.pullRequests?.find((candidate) => candidate.number === args.number);
      if (pull === undefined) return new NotFound(`Could not resolve to a PullRequest with the number of ${String(args.number)}.`);
      return resolvePullRequest(context, repo, pull);
    },
    // GitHub answers null, without an error, for an object id it does not know.
    object: (args: Record<string, unknown>) => {
      const commit = typeof args.oid === "string" ? findCommit(repo, args.oid) : undefined;
      if (commit === undefined || commit.sha.toLowerCase() !== String(args.oid).toLowerCase()) return null;
      return resolveCommit(context, repo, commit);
    },
  };
}

function resolveCommit(context: RouteContext, repo: FixtureRepo, commit: FixtureCommit): Resolved {
  return {
    __typename: "Commit",
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message,
    committedDate: (commit.committer ?? commit.author).date,
    url: `${repoWeb(context, repo)}/commit/${commit.sha}`,
    associatedPullRequests: (args: Record<string, unknown>) =>
      connection(
        (repo.pullRequests ?? [])
          .filter((pull) => pull.commits?.includes(commit.sha))
          .map((pull) => resolvePullRequest(context, repo, pull)),
        args.first,
      ),
  };
}

function resolvePullRequest(context: RouteContext, repo: FixtureRepo, pull: FixturePullRequest): Resolved {
  const item = pullAsItem(pull);
  return {
    __typename: "PullRequest",
    id: `PR_${numericId(`pull:${repo.owner}/${repo.name}#${pull.number}`)}`,
    number: pull.number,
    title: pull.title,
    body: pull.body ?? "",
    url: `${repoWeb(context, repo)}/pull/${pull.number}`,
    state: pull.state.toUpperCase(),
    merged: item.mergedAt !== undefined,
    mergedAt: item.mergedAt ?? null,
    closedAt: item.closedAt ?? null,
    createdAt: pull.createdAt,
    isDraft: item.draft,
    author: resolveActor(pull.author),
    labels: (args: Record<string, unknown>) =>
      connection((pull.labels ?? []).map((name) => ({ __typename: "Label", name, id: `LA_${name}` })), args.first),
    reviews: (args: Record<string, unknown>) =>
      connection(
        (pull.reviewers ?? []).map((login, index) => ({
          __typename: "PullRequestReview",
          id: `PRR_${pull.number}_${index}`,
          state: "APPROVED",
          author: resolveActor(login),
        })),
        args.first,
      ),
    closingIssuesReferences: (args: Record<string, unknown>) =>
      connection(
        (pull.closingIssues ?? []).map((number) => {
          const issue = repo.issues?.find((candidate) => candidate.number === number);
          return {
            __typename: "Issue",
            id: `I_${number}`,
            number,
            title: issue?.title ?? `Issue ${number}`,
            url: `${repoWeb(context, repo)}/issues/${number}`,
          };
        }),
        args.first,
      ),
  };
}
