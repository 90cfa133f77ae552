import { afterEach, describe, expect, it } from "vitest";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import { SLACK_MARKUP } from "../chat/markup.js";
import { expectWholeDigest } from "../../../test/support/delivery/chat/digest-checks.js";
import { checkSlack } from "../../../test/support/delivery/chat/payloads.js";
import { startReceiver, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";
import { createSlackChannel } from "./slack-channel.js";
import { slackConfigSchema } from "./slack-config.js";
import { SLACK_MAX_BLOCKS, SLACK_SECTION_LIMIT, type SlackBlock, type SlackMessage } from "./slack-message.js";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function deliver(report = sampleReport("en"), fullReportUrl: string | undefined = FULL_REPORT_URL): Promise<SlackMessage[]> {
  receiver = await startReceiver([], undefined, checkSlack);
  const channel = createSlackChannel(slackConfigSchema.parse({ urlEnv: "SLACK_URL" }), { SLACK_URL: receiver.url("/services/T0/B0/tok") });
  await channel.deliver({ report, rendered: [], ...(fullReportUrl === undefined ? {} : { fullReportUrl }) });
  return receiver.requests.map((request) => request.json as SlackMessage);
}

function sections(message: SlackMessage): string[] {
  return message.blocks.flatMap((block: SlackBlock) => (block.type === "section" ? [block.text.text] : []));
}

describe("the Slack channel", () => {
  it("posts Block Kit: a header with the period, mrkdwn sections, a context line, and escaped text", async () => {
    const report = sampleReport("en");
    report.repos[0]!.commits[0]!.title = "feat: parse <T> & friends";
    const [message, ...rest] = await deliver(report);
    expect(rest).toEqual([]);
    expect(message?.text).toBe("repo-digest daily update (2026-01-17)");
    expect(message?.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "repo-digest daily update (2026-01-17)", emoji: true } });
    expect(message?.blocks.at(-1)?.type).toBe("context");
    const text = sections(message!).join("\n");
    expect(text).toContain("*feat: parse &lt;T&gt; &amp; friends*");
    expect(text).toContain(`<${FULL_REPORT_URL}|Full report>`);
    expect(text).toContain("<https://github.com/ai-dynamo/dynamo/commit/06939770b300f4bf56ed99590d31d6ada3d6a1ec|0693977>");
  });

  it("fits 40 high-importance commits into sections of at most 3,000 characters and 50 blocks, cutting no line", async () => {
    const report = manyHighReport(40, "en");
    const messages = await deliver(report);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
      for (const text of sections(message)) expect(text.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
    }
    const texts = messages.flatMap(sections);
    expect(texts.length).toBeGreaterThan(1);
    expectWholeDigest(texts, report, { markup: SLACK_MARKUP, fullReportUrl: FULL_REPORT_URL });
    // Slack has room for all forty.
    for (const commit of report.repos[0]!.commits.filter((item) => item.importance === "high")) expect(texts.join("\n")).toContain(commit.shortSha);
  });
});
