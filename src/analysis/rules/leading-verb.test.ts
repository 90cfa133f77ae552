import { describe, expect, it } from "vitest";
import { readObjectType, readVerb } from "./leading-verb.js";

function typeOf(description: string): string | undefined {
  return readVerb(description)?.rule.type;
}

describe("readVerb", () => {
  it.each([
    ["fix", "Fix the barrier"],
    ["fixes", "Fixes #1152 - GUSLI auto-generated conf"],
    ["fixed", "Fixed build with new cmake"],
    ["fixing", "fixing a race on shutdown"],
    ["drop", "Dropped the v1 path"],
    ["drop", "Dropping the v1 path"],
    ["simplify", "Simplified installation"],
    ["clean up", "Cleaned up nixlUcxBackendH"],
    ["speed up", "Sped up the allocator"],
    ["make", "Made queryMem faster"],
  ])("reads the inflections of %s: %s", (_verb, description) => {
    expect(readVerb(description)).toBeDefined();
  });

  it("quotes the words it read, as written", () => {
    expect(readVerb("Fixed build with new cmake")).toMatchObject({ words: "Fixed", rest: "build with new cmake" });
    expect(readVerb("Apply patch for security issue")?.words).toBe("Apply patch");
    expect(readVerb("Reduce latency of NIXL import")?.words).toBe("Reduce latency");
    expect(readVerb("Improve the performance of sendAm")?.words).toBe("Improve … performance");
  });

  it("matches whole words only", () => {
    expect(typeOf("Fixture loading for the router")).toBeUndefined();
    expect(typeOf("Prefix cache hit rate")).toBeUndefined();
    expect(typeOf("Addressing the allocator")).toBeUndefined();
    expect(typeOf("Fix-up of the parser")).toBeUndefined();
  });

  it("skips one modifier before the verb", () => {
    expect(typeOf("Minor fixes")).toBe("bugfix");
    expect(typeOf("Initial support for ROCm")).toBe("feature");
    expect(typeOf("Small refactor of the loader")).toBe("refactor");
    expect(typeOf("Minor")).toBeUndefined();
  });

  it("looks past a short label with spaces, but not a long sentence", () => {
    expect(typeOf("Mooncake plugin: fix checkXfer use-after-free")).toBe("bugfix");
    expect(typeOf("This is a long explanation of what went on here: fix it")).toBeUndefined();
  });

  it("reads a closing participle or noun when no verb opens the description", () => {
    expect(typeOf("naming fixed")).toBe("bugfix");
    expect(typeOf("AIO resubmission fixed")).toBe("bugfix");
    expect(typeOf("excessive memset eliminated")).toBe("refactor");
    expect(typeOf("memory leak fix")).toBe("bugfix");
    expect(typeOf("Nixlbench improvements")).toBe("feature");
    expect(typeOf("fixed")).toBe("bugfix");
    expect(typeOf("Data split")).toBeUndefined();
  });

  it("needs the object a rule names", () => {
    expect(typeOf("Reduce log noise")).toBeUndefined();
    expect(typeOf("Avoid copying the buffer")).toBe("performance");
    expect(typeOf("Avoid deadlock on teardown")).toBe("bugfix");
    expect(typeOf("Apply review suggestions")).toBeUndefined();
    expect(typeOf("Skip UCCL tests due to flakiness")).toBe("test");
    expect(typeOf("Skip the warm-up")).toBeUndefined();
    expect(typeOf("Use the new API")).toBeUndefined();
    expect(typeOf("Use lock_guard instead of shared_lock")).toBe("refactor");
  });

  it("reads the first rule of the table that matches", () => {
    expect(typeOf("Improve throughput of the router")).toBe("performance");
    expect(typeOf("Improve error messages")).toBe("feature");
    expect(typeOf("Add missing include")).toBe("bugfix");
    expect(typeOf("Add a meson option")).toBe("feature");
  });
});

describe("readObjectType", () => {
  it.each([
    ["tests for the KV router", "test"],
    ["more unit tests", "test"],
    ["missing test cases", "test"],
    ["full-pipeline stress tests", "test"],
    ["two tests.", "test"],
    ["test variants", "test"],
    ["the docs for retries", "docs"],
    ["README.md", "docs"],
    ["the test_empty_notif_tag timeout", undefined],
    ["race in telemetry test", undefined],
    ["test mode to the CLI", undefined],
    ["GPU support to plugins/ucx unit tests", undefined],
    ["document store support", undefined],
  ])("%s → %s", (rest, expected) => {
    expect(readObjectType(rest)).toBe(expected);
  });
});
