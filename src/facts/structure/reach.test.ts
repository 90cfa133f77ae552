import { describe, expect, it } from "vitest";
import { decideReach, isImportablePackage } from "./reach.js";
import type { FileStructure } from "./types.js";

const EMPTY: FileStructure = { symbols: [], cliFlags: [], errorCount: 0 };

describe("isImportablePackage", () => {
  it.each([
    ["a library with main", { name: "lib", main: "dist/index.js" }],
    ["a library with exports and a bin beside", { name: "lib", exports: { ".": "./dist/index.js" }, bin: { lib: "dist/cli.js" } }],
    ["types only", { name: "@types/x", types: "index.d.ts" }],
    ["published, nothing named: Node resolves index.js", { name: "plain", version: "1.0.0" }],
  ])("%s can be imported", (_, manifest) => {
    expect(isImportablePackage(JSON.stringify(manifest))).toBe(true);
  });

  it.each([
    ["a CLI (bin, no entry point)", { name: "tool", bin: { tool: "dist/main.js" } }],
    ["a bin given as a path", { name: "tool", bin: "cli.js" }],
    ["an app never published", { name: "web", private: true, scripts: { dev: "vite" } }],
  ])("%s cannot", (_, manifest) => {
    expect(isImportablePackage(JSON.stringify(manifest))).toBe(false);
  });

  it("a package.json that is not a JSON object says nothing (export decides)", () => {
    expect(isImportablePackage("{ not json")).toBe(true);
    expect(isImportablePackage("[]")).toBe(true);
  });
});

describe("decideReach for TypeScript", () => {
  it("a module of a package no one imports is internal; without a package.json, export decides", () => {
    expect(decideReach({ path: "src/usage/config.ts", language: "typescript", structure: EMPTY, importablePackage: false })).toBe("internal");
    expect(decideReach({ path: "src/usage/config.ts", language: "typescript", structure: EMPTY, importablePackage: true })).toBe("public");
    expect(decideReach({ path: "src/usage/config.ts", language: "typescript", structure: EMPTY })).toBe("public");
    expect(decideReach({ path: "src/internal/x.ts", language: "typescript", structure: EMPTY, importablePackage: true })).toBe("internal");
  });
});
