import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ExternalServiceError } from "../../errors.js";
import { sampleReport } from "../../../test/support/report/fixtures.js";
import type { RetryPolicy } from "./retry-policy.js";
import { CHANNEL_SPECS, HEADER_TOKEN, SIGNING_SECRET, TOKEN_PATH } from "../../../test/support/delivery/chat/channels.js";
import { startReceiver, type Reply, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";
import { FULL_REPORT_URL } from "../../../test/support/delivery/chat/reports.js";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const delivery = { report: sampleReport("zh-CN"), rendered: [], fullReportUrl: FULL_REPORT_URL };
const SECRET_PARTS = ["SECRETtoken42", "T01SECRET", "SECRETkey0042", "SECRETaccess43", SIGNING_SECRET, "hdrSECRETvalue"];

async function failureOf(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExternalServiceError);
  return error as ExternalServiceError;
}

describe.each(CHANNEL_SPECS)("the $id channel", (spec) => {
  async function deliverAgainst(replies: Reply[], timeoutMs = 2_000) {
    receiver = await startReceiver(replies, spec.ok, spec.check);
    const sleeps: number[] = [];
    const retry: RetryPolicy = { attempts: 3, baseMs: 10, maxMs: 5_000, timeoutMs, random: () => 0, sleep: async (ms) => void sleeps.push(ms) };
    const channel = spec.create(receiver.url(TOKEN_PATH), undefined, { retry });
    return { outcome: channel.deliver(delivery), sleeps, hook: receiver };
  }

  it("names a missing environment variable when it is created", () => {
    for (const variable of spec.variables) {
      const env: NodeJS.ProcessEnv = { HOOK_URL: "https://example.com/hook", HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN };
      delete env[variable];
      expect(() => spec.create("unused", env, {})).toThrow(ConfigError);
      expect(() => spec.create("unused", env, {})).toThrow(variable);
    }
  });

  it("refuses a variable that does not hold an http(s) URL, without echoing it", () => {
    const env: NodeJS.ProcessEnv = { HOOK_URL: "SECRETnotAUrl", HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN };
    expect(() => spec.create("unused", env, {})).toThrow(ConfigError);
    expect(() => spec.create("unused", env, {})).not.toThrow(/SECRETnotAUrl/);
  });

  it("delivers a payload its platform takes, and reports the host only as its target", async () => {
    const { outcome, hook } = await deliverAgainst([]);
    const results = await outcome;
    expect(results).toEqual([{ channel: spec.id, target: `${spec.id}:${new URL(hook.url()).host}`, format: expect.any(String) as unknown }]);
    for (const secret of SECRET_PARTS) expect(results[0]?.target).not.toContain(secret);
    expect(hook.requests.length).toBeGreaterThanOrEqual(1);
    expect(hook.requests.map((request) => request.problem)).toEqual(hook.requests.map(() => undefined));
    expect(hook.requests.every((request) => request.url.startsWith(TOKEN_PATH))).toBe(true);
  });

  it("sends through the fetch it is given", async () => {
    receiver = await startReceiver([], spec.ok, spec.check);
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await spec.create(receiver.url(TOKEN_PATH), undefined, { fetch: counting }).deliver(delivery);
    expect(seen).toHaveLength(receiver.requests.length);
    expect(seen.every((url) => url.startsWith(receiver!.url(TOKEN_PATH)))).toBe(true);
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

  it("gives up after the policy's attempts, saying why", async () => {
    const { outcome, hook } = await deliverAgainst([500, 502, 503, 504].map((status) => ({ status, body: "down" })));
    const error = await failureOf(outcome);
    expect(hook.requests).toHaveLength(3);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`^${spec.id}: HTTP 503 from 127\\.0\\.0\\.1:\\d+`));
  });

  it("fails at once on a 400 with one line and no secret", async () => {
    // The platform echoes what it got: the URL with its tokens, and the secret this channel holds.
    const held = spec.variables.map((variable) => ({ HOOK_URL: TOKEN_PATH, HOOK_SECRET: SIGNING_SECRET, HOOK_TOKEN: HEADER_TOKEN })[variable] ?? "");
    const { outcome, hook } = await deliverAgainst([{ status: 400, body: `bad request for ${held.join(" ")}\nsee the docs` }]);
    const error = await failureOf(outcome);
    expect(hook.requests).toHaveLength(1);
    expect(error.message.startsWith(`${spec.id}: HTTP 400`)).toBe(true);
    expect(error.message).toMatch(/check/);
    expect(error.message).not.toMatch(/[\r\n]/);
    for (const secret of SECRET_PARTS) {
      expect(error.message).not.toContain(secret);
      expect(String(error.hint)).not.toContain(secret);
    }
  });

  it("waits at least the Retry-After of a 429", async () => {
    const { outcome, sleeps, hook } = await deliverAgainst([{ status: 429, headers: { "Retry-After": "1" }, body: "rate limited" }]);
    await outcome;
    expect(hook.requests).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
  });
});
