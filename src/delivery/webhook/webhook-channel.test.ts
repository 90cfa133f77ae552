import { afterEach, describe, expect, it } from "vitest";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import type { Report } from "../../report/types.js";
import { checkWebhook } from "../../../test/support/delivery/chat/payloads.js";
import { startReceiver, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL, manyHighReport } from "../../../test/support/delivery/chat/reports.js";
import { createWebhookChannel } from "./webhook-channel.js";
import { webhookConfigSchema } from "./webhook-config.js";
import type { WebhookPayload } from "./webhook-payload.js";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function deliver(report: Report, config: Record<string, unknown> = {}, fullReportUrl?: string) {
  receiver = await startReceiver([], { status: 204, body: "" }, checkWebhook);
  const channel = createWebhookChannel(webhookConfigSchema.parse({ urlEnv: "HOOK_URL", ...config }), {
    HOOK_URL: receiver.url("/ingest?token=abcdef123456"),
    HOOK_TOKEN: "Bearer t0ken-value",
  });
  const results = await channel.deliver({ report, rendered: [], ...(fullReportUrl === undefined ? {} : { fullReportUrl }) });
  return { results, request: receiver.requests[0]! };
}

describe("the generic webhook channel", () => {
  it("posts the documented JSON document with the configured headers", async () => {
    const { results, request } = await deliver(sampleReport("en"), { headers: { Authorization: { env: "HOOK_TOKEN" } } }, FULL_REPORT_URL);
    expect(results[0]?.target).toMatch(/^webhook:127\.0\.0\.1:\d+$/);
    expect(request.headers["authorization"]).toBe("Bearer t0ken-value");
    const payload = request.json as WebhookPayload;
    expect(Object.keys(payload).sort()).toEqual(["fullReportUrl", "kind", "lang", "notices", "period", "repos", "schemaVersion"]);
    expect(payload).toMatchObject({ schemaVersion: 1, kind: "daily", lang: "en", fullReportUrl: FULL_REPORT_URL });
    expect(payload.period.label).toBe("2026-01-17");
    expect(payload.notices).toEqual(["No LLM configured: the analysis comes from the built-in rules."]);
    const [dynamo, tools] = payload.repos;
    expect(dynamo?.counts).toEqual({ high: 2, medium: 2, low: 2, total: 6 });
    expect(dynamo?.highlights.map((item) => item.importance)).toEqual(["high", "high", "medium", "medium"]);
    expect(dynamo?.highlights[0]).toEqual({
      sha: "06939770b300f4bf56ed99590d31d6ada3d6a1ec",
      title: "feat: add span event logging and fix trace context extraction (#5400)",
      summary: expect.stringContaining("Adds optional span event logging") as unknown,
      importance: "high",
      url: "https://github.com/ai-dynamo/dynamo/commit/06939770b300f4bf56ed99590d31d6ada3d6a1ec",
    });
    expect(tools).toMatchObject({ name: "acme/inference-tools", highlights: [], notices: [expect.stringContaining("Fetching the remote failed") as unknown] });
  });

  it("adds the whole report on request, and lists every high-importance commit", async () => {
    const report = manyHighReport(40, "en");
    const { request } = await deliver(report, { includeReport: true });
    const payload = request.json as WebhookPayload;
    expect(payload.report).toEqual(JSON.parse(JSON.stringify(report)));
    expect(payload.fullReportUrl).toBeNull();
    expect(payload.repos[0]?.highlights.filter((item) => item.importance === "high")).toHaveLength(40);
  });

  it("refuses headers the request sets itself", () => {
    expect(webhookConfigSchema.safeParse({ urlEnv: "HOOK_URL", headers: { "Content-Type": { env: "X" } } }).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ urlEnv: "HOOK_URL", headers: { Authorization: "Bearer literal" } }).success).toBe(false);
  });
});
