import { afterEach, describe, expect, it } from "vitest";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import { ROBOT_MARKUP } from "../chat/markup.js";
import { expectWholeDigest } from "../../../test/support/delivery/chat/digest-checks.js";
import { checkWecom } from "../../../test/support/delivery/chat/payloads.js";
import { startReceiver, type Reply, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";
import { createWecomChannel } from "./wecom-channel.js";
import { wecomConfigSchema } from "./wecom-config.js";
import { WECOM_CONTENT_LIMIT, type WecomMessage } from "./wecom-message.js";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function deliver(report = sampleReport("zh-CN"), config: Record<string, unknown> = {}, replies: Reply[] = []) {
  receiver = await startReceiver(replies, { body: { errcode: 0, errmsg: "ok" } }, checkWecom);
  const channel = createWecomChannel(
    wecomConfigSchema.parse({ urlEnv: "WECOM_URL", ...config }),
    { WECOM_URL: receiver.url("/cgi-bin/webhook/send?key=693a91f6-7xxx") },
    { retry: { attempts: 3, baseMs: 1, maxMs: 10 } },
  );
  await channel.deliver({ report, rendered: [], fullReportUrl: FULL_REPORT_URL });
  return receiver.requests.map((request) => request.json as WecomMessage);
}

describe("the WeCom channel", () => {
  it("posts markdown content with the title as a heading and full-width stand-ins for markup in titles", async () => {
    const report = sampleReport("zh-CN");
    report.repos[0]!.commits[0]!.title = "fix: Vec<T> [x] in sanity_check.py, _private";
    const [message, ...rest] = await deliver(report);
    expect(rest).toEqual([]);
    expect(message?.msgtype).toBe("markdown");
    expect(message?.markdown.content.startsWith("### repo-digest 每日更新（2026-01-17）\n")).toBe(true);
    expect(message?.markdown.content).toContain("**fix: Vec＜T＞ ［x］ in sanity_check.py, ＿private**");
    expect(message?.markdown.content).toContain(`[查看完整报告](${FULL_REPORT_URL})`);
  });

  it("keeps each message within 4,096 bytes for 40 high-importance commits, reducing to the high part and the link", async () => {
    const report = manyHighReport(40);
    const messages = await deliver(report);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(3);
    const texts = messages.map((message) => message.markdown.content);
    for (const text of texts) expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(WECOM_CONTENT_LIMIT);
    expectWholeDigest(texts, report, { markup: ROBOT_MARKUP, fullReportUrl: FULL_REPORT_URL, heading: (title) => `### ${title}` });
    expect(texts.join("\n")).toContain(FULL_REPORT_URL);
  });

  it("sends every high-importance commit when enough messages are allowed", async () => {
    const report = manyHighReport(40);
    const texts = (await deliver(report, { maxMessages: 10 })).map((message) => message.markdown.content);
    for (const text of texts) expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(WECOM_CONTENT_LIMIT);
    const all = texts.join("\n");
    for (const commit of report.repos[0]!.commits.filter((item) => item.importance === "high")) expect(all).toContain(commit.shortSha);
  });

  it("retries the rate-limit code 45009", async () => {
    expect(await deliver(sampleReport("en"), {}, [{ body: { errcode: 45009, errmsg: "api freq out of limit" } }])).toHaveLength(2);
  });
});
