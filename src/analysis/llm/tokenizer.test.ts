import { describe, expect, it } from "vitest";
import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";
import { createTokenCounter } from "./tokenizer.js";

describe("createTokenCounter", () => {
  const counter = createTokenCounter();

  it("counts o200k_base tokens", () => {
    expect(counter.count("")).toBe(0);
    expect(counter.count("hello world")).toBe(2);
    expect(counter.count("export function extractFacts(commit: Commit): CommitFacts {")).toBeGreaterThan(8);
  });

  it("counts a diff exactly as the encoder does, whatever it has counted before", () => {
    const diff = [
      "@@ -12,7 +12,9 @@ def route(request):",
      "     handler = self.handlers.get(request.path)",
      "-    return handler(request)",
      "+    if handler is None:",
      "+        raise NotFound(f\"no route for {request.path!r}\")",
      "+    return handler(request, timeout=30)",
      "+// 中文注释：路由表 🚀",
    ].join("\n");
    const encoder = new Tiktoken(o200kBase);
    expect(counter.count(diff)).toBe(encoder.encode(diff).length);
    expect(counter.count(diff)).toBe(encoder.encode(diff).length);
  });

  it("is one shared instance, so the ranks load once", () => {
    expect(createTokenCounter()).toBe(counter);
  });

  it("counts special-token strings in a diff as text instead of throwing", () => {
    expect(counter.count("+EOS = '<|endoftext|>'")).toBeGreaterThan(3);
  });

  it("bounds a long unbroken run by its bytes, quickly, and counts the text around it exactly", () => {
    const run = "A".repeat(50_000);
    const started = performance.now();
    const tokens = counter.count(`+data = "${run}"\n+done = True\n`);
    expect(performance.now() - started).toBeLessThan(2_000);
    const around = counter.count('+data = "') + counter.count('"\n+done = True\n');
    expect(tokens).toBeGreaterThanOrEqual(50_000);
    expect(tokens).toBeLessThanOrEqual(50_000 + around + 2);
  });
});
