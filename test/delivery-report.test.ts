/**
 * `repo-digest report` with channels under `delivery:`, end to end: the report is written
 * first, every channel is tried, a failed one is stored and reported (exit 5) without
 * stopping the others, and `repo-digest deliver --retry` sends exactly what failed.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type TestReceiver } from "./support/delivery/chat/receiver.js";
import { findParts, parseMime, smtpReply, startSmtpServer, type TestSmtpServer } from "./support/delivery/email/fixtures.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";
import { runCli } from "./helpers/run-cli.js";

const PASSWORD = "smtp-pass-PLANTED-123";

const HOOK_SECRET_PATH = "/services/T000/B000/PLANTEDhookSECRET";

function cli(args: string[], cwd: string, dataDir: string) {
  return runCli(args, {
    cwd,
    dataDir,
    env: { SMTP_USER: "digest", SMTP_PASSWORD: PASSWORD, SLACK_URL: slack.url(HOOK_SECRET_PATH), WECOM_URL: wecom.url("/cgi-bin/webhook/send?key=PLANTEDwecomKEY") },
  });
}

let repo: TestRepo;
let smtp: TestSmtpServer;
let slack: TestReceiver;
let wecom: TestReceiver;
let refuse = true;

beforeAll(async () => {
  repo = makeRepo();
  repo.write("src/app.py", "def main():\n    return 1\n");
  repo.commit({ message: "feat: add the app", date: "2026-01-17T09:00:00+08:00" });
  slack = await startReceiver();
  wecom = await startReceiver([], { status: 200, body: { errcode: 0, errmsg: "ok" } });
  smtp = await startSmtpServer({
    onAuth(auth, _session, callback) {
      if (auth.username === "digest" && auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(smtpReply(535, "bad credentials"));
    },
    onMailFrom(_address, _session, callback) {
      // 550 is permanent: the channel gives up at once, and the run must not.
      callback(refuse ? smtpReply(550, "mailbox unavailable") : undefined);
    },
  });
});

afterAll(async () => {
  await smtp.close();
  await slack.close();
  await wecom.close();
  repo.cleanup();
});

describe("delivery to configured channels", () => {
  it("writes the report and the feed even when e-mail fails, exits 5, and deliver --retry sends it later", async () => {
    const cwd = makeTempDir();
    const dataDir = makeTempDir();
    writeFileSync(
      join(cwd, "repo-digest.yaml"),
      [
        "timezone: Asia/Shanghai",
        "output: { dir: reports, formats: [md] }",
        "delivery:",
        "  reportUrl: https://reports.example.com/{name}.html",
        "  feed: { path: feed.atom, title: Demo }",
        `  email: { host: 127.0.0.1, port: ${smtp.port}, secure: false, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD, from: digest@example.com, to: [team@example.com] }`,
        "  slack: { urlEnv: SLACK_URL }",
        "  wecom: { urlEnv: WECOM_URL }",
        "repos:",
        `  - { name: demo/app, path: ${repo.dir} }`,
        "",
      ].join("\n"),
    );
    const run = await cli(["report", "--date", "2026-01-17"], cwd, dataDir);
    expect(run.status, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/email: not delivered: .*550/);
    expect(run.stderr).toMatch(/feed: delivered/);
    expect(run.stderr).toMatch(/slack: delivered to slack:127\.0\.0\.1/);
    expect(run.stderr).toMatch(/wecom: delivered/);
    expect(run.stderr).not.toMatch(/PLANTEDhookSECRET|PLANTEDwecomKEY/);
    // Slack got Block Kit with the commit and a link to the full report; WeCom its markdown.
    const blocks = JSON.stringify(slack.requests[0]!.json);
    expect(blocks).toContain("feat: add the app");
    expect(blocks).toContain("https://reports.example.com/2026-01-17--demo-app.html");
    expect((wecom.requests[0]!.json as { msgtype: string }).msgtype).toBe("markdown");
    expect(run.stderr).toMatch(/deliver --retry/);
    expect(run.stderr).not.toContain(PASSWORD);
    const reports = readdirSync(join(cwd, "reports"));
    expect(reports).toContain("2026-01-17--demo-app.md");
    expect(readFileSync(join(cwd, "reports", "feed.atom"), "utf8")).toContain("feat: add the app");
    expect(smtp.mails).toHaveLength(0);

    const listed = await cli(["deliver"], cwd, dataDir);
    expect(listed.stdout).toMatch(/^2026-01-17\temail\t1 attempt\(s\)/m);

    refuse = false;
    const retry = await cli(["deliver", "--retry"], cwd, dataDir);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stderr).toMatch(/1 of 1 sent/);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.user).toBe("digest");
    const text = findParts(parseMime(smtp.mails[0]!.raw), (part) => (part.headers.get("content-type") ?? "").startsWith("text/plain"));
    expect(text[0]!.body).toContain("feat: add the app");

    // Nothing is left to send: a second retry sends nothing, and the feed was not touched twice.
    const again = await cli(["deliver", "--retry"], cwd, dataDir);
    expect(again.stderr).toMatch(/0 of 0 sent/);
    expect(smtp.mails).toHaveLength(1);
    // Only what failed was sent again.
    expect(slack.requests).toHaveLength(1);
    expect(existsSync(join(dataDir, "repo-digest.sqlite"))).toBe(true);
    const database = readFileSync(join(dataDir, "repo-digest.sqlite"));
    for (const secret of [PASSWORD, "PLANTEDhookSECRET", "PLANTEDwecomKEY"]) expect(database.includes(Buffer.from(secret))).toBe(false);
  }, 60_000);
});
