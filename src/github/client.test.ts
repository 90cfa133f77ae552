import { afterEach, describe, expect, it } from "vitest";
import { startGitHubServer, type GitHubFault, type GitHubFixture, type GitHubServer } from "../../test/helpers/github-server.js";
import { ExternalServiceError } from "../errors.js";
import { createGitHubClient } from "./client.js";
import { createMemoryEtagCache } from "../../test/support/github/memory-etag-cache.js";
import type { GitHubClientOptions } from "./types.js";

const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

const fixture: GitHubFixture = {
  tokens: [TOKEN],
  repos: [
    { owner: "acme", name: "widget", defaultBranch: "main" },
    { owner: "acme", name: "secret", private: true },
  ],
};

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(faults: GitHubFault[] = []): Promise<GitHubServer> {
  server = await startGitHubServer(fixture, faults);
  return server;
}

function recordLogs(): { lines: string[]; logger: NonNullable<GitHubClientOptions["logger"]> } {
  const lines: string[] = [];
  return { lines, logger: { warn: (msg) => lines.push(`warn ${msg}`), debug: (msg) => lines.push(`debug ${msg}`) } };
}

async function failure(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ExternalServiceError);
  return error as ExternalServiceError;
}

describe("createGitHubClient", () => {
  it("sends the token in the Authorization header and the user agent", async () => {
    const { url, requests } = await start();
    const client = createGitHubClient({ token: TOKEN, baseUrl: url, userAgent: "repo-digest-test" });
    const response = await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(response.data.default_branch).toBe("main");
    expect(requests[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(requests[0]?.headers["user-agent"]).toMatch(/^repo-digest-test /);
  });

  it("gives up on a request that hangs after its time-out, asks again, and fails in one line if it keeps hanging", async () => {
    const once = await start([{ kind: "slow", match: "/repos/acme/widget", delayMs: 2_000, times: 1 }]);
    const client = createGitHubClient({ token: TOKEN, baseUrl: once.url, timeoutMs: 300 });
    const started = Date.now();
    const response = await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(response.status).toBe(200);
    // The first answer would take 2 s: the success came from the second request.
    expect(Date.now() - started).toBeLessThan(2_000);
    await server?.close();

    const always = await start([{ kind: "slow", match: "/repos/acme/widget", delayMs: 2_000 }]);
    const stuck = createGitHubClient({ token: TOKEN, baseUrl: always.url, timeoutMs: 200, retries: 1 });
    const error = await failure(stuck.rest.repos.get({ owner: "acme", repo: "widget" }));
    expect(error.message.split("\n")).toHaveLength(1);
    expect(error.message).not.toContain(TOKEN);
  }, 20_000);

  it("waits for the reset of the primary rate limit, tells onWait, then succeeds", async () => {
    const { url, requests } = await start([{ kind: "rate-limit", match: "/repos/acme/widget", resetInSeconds: 1 }]);
    const waits: Array<{ reason: string; resumeAt: Date }> = [];
    const client = createGitHubClient({ token: TOKEN, baseUrl: url, onWait: (info) => waits.push(info) });
    const before = Date.now();
    const response = await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(response.status).toBe(200);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.reason).toBe("rate-limit");
    expect(waits[0]?.resumeAt.getTime()).toBeGreaterThan(before);
    expect(requests.map((request) => request.status)).toEqual([403, 200]);
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
  });

  it("backs off for Retry-After on a secondary rate limit", async () => {
    const { url, requests } = await start([
      { kind: "secondary-rate-limit", match: "/repos/acme/widget", times: 1, retryAfterSeconds: 1 },
    ]);
    const waits: Array<{ reason: string; resumeAt: Date }> = [];
    const client = createGitHubClient({ token: TOKEN, baseUrl: url, onWait: (info) => waits.push(info) });
    const before = Date.now();
    await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(Date.now() - before).toBeGreaterThanOrEqual(950);
    expect(waits.map((wait) => wait.reason)).toEqual(["secondary-rate-limit"]);
    expect(requests.map((request) => request.status)).toEqual([403, 200]);
  });

  it("without Retry-After waits the fallback minimum, doubling on each further hit", async () => {
    const { url, requests } = await start([{ kind: "secondary-rate-limit", match: "/repos/acme/widget", times: 2 }]);
    const waits: Array<{ reason: string; resumeAt: Date }> = [];
    const client = createGitHubClient({
      token: TOKEN,
      baseUrl: url,
      secondaryRateLimitFallbackSeconds: 0.2,
      onWait: (info) => waits.push(info),
    });
    const before = Date.now();
    await client.rest.repos.get({ owner: "acme", repo: "widget" });
    // 0.2 s, then 0.4 s.
    expect(Date.now() - before).toBeGreaterThanOrEqual(550);
    expect(waits).toHaveLength(2);
    expect(requests.map((request) => request.status)).toEqual([403, 403, 200]);
  });

  it("gives up on a secondary rate limit after the configured retries", async () => {
    const { url } = await start([{ kind: "secondary-rate-limit", retryAfterSeconds: 0 }]);
    const client = createGitHubClient({ token: TOKEN, baseUrl: url, retries: 1, secondaryRateLimitFallbackSeconds: 0.05 });
    const error = await failure(client.rest.repos.get({ owner: "acme", repo: "widget" }));
    expect(error.message).toMatch(/secondary rate limit/);
    expect(error.retryable).toBe(true);
  });

  it("says to set GITHUB_TOKEN when the unauthenticated limit is reached, without waiting an hour", async () => {
    const { url } = await start([{ kind: "anonymous-limit", limit: 1 }]);
    const client = createGitHubClient({ baseUrl: url });
    await client.rest.repos.get({ owner: "acme", repo: "widget" });
    const error = await failure(client.rest.repos.get({ owner: "acme", repo: "widget" }));
    expect(error.message).toContain("60 requests per hour without a token: set GITHUB_TOKEN");
    expect(error.details.status).toBe(403);
  });

  it("names the environment variable of a rejected token, never the token", async () => {
    const { url } = await start();
    const badToken = "ghp_wrongwrongwrongwrongwrongwrong0000";
    const { lines, logger } = recordLogs();
    const client = createGitHubClient({ token: badToken, tokenSource: "ACME_GH_TOKEN", baseUrl: url, logger });
    const error = await failure(client.rest.repos.get({ owner: "acme", repo: "widget" }));
    expect(error.message).toContain("bad credentials (401)");
    expect(error.message).toContain("ACME_GH_TOKEN");
    expect(error.message).not.toContain(badToken);
    expect(String(error.cause)).not.toContain(badToken);
    expect(lines.join("\n")).not.toContain(badToken);
  });

  it("explains a 404 as a missing repository or one the token cannot see", async () => {
    const { url } = await start();
    const anonymous = createGitHubClient({ baseUrl: url });
    const error = await failure(anonymous.rest.repos.get({ owner: "acme", repo: "secret" }));
    expect(error.message).toContain("not found (404): GET /repos/acme/secret");
    expect(error.message).toContain("private repositories need GITHUB_TOKEN with repo scope");

    const authorized = createGitHubClient({ token: TOKEN, baseUrl: url });
    await expect(authorized.rest.repos.get({ owner: "acme", repo: "secret" })).resolves.toMatchObject({ status: 200 });
  });

  it("retries server errors and then succeeds", async () => {
    const { url, requests } = await start([{ kind: "status", status: 502, times: 1 }]);
    const client = createGitHubClient({ token: TOKEN, baseUrl: url });
    const response = await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(response.status).toBe(200);
    expect(requests.map((request) => request.status)).toEqual([502, 200]);
  });

  it("reports persistent server errors as retryable", async () => {
    const { url } = await start([{ kind: "status", status: 503 }]);
    const client = createGitHubClient({ token: TOKEN, baseUrl: url, retries: 0 });
    const error = await failure(client.rest.repos.get({ owner: "acme", repo: "widget" }));
    expect(error.message).toContain("GitHub answered 503 for GET /repos/acme/widget");
    expect(error.retryable).toBe(true);
  });

  it("waits for a slow answer", async () => {
    const { url } = await start([{ kind: "slow", delayMs: 300 }]);
    const client = createGitHubClient({ token: TOKEN, baseUrl: url });
    const response = await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(response.data.full_name).toBe("acme/widget");
  });

  it("never logs the token, also not when the server echoes it", async () => {
    const { url } = await start([{ kind: "status", status: 422, message: `token ${TOKEN} is not allowed here`, times: 1 }]);
    const { lines, logger } = recordLogs();
    const client = createGitHubClient({ token: TOKEN, baseUrl: url, logger });
    const error = await failure(client.rest.repos.get({ owner: "acme", repo: "widget" }));
    await client.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(TOKEN);
    expect(lines.some((line) => line.startsWith("debug GET"))).toBe(true);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("reuses the cached body when the server answers 304", async () => {
    const { url, requests } = await start();
    const client = createGitHubClient({ token: TOKEN, baseUrl: url });
    const cache = createMemoryEtagCache();
    const first = await client.getJsonConditional<{ full_name: string }>("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widget" }, cache);
    const second = await client.getJsonConditional<{ full_name: string }>("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widget" }, cache);
    expect(second).toEqual(first);
    expect(first.full_name).toBe("acme/widget");
    expect(requests.map((request) => request.status)).toEqual([200, 304]);
    expect(requests[1]?.headers["if-none-match"]).toMatch(/^W\/"/);
  });

  it("talks to GitHub Enterprise Server under /api/v3 and /api/graphql", async () => {
    const { url, requests } = await start();
    const client = createGitHubClient({ token: TOKEN, baseUrl: `${url}/api/v3` });
    await client.rest.repos.get({ owner: "acme", repo: "widget" });
    const data = await client.graphql<{ repository: { nameWithOwner: string } }>(
      `query { repository(owner: "acme", name: "widget") { nameWithOwner } }`,
    );
    expect(data.repository.nameWithOwner).toBe("acme/widget");
    expect(requests.map((request) => request.path)).toEqual(["/api/v3/repos/acme/widget", "/api/graphql"]);
  });
});
