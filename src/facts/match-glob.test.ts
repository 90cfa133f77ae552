import { describe, expect, it } from "vitest";
import { globToRegExp, matchesAnyGlob, matchesGlob } from "./match-glob.js";

describe("matchesGlob", () => {
  it.each([
    // A pattern without a slash matches a name at any depth.
    ["ATTRIBUTIONS*", "ATTRIBUTIONS-Rust.md", true],
    ["ATTRIBUTIONS*", "container/ATTRIBUTIONS-sglang.md", true],
    ["*.min.js", "web/static/app.min.js", true],
    ["*.min.js", "web/static/app.js", false],
    // ... and a folder of that name covers what it holds.
    ["vendor", "vendor/github.com/x/y.go", true],
    ["third_party/", "src/third_party/a/b.c", true],
    // With a slash, the pattern is anchored at the root.
    ["docs/*.md", "docs/guide.md", true],
    ["docs/*.md", "docs/planner/guide.md", false],
    ["docs/*.md", "site/docs/guide.md", false],
    ["lib/runtime/**", "lib/runtime/src/logging.rs", true],
    ["lib/runtime/**", "lib/runtime-utils/a.rs", false],
    ["**/generated/**", "lib/api/generated/types.rs", true],
    ["**/generated/**", "generated/types.rs", true],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/a/b/c.ts", true],
    ["src/**/*.ts", "src/a/b/c.rs", false],
    ["/Cargo.lock", "Cargo.lock", true],
    ["/Cargo.lock", "lib/Cargo.lock", false],
    ["./deploy/*", "deploy/values.yaml", true],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file10.txt", false],
    ["*.{pb.go,pb.h}", "api/x.pb.h", true],
    ["*.{pb.go,pb.h}", "api/x.pbxh", false],
    ["a+b(c).txt", "a+b(c).txt", true],
    ["{unclosed", "{unclosed", true],
  ])("%s against %s is %s", (pattern, path, expected) => {
    expect(matchesGlob(path, pattern)).toBe(expected);
  });

  it("does not let * cross a folder", () => {
    expect(matchesGlob("lib/a/b.rs", "lib/*.rs")).toBe(false);
    expect(matchesGlob("lib/b.rs", "lib/*.rs")).toBe(true);
  });

  it("matches nothing for an empty pattern", () => {
    expect(globToRegExp("  ")).toBeUndefined();
    expect(matchesGlob("a.txt", "")).toBe(false);
  });
});

describe("matchesAnyGlob", () => {
  it("is true when one pattern matches and false for no patterns", () => {
    expect(matchesAnyGlob("lib/llm/src/http.rs", ["docs/**", "lib/llm/**"])).toBe(true);
    expect(matchesAnyGlob("lib/llm/src/http.rs", ["docs/**"])).toBe(false);
    expect(matchesAnyGlob("lib/llm/src/http.rs", [])).toBe(false);
  });
});
