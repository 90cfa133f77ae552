import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ExternalServiceError } from "../../errors.js";
import type { RetryOptions } from "../../llm/with-retries.js";
import { sampleReport } from "../../report/test-fixtures.js";
import { CHANNEL_SPECS, HEADER_TOKEN, SIGNING_SECRET, TOKEN_PATH } from "./test-channels.js";
import { startReceiver, type Reply, type TestReceiver } from "./test-receiver.js";
import { FULL_REPORT_URL } from "./test-reports.js";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const delivery = { report: sampleReport("zh-CN"), rendered: [], fullReportUrl: FULL_REPORT_URL };

describe.each(CHANNEL_SPECS)("the $id channel", (spec) => {
  async function deliverAgainst(replies: Reply[], timeoutMs = 2_000) {
    receiver = await startReceiver(replies, spec.ok);
    const sleeps: number[] = [];
    const retry: RetryOptions = { retries: 2, baseDelayMs: 10, maxDelayMs: 5_000, random: () => 0, sleep: async (ms) => void sleeps.push(ms) };
    const channel = spec.create(receiver.url(TOKEN_PATH), { timeoutMs }, undefined, retry);
    return { outcome: channel.deliver(delivery), sleeps, hook: receiver };
  }

  it("names a missing environment variable when it is created", () => {
    for (const variable of spec.variables) {
      const env: NodeJS.ProcessEnv = { HOOK_URL: "https://example.com/hook", HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN };
      delete env[variable];
      const retry = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };
      expect(() => spec.create("unused", {}, env, retry)).toThrow(ConfigError);
      expect(() => spec.create("unused", {}, env, retry)).toThrow(variable);
    }
  });

  it("delivers once and reports the host only as its target", async () => {
    const { outcome, hook } = await deliverAgainst([]);
    const results = await outcome;
    expect(results).toEqual([{ channel: spec.id, target: `${spec.id}:${new URL(hook.url()).host}`, format: expect.any(String) as unknown }]);
    expect(hook.requests.length).toBeGreaterThanOrEqual(1);
    expect(hook.requests.every((request) => request.method === "POST" && request.url.startsWith(TOKEN_PATH))).toBe(true);
  });

  it("retries a 500 and delivers the message once", async () => {
    const { outcome, hook } = await deliverAgainst([{ status: 500, body: "internal error" }]);
    await outcome;
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]?.body).toBe(hook.requests[0]?.body);
  });

  it("retries a request that hangs beyond the time-out", async () => {
    const { outcome, hook } = await deliverAgainst(["hang"], 250);
    await outcome;
    expect(hook.requests).toHaveLength(2);
  });

  it("fails at once on a 400 with one line and no secret", async () => {
    // The platform echoes what it got: the token, and the secret this channel holds.
    const held = spec.variables.map((variable) => ({ HOOK_URL: TOKEN_PATH, HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN })[variable] ?? "");
    const { outcome, hook } = await deliverAgainst([{ status: 400, body: `bad request for ${held.join(" ")}` }]);
    const error = await outcome.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ExternalServiceError);
    const message = (error as ExternalServiceError).message;
    expect(hook.requests).toHaveLength(1);
    expect(message.startsWith(`${spec.id}: HTTP 400`)).toBe(true);
    expect(message).toMatch(/check/);
    expect(message).not.toMatch(/[\r\n]/);
    const hint = String((error as ExternalServiceError).hint);
    for (const secret of ["SECRETtoken42", SIGNING_SECRET, "hdrSECRETvalue", "T01SECRET"]) {
      expect(message).not.toContain(secret);
      expect(hint).not.toContain(secret);
    }
  });

  it("waits at least the Retry-After of a 429", async () => {
    const { outcome, sleeps, hook } = await deliverAgainst([{ status: 429, headers: { "Retry-After": "1" }, body: "rate limited" }]);
    await outcome;
    expect(hook.requests).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
  });
});
