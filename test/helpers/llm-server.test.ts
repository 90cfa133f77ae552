import pLimit from "p-limit";
import { describe, expect, it } from "vitest";
import { startLlmServer } from "./llm-server.js";

function chat(url: string, content: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "system", content: "sys" }, { role: "user", content }] }),
    ...(signal ? { signal } : {}),
  });
}

interface ChatCompletion {
  choices: Array<{ message: { content: string }; finish_reason: string }>;
  usage: unknown;
}

describe("startLlmServer", () => {
  it("counts the most requests in flight at once", async () => {
    const server = await startLlmServer(() => ({ json: { ok: true }, delayMs: 80 }));
    try {
      const limit = pLimit(2);
      await Promise.all([1, 2, 3, 4, 5].map((n) => limit(() => chat(server.url, `commit ${n}`).then((r) => r.json()))));
      expect(server.maxConcurrent).toBe(2);
      await Promise.all([1, 2, 3, 4].map((n) => chat(server.url, `again ${n}`).then((r) => r.json())));
      expect(server.maxConcurrent).toBe(4);
      expect(server.requests.map((request) => request.text)).toContain("sys\ncommit 3");
    } finally {
      await server.close();
    }
  });

  it("answers in the OpenAI shape, with usage and a cut answer on length", async () => {
    const server = await startLlmServer((request) =>
      request.text.includes("cut")
        ? { json: { summary: "a long answer" }, finishReason: "length", usage: { input: 10, output: 99 } }
        : { json: { summary: "ok" }, usage: { input: 10, output: 3 } },
    );
    try {
      const whole = (await (await chat(server.url, "whole")).json()) as ChatCompletion;
      expect(whole.choices[0]?.message.content).toBe('{"summary":"ok"}');
      expect(whole.choices[0]?.finish_reason).toBe("stop");
      expect(whole.usage).toEqual({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
      const cut = (await (await chat(server.url, "cut")).json()) as ChatCompletion;
      expect(cut.choices[0]?.finish_reason).toBe("length");
      expect(() => JSON.parse(cut.choices[0]?.message.content ?? "")).toThrow();
    } finally {
      await server.close();
    }
  });

  it("sends errors with Retry-After, and 404 for paths it does not serve", async () => {
    const server = await startLlmServer(() => ({ status: 429, retryAfterSeconds: 3 }));
    try {
      const limited = await chat(server.url, "x");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("3");
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/rate limit/i);
      const missing = await fetch(`${server.url}/v1/responses`, { method: "POST", body: "{}" });
      expect(missing.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("closes while a request hangs", async () => {
    const server = await startLlmServer(() => ({ hang: true }));
    const pending = chat(server.url, "x").catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
