import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ExternalServiceError } from "../../errors.js";
import { renderMarkdown } from "../../report/markdown/render-markdown.js";
import { makeRepo, makeReport, sampleReport } from "../../../test/support/report/fixtures.js";
import type { Report } from "../../report/types.js";
import type { Delivery, RenderedReport } from "../types.js";
import { createEmailChannel, type EmailChannelOptions } from "./email-channel.js";
import { emailConfigSchema, type EmailConfigInput } from "./email-config.js";
import { decodeHeader, findParts, parseMime, smtpReply, startSmtpServer, type SmtpHandlers, type TestSmtpServer } from "../../../test/support/delivery/email/fixtures.js";

const NAME = "2026-01-17--ai-dynamo-dynamo";
const PASSWORD = "s3cret-Passw0rd!";
const ENV = { DIGEST_SMTP_USER: "digest", DIGEST_SMTP_PASSWORD: PASSWORD };

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handlers: SmtpHandlers = {}): Promise<TestSmtpServer> {
  server = await startSmtpServer(handlers);
  return server;
}

function configFor(smtp: TestSmtpServer, extra: Partial<EmailConfigInput> = {}) {
  return emailConfigSchema.parse({
    host: "127.0.0.1",
    port: smtp.port,
    from: "repo-digest <digest@example.com>",
    to: ["team@example.com", "lead@example.com"],
    ...extra,
  });
}

const sleeps: number[] = [];
const TEST_OPTIONS: EmailChannelOptions = {
  retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 40, random: () => 0, sleep: async (ms) => void sleeps.push(ms) },
  transportOptions: { ignoreTLS: true, connectionTimeout: 3_000, greetingTimeout: 3_000, socketTimeout: 5_000 },
};

function deliveryOf(report: Report, formats: Array<Pick<RenderedReport, "format" | "content">>): Delivery {
  return { report, rendered: formats.map((file) => ({ name: NAME, extension: file.format, ...file })) };
}

const HTML_REPORT = "<!DOCTYPE html><html><body><h1>每日更新报告</h1><p>rendered by the HTML renderer</p></body></html>";

