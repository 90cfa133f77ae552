import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import { FEISHU_MARKUP } from "../chat/markup.js";
import { expectWholeDigest } from "../../../test/support/delivery/chat/digest-checks.js";
import { checkFeishu } from "../../../test/support/delivery/chat/payloads.js";
import { startReceiver, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";
import { createFeishuChannel } from "./feishu-channel.js";
import { feishuConfigSchema } from "./feishu-config.js";
import { FEISHU_BODY_LIMIT, type FeishuMessage } from "./feishu-message.js";

const SECRET = "feishu-signing-secret";
const NOW = Date.parse("2026-01-18T00:00:00Z");

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

type SignedMessage = FeishuMessage & { timestamp?: string; sign?: string };

async function deliver(report = sampleReport("zh-CN"), config: Record<string, unknown> = { secretEnv: "FEISHU_SECRET" }) {
  const secret = config["secretEnv"] === undefined ? undefined : SECRET;
  receiver = await startReceiver([], { body: { code: 0, msg: "success", data: {} } }, checkFeishu({ ...(secret === undefined ? {} : { secret }), now: () => NOW }));
  const channel = createFeishuChannel(
    feishuConfigSchema.parse({ urlEnv: "FEISHU_URL", ...config }),
    { FEISHU_URL: receiver.url("/open-apis/bot/v2/hook/abc-token"), FEISHU_SECRET: SECRET },
    { now: () => NOW },
  );
  await channel.deliver({ report, rendered: [], fullReportUrl: FULL_REPORT_URL });
  return receiver.requests;
}

describe("the Feishu channel", () => {
  it("posts an interactive card with a header and markdown, signed with the timestamp and secret", async () => {
    const [request, ...rest] = await deliver();
    expect(rest).toEqual([]);
    const body = request?.json as SignedMessage;
    expect(body.msg_type).toBe("interactive");
    expect(body.card.header.title).toEqual({ tag: "plain_text", content: "repo-digest 每日更新（2026-01-17）" });
    expect(body.card.elements).toHaveLength(1);
    expect(body.card.elements[0]?.tag).toBe("markdown");
    expect(body.card.elements[0]?.content).toContain(`[查看完整报告](${FULL_REPORT_URL})`);
    expect(body.timestamp).toBe(String(NOW / 1_000));
    const expected = createHmac("sha256", `${body.timestamp}\n${SECRET}`).update("").digest("base64");
    expect(body.sign).toBe(expected);
  });

  it("sends no signature fields without a secret", async () => {
    const [request] = await deliver(sampleReport("en"), {});
    expect(Object.keys(request?.json as object).sort()).toEqual(["card", "msg_type"]);
  });

  it("escapes markdown in commit titles as HTML entities", async () => {
    const report = sampleReport("en");
    report.repos[0]!.commits[0]!.title = "fix <at id=all></at> *x*";
    const [request] = await deliver(report);
    const content = (request?.json as FeishuMessage).card.elements[0]?.content ?? "";
    expect(content).toContain("fix &lt;at id=all&gt;&lt;/at&gt; &#42;x&#42;");
  });

  it("keeps each request within 20 KB for 40 high-importance commits, cutting no line", async () => {
    const report = manyHighReport(40);
    const requests = await deliver(report, { secretEnv: "FEISHU_SECRET", maxMessages: 5 });
    for (const request of requests) expect(Buffer.byteLength(request.body, "utf8")).toBeLessThanOrEqual(FEISHU_BODY_LIMIT);
    const texts = requests.map((request) => (request.json as FeishuMessage).card.elements[0]?.content ?? "");
    expectWholeDigest(texts, report, { markup: FEISHU_MARKUP, fullReportUrl: FULL_REPORT_URL });
  });

  it("fails without retrying when Feishu answers code ≠ 0", async () => {
    receiver = await startReceiver([{ body: { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" } }]);
    const channel = createFeishuChannel(
      feishuConfigSchema.parse({ urlEnv: "FEISHU_URL", secretEnv: "FEISHU_SECRET" }),
      { FEISHU_URL: receiver.url("/open-apis/bot/v2/hook/abc-token"), FEISHU_SECRET: SECRET },
      { retry: { attempts: 4, baseMs: 1, maxMs: 10 } },
    );
    await expect(channel.deliver({ report: sampleReport("en"), rendered: [] })).rejects.toThrow(/feishu: .* refused the message \(code 19021 .*\$FEISHU_SECRET/);
    expect(receiver.requests).toHaveLength(1);
  });
});
