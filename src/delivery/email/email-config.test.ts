import { describe, expect, it } from "vitest";
import { makeRepo, makeReport } from "../../../test/support/report/fixtures.js";
import { composeEmail, formatSubject } from "./compose-message.js";
import { emailConfigSchema } from "./email-config.js";

const BASE = { host: "smtp.example.com", from: "digest@example.com", to: "team@example.com" };

describe("emailConfigSchema", () => {
  it("uses TLS from the start on port 465 and STARTTLS elsewhere, unless told", () => {
    expect(emailConfigSchema.parse({ ...BASE, port: 465 }).secure).toBe(true);
    expect(emailConfigSchema.parse(BASE)).toMatchObject({ port: 587, secure: false });
    expect(emailConfigSchema.parse({ ...BASE, port: 2525, secure: true }).secure).toBe(true);
  });

  it("takes one recipient or a list", () => {
    expect(emailConfigSchema.parse(BASE).to).toEqual(["team@example.com"]);
    expect(emailConfigSchema.parse({ ...BASE, to: ["a@example.com", "Lead <lead@example.com>"] }).to).toEqual(["a@example.com", "Lead <lead@example.com>"]);
    expect(emailConfigSchema.safeParse({ ...BASE, to: [] }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...BASE, to: "a@example.com, b@example.com" }).success).toBe(false);
  });

  it("wants the names of the credential variables, both or neither, never a password", () => {
    expect(emailConfigSchema.safeParse({ ...BASE, userEnv: "SMTP_USER", passwordEnv: "SMTP_PASSWORD" }).success).toBe(true);
    expect(emailConfigSchema.safeParse({ ...BASE, userEnv: "SMTP_USER" }).success).toBe(false);
    const pasted = emailConfigSchema.safeParse({ ...BASE, userEnv: "SMTP_USER", passwordEnv: "hunter2!pass" });
    expect(pasted.success).toBe(false);
    expect(pasted.error?.issues[0]?.message).toMatch(/name of an environment variable/);
  });

  it("rejects a subject placeholder it would not fill", () => {
    expect(emailConfigSchema.safeParse({ ...BASE, subject: "Digest {period} {repos}" }).success).toBe(true);
    expect(emailConfigSchema.safeParse({ ...BASE, subject: "Digest {date}" }).success).toBe(false);
  });
});

describe("formatSubject", () => {
  const commit = { sha: "a1", subject: "feat: x", date: "2026-01-17T09:00:00+08:00" };
  const names = ["acme/a", "acme/b", "acme/c", "acme/d", "acme/e"];

  it("lists up to three repositories, then counts the rest", () => {
    const report = makeReport(names.map((name) => makeRepo(name, [commit])), { lang: "en" });
    expect(formatSubject("{repos}: {period}", report)).toBe("acme/a, acme/b, acme/c +2 more: 2026-01-17");
    const zh = makeReport(names.slice(0, 2).map((name) => makeRepo(name, [commit])));
    expect(formatSubject("{repos} {period}", zh)).toBe("acme/a、acme/b 2026-01-17");
  });

  it("names a weekly digest as such by default", () => {
    const report = { ...makeReport([makeRepo("acme/a", [commit])]), kind: "digest" as const };
    const message = composeEmail({ report, rendered: [] }, { from: "a@example.com", to: ["b@example.com"] });
    expect(message.subject).toBe("repo-digest 周报 2026-01-17");
  });

  it("writes a range with the report language's separator", () => {
    const period = { label: "2026-01-17..2026-01-23", since: "2026-01-16T16:00:00.000Z", until: "2026-01-23T16:00:00.000Z", timezone: "Asia/Shanghai" };
    expect(formatSubject("{period}", makeReport([makeRepo("acme/a", [commit])], { period }))).toBe("2026-01-17 至 2026-01-23");
  });
});
