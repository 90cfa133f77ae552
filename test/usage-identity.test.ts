import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { readProjectIdentity } from "../src/usage/identity.js";
import { usageReaders } from "../src/usage/scan/registry.js";
import type { ProjectTree } from "../src/usage/types.js";
import { makeRepo, type TestRepo } from "./helpers/make-repo.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

/** The tree at HEAD of a real repository, read with git. */
function treeOf(repo: TestRepo): ProjectTree {
  const paths = repo.git(["ls-tree", "-r", "--name-only", "-z", "HEAD"]).split("\0").filter(Boolean);
  return {
    paths,
    read: async (path) => {
      try {
        return execFileSync("git", ["show", `HEAD:${path}`], { cwd: repo.dir, encoding: "utf8" });
      } catch {
        return undefined;
      }
    },
  };
}

describe("readProjectIdentity", () => {
  it("reads packages, crates, modules, headers and commands from the manifests and the tree", async () => {
    const repo = makeRepo();
    repos.push(repo);
    repo
      .write("pyproject.toml", '[project]\nname = "My-Tool"\n[project.scripts]\nmytool = "my_tool.cli:main"\n[tool.setuptools.packages.find]\nwhere = ["src"]\n')
      .write("src/my_tool/__init__.py", "")
      .write("src/my_tool/sub/__init__.py", "")
      .write("src/helpers/__init__.py", "")
      .write("tests/__init__.py", "")
      .write("toplevel/__init__.py", "")
      .write("package.json", JSON.stringify({ name: "@acme/root", private: true, workspaces: ["packages/*"], bin: { acme: "bin.js" } }))
      .write("packages/core/package.json", JSON.stringify({ name: "@acme/core", private: true, bin: "cli.js" }))
      .write("other/package.json", JSON.stringify({ name: "not-a-workspace" }))
      .write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
      .write("crates/nixl-sys/Cargo.toml", '[package]\nname = "nixl-sys"\n')
      .write("crates/nixl-sys/src/lib.rs", "")
      .write("crates/tool/Cargo.toml", '[package]\nname = "nixl-tool"\n')
      .write("crates/tool/src/main.rs", "fn main() {}")
      .write("go/go.mod", "module github.com/acme/thing/v2\n\ngo 1.22\n")
      .write("go/cmd/thingd/main.go", "package main")
      .write("include/nixl.h", "")
      .write("include/nixl/agent.hpp", "")
      .write("src/api.h", "")
      .write("src/internal/detail.h", "")
      .write("test/include/fake.h", "");
    repo.commit("project");
    const identity = await readProjectIdentity(treeOf(repo));
    expect(identity).toEqual({
      python: ["helpers", "my_tool"],
      npm: ["@acme/core", "@acme/root"],
      crates: ["nixl_sys"],
      goModules: ["github.com/acme/thing/v2"],
      headers: ["api.h", "nixl.h", "nixl/agent.hpp"],
      commands: ["acme", "core", "mytool", "nixl-tool", "thingd"],
    });
    const overridden = await readProjectIdentity(treeOf(repo), { python: ["other"], commands: [] });
    expect(overridden.python).toEqual(["other"]);
    expect(overridden.commands).toEqual([]);
    expect(overridden.crates).toEqual(["nixl_sys"]);
  });

  it("takes the pyproject name only when a folder of that name exists, and reads top-level packages without roots", async () => {
    const repo = makeRepo();
    repos.push(repo);
    repo.write("pyproject.toml", '[project]\nname = "ns.pkg-x"\n').write("ns_pkg_x/mod.py", "").write("vllm/__init__.py", "").write(".hidden/__init__.py", "").write("examples/__init__.py", "");
    repo.commit("project");
    expect((await readProjectIdentity(treeOf(repo))).python).toEqual(["ns_pkg_x", "vllm"]);
    repo.remove("ns_pkg_x").write("pyproject.toml", '[project]\nname = "absent"\n');
    repo.commit("no folder");
    expect((await readProjectIdentity(treeOf(repo))).python).toEqual(["vllm"]);
  });
});

describe("usage reader registry", () => {
  it("lists a reader for every reader folder", () => {
    const folders = readdirSync(new URL("../src/usage/scan/", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const ids = new Set(usageReaders.ids);
    const covered = (folder: string) => ids.has(folder) || (folder === "yaml" && ids.has("json")) || (folder === "c" && ids.has("cpp")) || (folder === "config" && ids.has("toml"));
    expect(folders.filter((folder) => !covered(folder))).toEqual([]);
  });
});
