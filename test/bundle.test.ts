/**
 * The program users install is the esbuild bundle (scripts/build.mjs), not the sources the
 * other tests run through tsx. Built here into a folder inside the package (so that the
 * packages left outside the bundle resolve from node_modules, as they do when installed),
 * it must start, read a history long enough to run the structural pass in its worker
 * thread, and load a lazily imported part.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerFromSchema, schemaOf } from "./helpers/answer-from-schema.js";
import { startLlmServer } from "./helpers/llm-server.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";

const ROOT = resolve(import.meta.dirname, "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let out: string;
let repo: TestRepo;

beforeAll(() => {
  out = mkdtempSync(join(ROOT, "test-artifacts", "bundle-"));
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--outdir", out], { stdio: "pipe" });
  repo = makeRepo();
  // More commits than the pipeline reads without its worker thread (WORKER_MIN_COMMITS).
  for (let index = 0; index < 45; index++) {
    repo.write("pkg/api.py", Array.from({ length: index + 1 }, (_, n) => `def handler_${n}(request):\n    return ${n}\n`).join("\n"));
    repo.commit({ message: `feat: handler ${index}`, date: `2026-01-16T${String(index % 24).padStart(2, "0")}:00:00+00:00` });
  }
}, 120_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  repo.cleanup();
});

function runBundle(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [join(out, "main.js"), ...args], {
    cwd: repo.dir,
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("the built bundle", () => {
  it("prints the package's version", () => {
    expect(runBundle(["--version"]).trim()).toBe(VERSION);
  });

  it("writes a report whose symbols come from the structural pass in the worker thread", () => {
    const dataDir = makeTempDir();
    try {
      const json = runBundle(["report", "--repo", repo.dir, "--date", "2026-01-16", "--tz", "UTC", "-f", "json", "--out", "-", "--no-fetch", "-q"], {
        REPO_DIGEST_DATA_DIR: dataDir,
      });
      const report = JSON.parse(json) as { repos: Array<{ commits: Array<{ facts: { symbols: Array<{ name: string; change: string; basis: string }> } }> }> };
      const commits = report.repos[0]!.commits;
      expect(commits).toHaveLength(45);
      const symbols = commits.flatMap((commit) => commit.facts.symbols);
      expect(symbols.length).toBeGreaterThan(0);
      expect(symbols.every((symbol) => symbol.basis === "structure")).toBe(true);
      expect(symbols).toContainEqual(expect.objectContaining({ name: "handler_44", change: "added" }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("loads the LLM stack on demand and names a missing key in one line", () => {
    const dir = makeTempDir();
    const config = join(dir, "repo-digest.yaml");
    writeFileSync(config, "llm:\n  provider: openai\n  model: gpt-4o-mini\n  apiKeyEnv: REPO_DIGEST_TEST_MISSING_KEY\n");
    try {
      let failure: { stderr: string; status: number } | undefined;
      try {
        runBundle(["-c", config, "report", "--repo", repo.dir, "--date", "2026-01-16", "--out", "-", "--no-fetch"], { REPO_DIGEST_DATA_DIR: dir });
      } catch (error) {
        failure = error as { stderr: string; status: number };
      }
      expect(failure?.status).toBe(2);
      expect(failure?.stderr).toMatch(/^repo-digest: llm\.apiKeyEnv: "REPO_DIGEST_TEST_MISSING_KEY"/);
      expect(failure?.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("asks a model through the bundle: its own zod beside the AI SDK's, the schema sent whole, the answers in the report", async () => {
    // scripts/build.mjs leaves the libraries' zod outside the bundle: the answer schema is
    // made by the bundled copy and turned into JSON Schema by the AI SDK's.
    const server = await startLlmServer((request) => {
      const schema = schemaOf(request)!;
      if (JSON.stringify(schema).includes('"themes"')) return { json: answerFromSchema(schema, { themes: ["新增处理函数。"], readFirst: [] }) };
      const handler = /feat: handler (\d+)/.exec(request.text)?.[1] ?? "?";
      return { json: answerFromSchema(schema, { summary: `模型摘要：新增处理函数 handler_${handler}。` }) };
    });
    const dir = makeTempDir();
    try {
      writeFileSync(
        join(dir, "repo-digest.yaml"),
        `llm:\n  provider: openai-compatible\n  model: test-model\n  baseUrl: ${server.url}/v1\n  apiKeyEnv: TEST_LLM_KEY\n  concurrency: 4\n`,
      );
      const markdown = await new Promise<string>((done, fail) =>
        execFile(
          process.execPath,
          [join(out, "main.js"), "-c", join(dir, "repo-digest.yaml"), "report", "--repo", repo.dir, "--date", "2026-01-16", "--tz", "UTC", "--out", "-", "--no-fetch", "-q"],
          { env: { ...process.env, NO_COLOR: "1", REPO_DIGEST_DATA_DIR: dir, TEST_LLM_KEY: "test-key" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout)),
        ),
      );
      const commitRequests = server.requests.filter((request) => !JSON.stringify(schemaOf(request)).includes('"themes"'));
      expect(commitRequests.length).toBeGreaterThan(0);
      // The descriptions the bundled zod gave the schema reach the model.
      expect(JSON.stringify(schemaOf(commitRequests[0]!))).toContain("One sentence: what the commit does.");
      expect(markdown).toContain("模型摘要：新增处理函数 handler_44。");
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a worker that cannot start through the program's one error line, not a crash", () => {
    const broken = mkdtempSync(join(ROOT, "test-artifacts", "bundle-broken-"));
    const dataDir = makeTempDir();
    try {
      cpSync(out, broken, { recursive: true });
      rmSync(join(broken, "structure-worker.js"));
      const run = spawnSync(process.execPath, [join(broken, "main.js"), "report", "--repo", repo.dir, "--date", "2026-01-16", "--out", "-", "--no-fetch", "-q"], {
        env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir },
        encoding: "utf8",
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^repo-digest: internal error \(please report it\): Error: Cannot find module .*structure-worker\.js/);
      expect(run.stdout).toBe("");
    } finally {
      rmSync(broken, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
