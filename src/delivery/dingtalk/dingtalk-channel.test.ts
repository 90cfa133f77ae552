import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import { ROBOT_MARKUP } from "../chat/markup.js";
import { expectWholeDigest } from "../../../test/support/delivery/chat/digest-checks.js";
import { checkDingtalk } from "../../../test/support/delivery/chat/payloads.js";
import { startReceiver, type Reply, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";
import { createDingtalkChannel } from "./dingtalk-channel.js";
import { dingtalkConfigSchema } from "./dingtalk-config.js";
import { DINGTALK_TEXT_LIMIT, type DingtalkMessage } from "./dingtalk-message.js";

const SECRET = "SECdingtalk0123456789";
const NOW = 1_768_694_400_000;

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function deliver(report = sampleReport("zh-CN"), config: Record<string, unknown> = { secretEnv: "DING_SECRET" }, replies: Reply[] = []) {
  const secret = config["secretEnv"] === undefined ? undefined : SECRET;
  receiver = await startReceiver(replies, { body: { errcode: 0, errmsg: "ok" } }, checkDingtalk({ ...(secret === undefined ? {} : { secret }), now: () => NOW }));
  const channel = createDingtalkChannel(
    dingtalkConfigSchema.parse({ urlEnv: "DING_URL", ...config }),
    { DING_URL: receiver.url("/robot/send?access_token=tok123456789"), DING_SECRET: SECRET },
    { now: () => NOW, retry: { attempts: 3, baseMs: 1, maxMs: 10 } },
  );
  await channel.deliver({ report, rendered: [], fullReportUrl: FULL_REPORT_URL });
  return receiver.requests;
}

describe("the DingTalk channel", () => {
  it("posts markdown with a title and heading, signed in the query", async () => {
    const [request, ...rest] = await deliver();
    expect(rest).toEqual([]);
    const body = request?.json as DingtalkMessage;
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.title).toBe("repo-digest 每日更新（2026-01-17）");
    expect(body.markdown.text.startsWith("### repo-digest 每日更新（2026-01-17）\n\n")).toBe(true);
    // Every line is its own paragraph: DingTalk merges lines split by one newline.
    expect(body.markdown.text).not.toMatch(/[^\n]\n[^\n]/);
    expect(body.markdown.text).toContain("\n\n⚠️ 未配置 LLM：分析由内置规则生成。\n\n");
    const query = new URL(request!.url, "http://localhost").searchParams;
    expect(query.get("access_token")).toBe("tok123456789");
    expect(query.get("timestamp")).toBe(String(NOW));
    const expected = createHmac("sha256", SECRET).update(`${NOW}\n${SECRET}`).digest("base64");
    expect(query.get("sign")).toBe(expected);
    // The raw query carries the signature URL-encoded.
    expect(request!.url).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it("keeps every text within 18,000 bytes for 40 high-importance commits, cutting no line", async () => {
    const report = manyHighReport(40);
    const requests = await deliver(report);
    const texts = requests.map((request) => (request.json as DingtalkMessage).markdown.text);
    for (const text of texts) expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(DINGTALK_TEXT_LIMIT);
    expectWholeDigest(texts, report, { markup: ROBOT_MARKUP, fullReportUrl: FULL_REPORT_URL, heading: (title) => `### ${title}` });
  });

  it("retries the rate-limit code 130101 and fails at once on other error codes", async () => {
    const limited = await deliver(sampleReport("en"), {}, [{ body: { errcode: 130101, errmsg: "send too fast" } }]);
    expect(limited).toHaveLength(2);
    await receiver?.close();
    await expect(deliver(sampleReport("en"), {}, [{ body: { errcode: 310000, errmsg: "keywords not in content" } }])).rejects.toThrow(
      /dingtalk: .*code 310000.*keywords/,
    );
    expect(receiver?.requests).toHaveLength(1);
  });
});
