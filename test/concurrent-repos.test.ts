/**
 * Several repositories of one report are read side by side, not one after another: two
 * remotes behind a slow git host are fetched at the same time, and the report lists them in
 * the config's order whatever order they finish in.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema } from "../src/report/json/report-schema.js";
import { startGitHttpServer, type GitHttpServer } from "./faults/git-http-server.js";
import { answerFromSchema, schemaOf } from "./helpers/answer-from-schema.js";
import { startLlmServer } from "./helpers/llm-server.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";

const CREDENTIALS = { user: "bot", password: "pw-0123456789" };
const origins: TestRepo[] = [];
let server: GitHttpServer;

beforeAll(async () => {
  const root = makeTempDir();
  for (const name of ["zeta", "alpha"]) {
    const origin = makeRepo();
    origin.write(`${name}.py`, "def run():\n    return 1\n");
    origin.commit({ message: `feat: ${name}`, date: "2026-01-17T09:00:00Z" });
    origin.git(["clone", "-q", "--bare", origin.dir, join(root, `${name}.git`)]);
    origins.push(origin);
  }
  server = await startGitHttpServer(root, CREDENTIALS, { delayMs: 400 });
});

afterAll(async () => {
  await server.close();
  for (const origin of origins) origin.cleanup();
});

describe("a report of several remotes", () => {
  it("fetches them at the same time and keeps the config's order", { timeout: 120_000 }, async () => {
    const cwd = makeTempDir();
    const url = (name: string) => `${server.url.replace("://", `://${CREDENTIALS.user}:${CREDENTIALS.password}@`)}/${name}.git`;
    writeFileSync(
      join(cwd, "repo-digest.yaml"),
      `timezone: UTC\nlanguage: en\noutput: { dir: reports, formats: [json] }\nrepos:\n  - { name: demo/zeta, url: "${url("zeta")}" }\n  - { name: demo/alpha, url: "${url("alpha")}" }\n`,
    );
    const dataDir = makeTempDir();
    // The first run clones; the second fetches both, each fetch several slow requests.
    expect((await runCli(["report", "--date", "2026-01-17"], { cwd, dataDir })).status).toBe(0);
    server.requests.length = 0;
    const run = await runCli(["report", "--date", "2026-01-17"], { cwd, dataDir });
    expect(run.status, run.stderr).toBe(0);

    const span = (name: string) => {
      const own = server.requests.filter((request) => request.path.startsWith(`/${name}.git/`));
      expect(own.length).toBeGreaterThan(0);
      return { start: Math.min(...own.map((r) => r.startedAt)), end: Math.max(...own.map((r) => r.endedAt ?? Date.now())) };
    };
    const zeta = span("zeta");
    const alpha = span("alpha");
    // Overlapping: each began before the other ended.
    expect(zeta.start < alpha.end && alpha.start < zeta.end).toBe(true);

    const file = readdirSync(join(cwd, "reports")).find((name) => name.endsWith(".json"))!;
    const json = reportSchema.parse(JSON.parse(readFileSync(join(cwd, "reports", file), "utf8")));
    expect(json.repos.map((repo) => repo.name)).toEqual(["demo/zeta", "demo/alpha"]);
  });
});

describe("repositories analysed side by side by a model", () => {
  it("share the run's llm.concurrency: never more calls in flight than it allows", { timeout: 120_000 }, async () => {
    const llm = await startLlmServer((request) => ({ json: answerFromSchema(schemaOf(request)!, { summary: "模型摘要。" }), delayMs: 150 }));
    try {
      const cwd = makeTempDir();
      const repos = origins.map((origin, index) => `  - { name: demo/r${index}, path: ${origin.dir} }`).join("\n");
      writeFileSync(
        join(cwd, "repo-digest.yaml"),
        `timezone: UTC\noutput: { dir: reports, formats: [json] }\nllm:\n  provider: openai-compatible\n  model: m\n  baseUrl: ${llm.url}/v1\n  apiKeyEnv: TEST_LLM_KEY\n  concurrency: 1\nrepos:\n${repos}\n`,
      );
      const run = await runCli(["report", "--date", "2026-01-17"], { cwd, dataDir: makeTempDir(), env: { TEST_LLM_KEY: "k-0123456789" } });
      expect(run.status, run.stderr).toBe(0);
      // One commit per repository, asked about at the same time.
      expect(llm.requests.length).toBeGreaterThanOrEqual(2);
      expect(llm.maxConcurrent).toBe(1);
    } finally {
      await llm.close();
    }
  });
});
