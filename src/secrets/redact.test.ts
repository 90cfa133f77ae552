import { describe, expect, it } from "vitest";
import type { Commit } from "../sources/types.js";
import { containsRedaction, countByRule, redactCommit, redactDeep, redactText } from "./index.js";

// Made-up values, built at run time so that no scanner mistakes this file for a leak.
const r36 = "x9K2mQ7vL4pR8sT1wY6zB3nC5dF0gH2jK4lM";
const r48 = `${r36}Np3Qr5St7Uv9`;
const letters34 = "qwErtYuiOpasDfghJklzXcvbNmqwErtYui";

/** [rule id, line with a secret, the line as redacted]: the formats the fault run planted, and the common ones. */
const FORMATS: Array<[string, string, string]> = [
  ["aws-access-token", `aws_access_key_id = AKIA${"Z7QW3ERTY6UIOP2A"}`, "aws_access_key_id = [redacted:aws-access-token]"],
  ["aws-secret-key", `aws_secret_access_key = q8Rt3vLm0PzX2nB7kWcY5hJ9sD4fG6aE1uI0oPlK`, "aws_secret_access_key = [redacted:aws-secret-key]"],
  ["github-pat", `git clone https://ghp_${r36}@github.com/o/r`, "git clone https://[redacted:github-pat]@github.com/o/r"],
  ["github-fine-grained-pat", `GH=github_pat_11ABCDEFG0${r36.slice(0, 12)}_${r48}${r36.slice(0, 11)}`, "GH=[redacted:github-fine-grained-pat]"],
  ["gitlab-pat", `--header "PRIVATE-TOKEN: glpat-${r36.slice(0, 20)}"`, '--header "PRIVATE-TOKEN: [redacted:gitlab-pat]"'],
  ["gcp-api-key", `const maps = "AIza${r36.slice(0, 35)}";`, 'const maps = "[redacted:gcp-api-key]";'],
  ["stripe-access-token", `Stripe.api_key = 'sk_live_${r36.slice(0, 24)}'`, "Stripe.api_key = '[redacted:stripe-access-token]'"],
  ["huggingface-access-token", `login("hf_${letters34}")`, 'login("[redacted:huggingface-access-token]")'],
  ["anthropic-api-key", `export ANTHROPIC_API_KEY=sk-ant-api03-${r48}-${r36}${r36.slice(0, 11)}AA`, "export ANTHROPIC_API_KEY=[redacted:anthropic-api-key]"],
  ["openai-api-key", `+OPENAI_API_KEY=sk-proj-${r48}_${r36}-abcT3BlbkFJ${r36.slice(0, 20)}`, "+OPENAI_API_KEY=[redacted:openai-api-key]"],
  ["url-password", `url = "postgres://app:${r36.slice(0, 16)}@db.internal:5432/app"`, 'url = "postgres://app:[redacted:url-password]@db.internal:5432/app"'],
  ["password", `DB_PASSWORD=${r36.slice(0, 18)}`, "DB_PASSWORD=[redacted:password]"],
  ["authorization", `Authorization: Bearer ${r36}`, "Authorization: Bearer [redacted:authorization]"],
  // The six the fault run found reaching the model verbatim.
  [
    "slack-webhook-url",
    `SLACK_URL=https://hooks.slack.com/services/T0${r36.slice(0, 7).toUpperCase()}/B0${r36.slice(7, 14).toUpperCase()}/${r36.slice(0, 24)}`,
    "SLACK_URL=[redacted:slack-webhook-url]",
  ],
  [
    "discord-webhook-url",
    `hook = "https://discord.com/api/webhooks/123456789012345678/${r36}${r36.slice(0, 32)}"`,
    'hook = "https://discord.com/api/webhooks/123456789012345678/[redacted:discord-webhook-url]"',
  ],
  ["npmrc-auth", `//registry.npmjs.org/:_authToken=npm_${r36}`, "//registry.npmjs.org/:_authToken=[redacted:npmrc-auth]"],
  ["sendgrid-api-token", `sg = "SG.${r36.slice(0, 22)}.${r36}${r36.slice(0, 7)}"`, 'sg = "[redacted:sendgrid-api-token]"'],
  [
    "azure-storage-key",
    `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${r36}${r36.slice(0, 16)}${r36.slice(0, 32)}==;EndpointSuffix=core.windows.net`,
    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted:azure-storage-key];EndpointSuffix=core.windows.net",
  ],
  ["telegram-bot-token", `TELEGRAM_TOKEN=123456789:AA${r36.slice(0, 33)}`, "TELEGRAM_TOKEN=[redacted:telegram-bot-token]"],
];

describe("redactText: each format", () => {
  it.each(FORMATS)("%s", (rule, line, expected) => {
    const { text, findings } = redactText(line);
    expect(text).toBe(expected);
    expect(findings.map((finding) => finding.rule)).toEqual([rule]);
    // The finding says where its marker stands, never the value.
    const [finding] = findings;
    expect(text.slice(finding!.start, finding!.end)).toBe(`[redacted:${rule}]`);
    expect(containsRedaction(text)).toBe(true);
  });

  it("finds every format in one text, each on its own line, keeping the line count", () => {
    const text = FORMATS.map(([, line]) => line).join("\n");
    const redacted = redactText(text);
    expect(redacted.text).toBe(FORMATS.map(([, , expected]) => expected).join("\n"));
    expect(redacted.findings.map((finding) => finding.line)).toEqual(FORMATS.map((_, index) => index + 1));
    expect(countByRule(redacted.findings)["slack-webhook-url"]).toBe(1);
  });

  it("is idempotent: its own markers are no secrets", () => {
    const once = redactText(FORMATS.map(([, line]) => line).join("\n")).text;
    expect(redactText(once)).toEqual({ text: once, findings: [] });
  });
});