describe("the e-mail channel against an SMTP server on loopback", () => {
  it("sends one multipart message: HTML and text alternatives, the Markdown attached, a Chinese subject", async () => {
    const smtp = await serve();
    const report = sampleReport("zh-CN");
    const markdown = renderMarkdown(report);
    const channel = createEmailChannel(configFor(smtp), {}, TEST_OPTIONS);

    const results = await channel.deliver(deliveryOf(report, [{ format: "md", content: markdown }, { format: "html", content: HTML_REPORT }]));

    expect(results).toEqual([{ channel: "email", target: `smtp://127.0.0.1:${smtp.port} → team@example.com, lead@example.com`, format: "email" }]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe("digest@example.com");
    expect(mail.to).toEqual(["team@example.com", "lead@example.com"]);

    const message = parseMime(mail.raw);
    const subject = message.headers.get("subject")!;
    expect(subject).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(decodeHeader(subject)).toBe("repo-digest 日报 2026-01-17");
    expect(message.headers.get("content-type")).toMatch(/^multipart\/mixed/);

    const [alternative] = findParts(message, (part) => /^multipart\/alternative/.test(part.headers.get("content-type") ?? ""));
    expect(alternative?.parts.map((part) => part.headers.get("content-type")?.split(";")[0])).toEqual(["text/plain", "text/html"]);
    expect(alternative?.parts[0]?.body).toBe(markdown);
    expect(alternative?.parts[1]?.body).toBe(HTML_REPORT);

    const [attachment] = findParts(message, (part) => /attachment/.test(part.headers.get("content-disposition") ?? ""));
    expect(attachment?.headers.get("content-disposition")).toMatch(new RegExp(`filename="?${NAME}\\.md"?`));
    expect(attachment?.headers.get("content-type")).toMatch(/^text\/markdown; charset=utf-8/);
    expect(attachment?.body).toBe(markdown);
  });

  it("starts the subject with how many commits affect the reader's code (usedBy), when some do", async () => {
    const smtp = await serve();
    const report = makeReport([makeRepo("acme/widgets", [{ sha: "abc123", subject: "feat!: remove Engine.start", date: "2026-01-17T09:00:00+08:00", importance: "low" }])], { lang: "en" });
    report.overview.affectsYou = [{ repo: "acme/widgets", sha: "abc123", shortSha: "abc123", title: "feat!: remove Engine.start", names: ["Engine.start"] }];
    const channel = createEmailChannel(configFor(smtp, { subject: "[{repos}] digest for {period}" }), {}, TEST_OPTIONS);
    await channel.deliver(deliveryOf(report, [{ format: "json", content: "{}" }]));
    expect(decodeHeader(parseMime(smtp.mails[0]!.raw).headers.get("subject")!)).toBe("⚠️ 1 commit affects your code · [acme/widgets] digest for 2026-01-17");
  });

  it("builds an escaped HTML body from the model when no HTML was rendered, and an English subject from the template", async () => {
    const smtp = await serve();
    const report = makeReport(
      [makeRepo("acme/widgets", [{ sha: "abc123", subject: "fix: <script>alert(1)</script> & more", date: "2026-01-17T09:00:00+08:00", importance: "high" }])],
      { lang: "en" },
    );
    const channel = createEmailChannel(configFor(smtp, { subject: "[{repos}] digest for {period}", cc: "Ops <ops@example.com>" }), {}, TEST_OPTIONS);

    const [result] = await channel.deliver(deliveryOf(report, [{ format: "json", content: "{}" }]));

    expect(result?.target).toBe(`smtp://127.0.0.1:${smtp.port} → team@example.com, lead@example.com, ops@example.com`);
    const mail = smtp.mails[0]!;
    expect(mail.to).toContain("ops@example.com");
    const message = parseMime(mail.raw);
    expect(decodeHeader(message.headers.get("subject")!)).toBe("[acme/widgets] digest for 2026-01-17");
    const [html] = findParts(message, (part) => (part.headers.get("content-type") ?? "").startsWith("text/html"));
    expect(html?.body).toContain("fix: &#60;script&#62;alert(1)&#60;/script&#62; &#38; more");
    expect(html?.body).not.toContain("<script>");
    expect(html?.body).toContain("Daily update report (2026-01-17)");
    // Without a rendered Markdown file the channel renders it, so the attachment is never missing.
    const [attachment] = findParts(message, (part) => /attachment/.test(part.headers.get("content-disposition") ?? ""));
    expect(attachment?.body).toBe(renderMarkdown(report));
  });

  it("logs in with the user and password from the environment variables the config names", async () => {
    const logins: Array<{ username: string; password: string }> = [];
    const smtp = await serve({
      authOptional: false,
      onAuth(auth, _session, callback) {
        logins.push({ username: auth.username ?? "", password: auth.password ?? "" });
        if (auth.username === "digest" && auth.password === PASSWORD) callback(null, { user: auth.username });
        else callback(smtpReply(535, "Authentication credentials invalid"));
      },
    });
    const config = configFor(smtp, { userEnv: "DIGEST_SMTP_USER", passwordEnv: "DIGEST_SMTP_PASSWORD" });
    const channel = createEmailChannel(config, ENV, TEST_OPTIONS);

    await channel.deliver(deliveryOf(sampleReport("zh-CN"), [{ format: "md", content: "# report\n" }]));

    expect(logins).toEqual([{ username: "digest", password: PASSWORD }]);
    expect(smtp.mails.map((mail) => mail.user)).toEqual(["digest"]);
  });

  it("retries after a 421 greeting and sends on the next connection", async () => {
    sleeps.length = 0;
    let refused = 0;
    const smtp = await serve({
      onConnect(_session, callback) {
        if (refused++ === 0) callback(smtpReply(421, "Too many connections, try again later"));
        else callback();
      },
    });
    const channel = createEmailChannel(configFor(smtp), {}, TEST_OPTIONS);

    await channel.deliver(deliveryOf(sampleReport("en"), [{ format: "md", content: "# report\n" }]));

    expect(smtp.connections).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(sleeps).toEqual([5]);
  });

  it("gives up after the retries when the server keeps answering 451", async () => {
    const smtp = await serve({ onMailFrom: (_address, _session, callback) => callback(smtpReply(451, "Local error in processing")) });
    const channel = createEmailChannel(configFor(smtp), {}, TEST_OPTIONS);

    const error = await channel.deliver(deliveryOf(sampleReport("en"), [])).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as ExternalServiceError).retryable).toBe(true);
    expect((error as ExternalServiceError).details.status).toBe(451);
    expect(smtp.connections).toBe(3);
  });

  it("fails at once on 535, naming the server and the variables to check, never the password", async () => {
    const smtp = await serve({
      authOptional: false,
      // A careless server that quotes the password back.
      onAuth: (auth, _session, callback) => callback(smtpReply(535, `Authentication failed for ${auth.username}:${auth.password}`)),
    });
    const config = configFor(smtp, { userEnv: "DIGEST_SMTP_USER", passwordEnv: "DIGEST_SMTP_PASSWORD" });
    const channel = createEmailChannel(config, ENV, TEST_OPTIONS);

    const error = (await channel.deliver(deliveryOf(sampleReport("zh-CN"), [])).catch((caught: unknown) => caught)) as ExternalServiceError;

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error.retryable).toBe(false);
    expect(error.details.status).toBe(535);
    expect(smtp.connections).toBe(1);
    expect(error.message).toContain(`smtp://127.0.0.1:${smtp.port}`);
    expect(error.message).not.toContain("\n");
    expect(error.hint).toContain("$DIGEST_SMTP_USER");
    expect(error.hint).toContain("$DIGEST_SMTP_PASSWORD");
    const everything = [error.message, error.hint, JSON.stringify(error.details), String(error.stack), String((error.cause as Error).message)].join("\n");
    expect(everything).not.toContain(PASSWORD);
    expect(everything).toContain("[redacted]");
  });

  it("fails at once on a 550 for the sender, pointing at the addresses", async () => {
    const smtp = await serve({ onMailFrom: (_address, _session, callback) => callback(smtpReply(550, "Sender address rejected")) });
    const channel = createEmailChannel(configFor(smtp), {}, TEST_OPTIONS);

    const error = (await channel.deliver(deliveryOf(sampleReport("en"), [])).catch((caught: unknown) => caught)) as ExternalServiceError;

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error.retryable).toBe(false);
    expect(error.details.status).toBe(550);
    expect(error.message).toContain("Sender address rejected");
    expect(error.hint).toContain("`from`");
    expect(smtp.connections).toBe(1);
  });

  it("a connection refused is retried, then reported with the host and port to check", async () => {
    const smtp = await serve();
    const port = smtp.port;
    await smtp.close();
    server = undefined;
    const channel = createEmailChannel(emailConfigSchema.parse({ host: "127.0.0.1", port, from: "a@example.com", to: "b@example.com" }), {}, TEST_OPTIONS);

    const error = (await channel.deliver(deliveryOf(sampleReport("en"), [])).catch((caught: unknown) => caught)) as ExternalServiceError;

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`smtp://127.0.0.1:${port}`);
    expect(error.hint).toMatch(/host.*port/);
  });
});

describe("credentials", () => {
  it("a variable named in the config but not set is a ConfigError naming it, before anything is sent", () => {
    const config = emailConfigSchema.parse({
      host: "smtp.example.com",
      from: "a@example.com",
      to: "b@example.com",
      userEnv: "DIGEST_SMTP_USER",
      passwordEnv: "MISSING_SMTP_PASSWORD",
    });

    const error = (() => {
      try {
        createEmailChannel(config, { DIGEST_SMTP_USER: "digest", MISSING_SMTP_PASSWORD: "" });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })() as ConfigError;

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.key).toBe("email.passwordEnv");
    expect(error.message).toContain("MISSING_SMTP_PASSWORD");
    expect(error.hint).toContain("export MISSING_SMTP_PASSWORD=");
  });
});
