import { afterEach, describe, expect, it } from "vitest";
import { ExternalServiceError } from "../../errors.js";
import { parseRetryAfter, postJson, type PostJsonOptions } from "./post-json.js";
import type { RetryPolicy } from "./retry-policy.js";
import { startReceiver, type Reply, type TestReceiver } from "../../../test/support/delivery/chat/receiver.js";

const TOKEN_PATH = "/hooks/T0123/B0456/zzSECRETtoken789";

let receiver: TestReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function retryRecording(sleeps: number[]): RetryPolicy {
  return { attempts: 3, baseMs: 10, maxMs: 5_000, timeoutMs: 300, random: () => 0, sleep: async (ms) => void sleeps.push(ms) };
}

async function post(replies: Reply[], extra: Partial<PostJsonOptions> = {}, fallback?: Reply) {
  receiver = await startReceiver(replies, fallback);
  const sleeps: number[] = [];
  const url = receiver.url(TOKEN_PATH);
  const result = postJson(url, { hello: "world" }, { channel: "test", retry: retryRecording(sleeps), ...extra });
  return { result, sleeps, receiver, url };
}

async function failure(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExternalServiceError);
  return error as ExternalServiceError;
}

describe("postJson", () => {
  it("retries a 500 and delivers the body once", async () => {
    const { result, receiver: hook } = await post([{ status: 500, body: "oops" }]);
    await expect(result).resolves.toBe("ok");
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]?.json).toEqual({ hello: "world" });
    expect(hook.requests[1]?.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("gives up on an answer that does not come within the time-out, and tries again", async () => {
    const { result, receiver: hook } = await post(["hang"]);
    await expect(result).resolves.toBe("ok");
    expect(hook.requests).toHaveLength(2);
  });

  it("fails at once on a 400 with one line naming the channel and what to check, and no secret", async () => {
    const { result, receiver: hook, url } = await post([{ status: 400, body: `invalid_payload\nfor ${TOKEN_PATH}` }], { hint: "check the URL in $HOOK_URL" });
    const error = await failure(result);
    expect(hook.requests).toHaveLength(1);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^test: HTTP 400 from 127\.0\.0\.1:\d+ \("invalid_payload for \[redacted\]"\); check the URL in \$HOOK_URL$/);
    expect(error.message).not.toContain("zzSECRETtoken789");
    expect(error.message).not.toContain(url);
  });

  it("waits at least as long as Retry-After says after a 429", async () => {
    const { result, sleeps, receiver: hook } = await post([{ status: 429, headers: { "Retry-After": "1" }, body: "slow down" }]);
    await expect(result).resolves.toBe("ok");
    expect(hook.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
  });

  it("treats a platform error code in a 200 answer as a failure, retrying only rate limits", async () => {
    const refused = await post([{ body: { errcode: 310000, errmsg: "keywords not in content" } }], {
      okWhen: (json) => (json as { errcode?: number }).errcode === 0,
      retryWhen: (json) => (json as { errcode?: number }).errcode === 130101,
    });
    const error = await failure(refused.result);
    expect(refused.receiver.requests).toHaveLength(1);
    expect(error.message).toContain('refused the message (code 310000 "keywords not in content")');
    await receiver?.close();

    const limited = await post([{ body: { errcode: 130101, errmsg: "send too fast" } }], {
      okWhen: (json) => (json as { errcode?: number }).errcode === 0,
      retryWhen: (json) => (json as { errcode?: number }).errcode === 130101,
    }, { body: { errcode: 0, errmsg: "ok" } });
    await expect(limited.result).resolves.toEqual({ errcode: 0, errmsg: "ok" });
    expect(limited.receiver.requests).toHaveLength(2);
  });

  it("reports a refused connection as retryable, without the URL", async () => {
    receiver = await startReceiver();
    const url = receiver.url(TOKEN_PATH);
    await receiver.close();
    receiver = undefined;
    const error = await failure(postJson(url, {}, { channel: "test", retry: { attempts: 1, baseMs: 1, maxMs: 1, timeoutMs: 300 } }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^test: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