describe("redactText: what is no secret", () => {
  const harmless = [
    `def test_invalid_token_rejected(): assert check("abc") is False`,
    "digest = hashlib.sha256(content).hexdigest()",
    "token: ${{ secrets.GITHUB_TOKEN }}",
    'password = os.environ["DB_PASSWORD"]',
    'api_key: str = Field(default=None, description="API key")',
    "commit 1705e82a9c1b2f3e4d5a6b7c8d9e0f1a2b3c4d5e",
    "export PATH=/usr/local/bin:$PATH",
    "secret_name: my-app-credentials",
  ];
  it.each(harmless)("%s", (line) => {
    expect(redactText(line)).toEqual({ text: line, findings: [] });
  });
});

describe("redactText: private keys and patches", () => {
  const body = ["MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB", "aFDrBz9vFqU4yaVuXUxzLqGfQ4NWj2X0V0wTKaHjGkM0r3x8c1sUeYDAH2Rr1Fe="];

  it("replaces the body of a key block in a diff, line by line, and keeps its armour and diff markers", () => {
    const patch = ["@@ -0,0 +1,4 @@", "+-----BEGIN RSA PRIVATE KEY-----", ...body.map((line) => `+${line}`), "+-----END RSA PRIVATE KEY-----"].join("\n");
    const { text, findings } = redactText(patch, { patch: true });
    expect(text.split("\n")).toEqual(["@@ -0,0 +1,4 @@", "+-----BEGIN RSA PRIVATE KEY-----", "+[redacted:private-key]", "+[redacted:private-key]", "+-----END RSA PRIVATE KEY-----"]);
    expect(findings.map((finding) => finding.rule)).toEqual(["private-key", "private-key"]);
  });

  it("never takes a diff marker into a secret", () => {
    const { text } = redactText(`@@ -1 +1 @@\n-DB_PASSWORD=${r36.slice(0, 18)}\n+DB_PASSWORD=${r36.slice(2, 20)}`, { patch: true });
    expect(text).toBe("@@ -1 +1 @@\n-DB_PASSWORD=[redacted:password]\n+DB_PASSWORD=[redacted:password]");
  });
});

describe("redactCommit and redactDeep", () => {
  const token = `ghp_${r36}`;
  const commit: Commit = {
    sha: "a".repeat(40),
    parents: ["b".repeat(40)],
    author: { name: "A", email: "a@example.com", date: "2026-11-30T10:00:00+00:00" },
    committer: { name: "A", email: "a@example.com", date: "2026-11-30T10:00:00+00:00" },
    subject: `ci: use ${token} for the release`,
    body: `The token was ${token}.\n\nCo-authored-by: B <b@example.com>`,
    files: [
      { path: "deploy.env", status: "modified", additions: 1, deletions: 0, binary: false, patch: `@@ -1,0 +2 @@\n+DB_PASSWORD=${r36.slice(0, 18)}` },
      { path: "README.md", status: "modified", additions: 1, deletions: 0, binary: false, patch: "@@ -1,0 +2 @@\n+Nothing to hide." },
    ],
  } as unknown as Commit;

  it("redacts the subject, the body and each patch, and says where, never what", () => {
    const { commit: redacted, findings } = redactCommit(commit);
    expect(redacted.subject).toBe("ci: use [redacted:github-pat] for the release");
    expect(redacted.body).toContain("The token was [redacted:github-pat].");
    expect(redacted.files[0]!.patch).toBe("@@ -1,0 +2 @@\n+DB_PASSWORD=[redacted:password]");
    // A file without a secret is the same object: nothing copied.
    expect(redacted.files[1]).toBe(commit.files[1]);
    expect(findings.map(({ in: where, file, line, rule }) => ({ where, file, line, rule }))).toEqual([
      { where: "subject", file: undefined, line: 1, rule: "github-pat" },
      { where: "body", file: undefined, line: 1, rule: "github-pat" },
      { where: "patch", file: "deploy.env", line: 2, rule: "password" },
    ]);
    expect(JSON.stringify(redacted)).not.toContain(token);
    expect(JSON.stringify(findings)).not.toContain(r36);
    // Once redacted, a commit comes back as it is.
    expect(redactCommit(redacted)).toEqual({ commit: redacted, findings: [] });
  });

  it("redactDeep: every string at any depth, the rest untouched", () => {
    const when = new Date();
    const clean = { path: "src/app.py", lines: [1, 2] };
    const value = { title: `leak ${token}`, nested: [{ text: `DB_PASSWORD=${r36.slice(0, 18)}` }], when, clean };
    const redacted = redactDeep(value);
    expect(redacted.title).toBe("leak [redacted:github-pat]");
    expect(redacted.nested[0]!.text).toBe("DB_PASSWORD=[redacted:password]");
    expect(redacted.when).toBe(when);
    expect(redacted.clean).toBe(clean);
    expect(redactDeep(clean)).toBe(clean);
  });
});
