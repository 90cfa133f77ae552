/**
 * A planted-secrets repository through everything a run touches: the repository is cloned
 * over real HTTP with a token in its URL, reported with an LLM (a local model server), in
 * every format, to the feed and a chat webhook, with --verbose logs. Then each planted
 * value is looked for in every file the run leaves (store, reports, feed, mirror, config),
 * in what it printed, in every model request and every webhook body. A report may say that
 * a secret was found, and where; never its value.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type TestReceiver } from "../support/delivery/chat/receiver.js";
import { reportSchema } from "../../src/report/json/report-schema.js";
import { answerFromSchema, schemaOf } from "../helpers/answer-from-schema.js";
import { startLlmServer, type LlmServer } from "../helpers/llm-server.js";
import { makeRepo, makeTempDir, type TestRepo } from "../helpers/make-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.js";

// Made-up values, built at run time so that no scanner mistakes this file for a leak.
const r36 = "x9K2mQ7vL4pR8sT1wY6zB3nC5dF0gH2jK4lM";
const PLANTED = {
  aws: `AKIA${"Z7QW3ERTY6UIOP2A"}`,
  awsSecret: "q8Rt3vLm0PzX2nB7kWcY5hJ9sD4fG6aE1uI0oPlK",
  github: `ghp_${r36}`,
  urlPassword: "Pl4ntedUrlPassw0rd9",
  env: "Pl4ntedEnvValue7731xq",
  slack: `https://hooks.slack.com/services/T0${r36.slice(0, 7).toUpperCase()}/B0${r36.slice(7, 14).toUpperCase()}/${r36.slice(0, 24)}`,
  discord: `${r36}${r36.slice(0, 32)}`,
  npm: `npm_${r36}`,
  sendgrid: `SG.${r36.slice(0, 22)}.${r36}${r36.slice(0, 7)}`,
  azure: `${r36}${r36.slice(0, 16)}${r36.slice(0, 32)}==`,
  telegram: `123456789:AA${r36.slice(0, 33)}`,
  privateKey: "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB",
  inMessage: `ghp_${r36.split("").reverse().join("")}`,
};
const CLONE = { user: "ci-bot", password: "Cl0neT0kenPl4nted42" };
const LLM_KEY = "llm-key-Pl4nted-0123456789";
const HOOK_PATH = "/services/T000/B000/Pl4ntedHookPath";

let origin: TestRepo;
let git: GitHttpServer;
let llm: LlmServer;
let chat: TestReceiver;

beforeAll(async () => {
  origin = makeRepo();
  origin.write("README.md", "# app\n");
  origin.commit({ message: "chore: start", date: "2026-01-16T09:00:00Z" });
  origin.write(".env", `DB_PASSWORD=${PLANTED.env}\nAWS_ACCESS_KEY_ID=${PLANTED.aws}\nAWS_SECRET_ACCESS_KEY=${PLANTED.awsSecret}\n`);
  origin.write(".npmrc", `//registry.npmjs.org/:_authToken=${PLANTED.npm}\n`);
  origin.write(
    "src/settings.py",
    [
      `GITHUB_TOKEN = "${PLANTED.github}"`,
      `DATABASE_URL = "postgres://app:${PLANTED.urlPassword}@db.internal:5432/app"`,
      `SLACK_WEBHOOK = "${PLANTED.slack}"`,
      `DISCORD_WEBHOOK = "https://discord.com/api/webhooks/123456789012345678/${PLANTED.discord}"`,
      `SENDGRID = "${PLANTED.sendgrid}"`,
      `AZURE = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${PLANTED.azure};EndpointSuffix=core.windows.net"`,
      `TELEGRAM_TOKEN = "${PLANTED.telegram}"`,
      "",
      "def connect():",
      "    return DATABASE_URL",
      "",
    ].join("\n"),
  );
  origin.write("deploy/id_rsa", `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.privateKey}\n-----END RSA PRIVATE KEY-----\n`);
  origin.commit({
    message: `feat: settings for the deploy\n\nUse ${PLANTED.inMessage} until the bot account exists.`,
    date: "2026-01-17T09:00:00Z",
  });
  const root = makeTempDir();
  origin.git(["clone", "-q", "--bare", origin.dir, join(root, "app.git")]);
  git = await startGitHttpServer(root, CLONE);
  llm = await startLlmServer((request) => ({ json: answerFromSchema(schemaOf(request)!, { summary: "新增部署设置。" }) }));
  chat = await startReceiver();
});

afterAll(async () => {
  await Promise.all([git.close(), llm.close(), chat.close()]);
  origin.cleanup();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("a planted-secrets repository", () => {
  it("leaves no planted value in the store, a report, the feed, the mirror, a log, a model request or a webhook", { timeout: 120_000 }, async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    const url = `${git.url.replace("://", `://${CLONE.user}:${CLONE.password}@`)}/app.git`;
    writeFileSync(
      join(cwd, "repo-digest.yaml"),
      [
        "timezone: UTC",
        "language: en",
        "output: { dir: reports, formats: [md, html, json] }",
        "llm:",
        "  provider: openai-compatible",
        "  model: test-model",
        `  baseUrl: ${llm.url}/v1`,
        "  apiKeyEnv: TEST_LLM_KEY",
        "delivery:",
        "  feed: { path: feed.atom, title: Demo }",
        "  slack: { urlEnv: SLACK_URL }",
        "repos:",
        `  - { name: demo/app, url: "${url}" }`,
        "",
      ].join("\n"),
    );
    const env = { TEST_LLM_KEY: LLM_KEY, SLACK_URL: chat.url(HOOK_PATH) };
    const run = await runCli(["report", "--date", "2026-01-17", "-v"], { cwd, dataDir, env });
    expect(run.status, run.stderr).toBe(0);
    // Run again from the store: what it kept is as clean as what it read.
    const again = await runCli(["report", "--date", "2026-01-17", "-v"], { cwd, dataDir, env });
    expect(again.status, again.stderr).toBe(0);
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(chat.requests.length).toBeGreaterThan(0);

    const values = [...Object.values(PLANTED), CLONE.password, Buffer.from(`${CLONE.user}:${CLONE.password}`).toString("base64"), LLM_KEY, HOOK_PATH];
    const places: Array<[string, string | Buffer]> = [
      ["stdout", run.stdout + again.stdout],
      ["stderr", run.stderr + again.stderr],
      ...llm.requests.map((request, index): [string, string] => [`model request ${index}`, request.rawBody]),
      ...chat.requests.map((request, index): [string, string] => [`webhook body ${index}`, request.body]),
      // The mirror's objects hold the repository's own text, compressed; its config, refs and logs are looked at here.
      // The config is the user's own file, with the clone URL they wrote: the one file not looked at.
      ...[...filesUnder(dataDir), ...filesUnder(cwd)].filter((file) => file !== join(cwd, "repo-digest.yaml")).map((file): [string, Buffer] => [file, readFileSync(file)]),
    ];
    expect(places.some(([where]) => where.endsWith(".sqlite"))).toBe(true);
    expect(places.some(([where]) => where.endsWith("feed.atom"))).toBe(true);
    for (const [where, content] of places) {
      for (const value of values) expect(content.includes(value), `${where} holds a planted value`).toBe(false);
    }

    // What may be said: that there are secrets, and where.
    const reportFile = readdirSync(join(cwd, "reports")).find((name) => name.endsWith(".json"))!;
    const json = reportSchema.parse(JSON.parse(readFileSync(join(cwd, "reports", reportFile), "utf8")));
    const commit = json.repos[0]!.commits.find((entry) => entry.title === "feat: settings for the deploy")!;
    const secretFiles = new Set(commit.facts.signals.filter((signal) => signal.kind === "secret").map((signal) => signal.origin.file));
    expect([...secretFiles].sort()).toEqual([".env", ".npmrc", "deploy/id_rsa", "src/settings.py"]);
    expect(commit.body).toContain("Use [redacted:github-pat] until the bot account exists.");
  });
});
