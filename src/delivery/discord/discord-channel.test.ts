import { afterEach, describe, expect, it } from "vitest";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import { DISCORD_MARKUP } from "../chat/markup.js";
import { expectWholeDigest } from "../../../test/support/delivery/chat/digest-checks.js";
import { checkDiscord } from "../../../test/support/delivery/chat/payloads.js";
import { startReceiver, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";
import { createDiscordChannel } from "./discord-channel.js";
import { discordConfigSchema } from "./discord-config.js";
import { DISCORD_DESCRIPTION_LIMIT, DISCORD_MESSAGE_LIMIT, DISCORD_TITLE_LIMIT, type DiscordMessage } from "./discord-message.js";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function deliver(report = sampleReport("zh-CN"), extra: Record<string, unknown> = {}): Promise<DiscordMessage[]> {
  receiver = await startReceiver([], { status: 204, body: "" }, checkDiscord);
  const channel = createDiscordChannel(discordConfigSchema.parse({ urlEnv: "DISCORD_URL", ...extra }), { DISCORD_URL: receiver.url("/api/webhooks/1/tok") });
  await channel.deliver({ report, rendered: [], fullReportUrl: FULL_REPORT_URL });
  return receiver.requests.map((request) => request.json as DiscordMessage);
}

function sizeOf(message: DiscordMessage): number {
  return message.embeds.reduce((sum, embed) => sum + embed.title.length + embed.description.length + embed.footer.text.length, 0);
}

describe("the Discord channel", () => {
  it("posts embeds with the period in the title, escaped markdown, and no mentions allowed", async () => {
    const report = sampleReport("zh-CN");
    report.repos[0]!.commits[0]!.title = "fix: *bold* @everyone";
    const [message, ...rest] = await deliver(report, { username: "repo-digest" });
    expect(rest).toEqual([]);
    expect(message?.username).toBe("repo-digest");
    expect(message?.allowed_mentions).toEqual({ parse: [] });
    expect(message?.embeds).toHaveLength(1);
    expect(message?.embeds[0]?.title).toBe("repo-digest 每日更新（2026-01-17）");
    expect(message?.embeds[0]?.description).toContain("**fix: \\*bold\\* @everyone**");
    expect(message?.embeds[0]?.description).toContain(`[查看完整报告](${FULL_REPORT_URL})`);
  });

  it("sends 40 high-importance commits as several messages in order, each within Discord's limits, cutting no line", async () => {
    const report = manyHighReport(40);
    const messages = await deliver(report, { maxMessages: 10 });
    expect(messages.length).toBeGreaterThan(1);
    for (const [index, message] of messages.entries()) {
      expect(message.embeds.length).toBeLessThanOrEqual(10);
      expect(sizeOf(message)).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
      for (const embed of message.embeds) {
        expect(embed.title.length).toBeLessThanOrEqual(DISCORD_TITLE_LIMIT);
        expect(embed.description.length).toBeLessThanOrEqual(DISCORD_DESCRIPTION_LIMIT);
        expect(embed.title.endsWith(`（${index + 1}/${messages.length}）`)).toBe(true);
      }
    }
    const texts = messages.flatMap((message) => message.embeds.map((embed) => embed.description));
    expectWholeDigest(texts, report, { markup: DISCORD_MARKUP, fullReportUrl: FULL_REPORT_URL });
  });

  it("reduces to the high-importance part and the link when the messages allowed do not hold it all", async () => {
    const report = manyHighReport(40);
    const messages = await deliver(report, { maxMessages: 1 });
    expect(messages).toHaveLength(1);
    const text = messages[0]!.embeds[0]!.description;
    expect(text).toContain(FULL_REPORT_URL);
    expect(text).toMatch(/另有 \d+ 个高重要度提交未列出/);
    expectWholeDigest([text], report, { markup: DISCORD_MARKUP, fullReportUrl: FULL_REPORT_URL });
  });
});
