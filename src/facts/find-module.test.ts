import { describe, expect, it } from "vitest";
import { findModule } from "./find-module.js";

describe("findModule", () => {
  it("takes the folder of the nearest manifest seen in the commit", () => {
    const manifests = ["lib/runtime", "lib/runtime/examples/hello", "deploy/operator"];
    expect(findModule("lib/runtime/src/logging.rs", manifests)).toBe("lib/runtime");
    expect(findModule("lib/runtime/examples/hello/src/main.rs", manifests)).toBe("lib/runtime/examples/hello");
    expect(findModule("deploy/operator/internal/controller/x.go", manifests)).toBe("deploy/operator");
    expect(findModule("lib/runtime/Cargo.toml", manifests)).toBe("lib/runtime");
  });

  it("does not take a manifest folder that only shares a name prefix", () => {
    expect(findModule("lib/runtime-utils/src/a.rs", ["lib/runtime"])).toBe("lib/runtime-utils");
  });

  it("ignores a root manifest, which would swallow every path", () => {
    expect(findModule("lib/llm/src/a.rs", ["."])).toBe("lib/llm");
    expect(findModule("lib/llm/src/a.rs", [""])).toBe("lib/llm");
  });

  it("takes two segments under a conventional multi-module root", () => {
    expect(findModule("lib/runtime/src/x.rs", [])).toBe("lib/runtime");
    expect(findModule("components/planner/src/main.py", [])).toBe("components/planner");
    expect(findModule("packages/ui/index.ts", [])).toBe("packages/ui");
    expect(findModule("crates/core/src/lib.rs", [])).toBe("crates/core");
    expect(findModule("src/facts/types.ts", [])).toBe("src/facts");
  });

  it("takes the root folder itself for a file directly in a conventional root", () => {
    expect(findModule("src/main.ts", [])).toBe("src");
    expect(findModule("lib/util.py", [])).toBe("lib");
  });

  it("falls back to the top-level folder, and to '.' for root files", () => {
    expect(findModule("docs/planner/guide.md", [])).toBe("docs");
    expect(findModule(".github/workflows/ci.yml", [])).toBe(".github");
    expect(findModule("README.md", [])).toBe(".");
    expect(findModule("Cargo.toml", ["."])).toBe(".");
  });
});
