import { describe, expect, it } from "vitest";
import type { SignatureChange, SurfaceChange, SymbolChange } from "../facts/types.js";
import { makeFacts } from "../../test/support/store/fixtures.js";
import { isLifted, matchUsage, pythonModule, readReexports, type UsageContext } from "./match-usage.js";
import { USAGE_INDEX_VERSION, type ProjectIdentity, type Use, type UsageIndex } from "./types.js";

const IDENTITY: ProjectIdentity = { python: ["click"], npm: ["hono"], crates: ["nixl_sys"], goModules: ["github.com/go-task/task/v3"], headers: ["nixl.h"], commands: ["click-demo"] };

function index(uses: Use[], label = "../my-service"): UsageIndex {
  return { version: USAGE_INDEX_VERSION, label, root: "/x", scannedAt: "2026-12-01T00:00:00Z", files: 1, lines: 1, languages: ["python"], kinds: ["symbol"], uses, skipped: { dynamic: 0, unreadable: 0, tooLarge: 0 } };
}

const site = (file: string, line: number) => ({ file, line, text: `line ${line}` });

function py(module: string, path: string[], line: number, extra: Partial<Extract<Use, { kind: "symbol" }>> = {}): Use {
  return { kind: "symbol", language: "python", module, path, how: "reference", site: site("app/cli.py", line), ...extra };
}

function symbol(change: Partial<SymbolChange> & Pick<SymbolChange, "name" | "change">, file = "src/click/core.py"): SymbolChange {
  return { kind: "function", language: "Python", exported: true, basis: "structure", origin: { file, line: 10 }, ...change };
}

function signature(overrides: Partial<SignatureChange>): SignatureChange {
  return { before: "(a)", after: "(a, b)", parametersAdded: [], parametersRemoved: [], defaultsChanged: [], typesChanged: [], modifiersAdded: [], modifiersRemoved: [], breaking: false, ...overrides };
}

function surface(change: Partial<SurfaceChange> & Pick<SurfaceChange, "kind" | "name" | "change">): SurfaceChange {
  return { area: "product", origin: { file: "src/click/env.py", line: 3 }, ...change };
}

/** What `click/__init__.py` says it takes from where. */
const REEXPORTS = readReexports("click", "from .core import Command as Command\nfrom .core import (\n    Group,\n    echo,\n)\nfrom .parser import *\n");

const run = (changes: { symbols?: SymbolChange[]; surface?: SurfaceChange[] }, uses: Use[], lang: "en" | "zh-CN" = "en") =>
  matchUsage(
    makeFacts("a".repeat(40), { symbols: changes.symbols ?? [], surface: changes.surface ?? [] }),
    { identity: IDENTITY, indexes: [index(uses)], reexports: REEXPORTS } satisfies UsageContext,
    lang,
  );

describe("pythonModule", () => {
  it("reads the module from the path, from the project's package on, and nothing outside it", () => {
    expect(pythonModule("src/click/core.py", ["click"])).toBe("click.core");
    expect(pythonModule("click/__init__.py", ["click"])).toBe("click");
    expect(pythonModule("tests/test_core.py", ["click"])).toBeUndefined();
    expect(pythonModule("src/click/core.ts", ["click"])).toBeUndefined();
  });
});

describe("readReexports", () => {
  it("reads what a package's __init__ takes from its modules, relative and absolute; not star imports or aliases", () => {
    expect([...REEXPORTS]).toEqual([["click.Command", "click.core"], ["click.Group", "click.core"], ["click.echo", "click.core"]]);
    expect([...readReexports("vllm.engine", "from ..config import ModelConfig\nfrom vllm.engine.arg_utils import EngineArgs, X as Y\n")]).toEqual([
      ["vllm.engine.ModelConfig", "vllm.config"],
      ["vllm.engine.EngineArgs", "vllm.engine.arg_utils"],
    ]);
  });
});

describe("matchUsage: Python symbols", () => {
  it("a use through the package reaches only the module the package re-exports the name from", () => {
    // click.Option is core's; parser's Option going away is nothing to the user.
    const reexports = new Map([["click.Option", "click.core"]]);
    const parserOption = symbol({ name: "Option", kind: "class", change: "removed" }, "src/click/parser.py");
    const uses = [py("click", ["Option"], 3, { how: "call" })];
    const context = (map?: Map<string, string>): UsageContext => ({ identity: IDENTITY, indexes: [index(uses)], ...(map ? { reexports: map } : {}) });
    const facts = (change: SymbolChange) => makeFacts("b".repeat(40), { symbols: [change], surface: [] });
    expect(matchUsage(facts(parserOption), context(reexports), "en")).toEqual([]);
    expect(matchUsage(facts({ ...parserOption, origin: { file: "src/click/core.py", line: 1 } }), context(reexports), "en")).toHaveLength(1);
    // Nothing known of what the package re-exports: nothing claimed through it.
    expect(matchUsage(facts({ ...parserOption, origin: { file: "src/click/core.py", line: 1 } }), context(), "en")).toEqual([]);
  });

  it("a removed class used through the package's re-export is breaking, with the user's line", () => {
    const affected = run({ symbols: [symbol({ name: "Group", kind: "class", change: "removed" })] }, [py("click", ["Group"], 12, { how: "call" }), py("click", ["Command"], 13)]);
    expect(affected).toEqual([
      { kind: "symbol", name: "Group", change: "removed", detail: "removed", breaking: true, origin: { file: "src/click/core.py", line: 10 }, uses: [{ label: "../my-service", site: site("app/cli.py", 12) }], totalUses: 1 },
    ]);
    expect(isLifted(affected)).toBe(true);
  });

  it("a method reached through an instance, and a member of a removed class, are affected; the user's own same-named class is not", () => {
    const removedMethod = symbol({ name: "Group.add_command", kind: "method", change: "removed" });
    expect(run({ symbols: [removedMethod] }, [py("click", ["Group", "add_command"], 20, { how: "instance" })])[0]?.uses[0]?.site.line).toBe(20);
    // `Group` of another module (the user's) does not resolve to click's.
    expect(run({ symbols: [removedMethod] }, [py("myapp.groups", ["Group", "add_command"], 21)])).toEqual([]);
    // A bare short name of another package never matches.
    expect(run({ symbols: [symbol({ name: "Group", kind: "class", change: "removed" })] }, [py("other", ["Group"], 5)])).toEqual([]);
  });

  it("renamed: the user uses the old name; moved: only an import of the module it left, not within its file", () => {
    const renamed = symbol({ name: "make_group", change: "renamed", from: { file: "src/click/core.py", line: 9, name: "group_factory" } });
    expect(run({ symbols: [renamed] }, [py("click.core", ["group_factory"], 4)])).toMatchObject([{ name: "group_factory", change: "renamed", detail: "renamed to `make_group`", breaking: true }]);
    expect(run({ symbols: [renamed] }, [py("click.core", ["make_group"], 4)])).toEqual([]);

    const moved = symbol({ name: "echo", change: "moved", origin: { file: "src/click/termui.py", line: 3 }, from: { file: "src/click/utils.py", line: 40 } });
    expect(run({ symbols: [moved] }, [py("click.utils", ["echo"], 8)])).toMatchObject([{ change: "moved", breaking: true }]);
    // Through the package root: the package still offers it, most likely; not claimed.
    expect(run({ symbols: [moved] }, [py("click", ["echo"], 8)])).toEqual([]);
    const withinFile = symbol({ name: "echo", change: "moved", origin: { file: "src/click/utils.py", line: 80 }, from: { file: "src/click/utils.py", line: 40 } });
    expect(run({ symbols: [withinFile] }, [py("click.utils", ["echo"], 8)])).toEqual([]);
  });

  it("a default change reaches calls that leave the parameter out; one passed explicitly is mentioned, not lifted", () => {
    const change = symbol({ name: "echo", change: "signature", signature: signature({ defaultsChanged: [{ name: "err", from: "False", to: "True" }] }) });
    const relying = run({ symbols: [change] }, [py("click", ["echo"], 3, { how: "call", namedArgs: [] })]);
    expect(relying).toMatchObject([{ change: "default", breaking: true, detail: "default of `err` `False` → `True`" }]);
    const explicit = run({ symbols: [change] }, [py("click", ["echo"], 3, { how: "call", namedArgs: ["err"] })]);
    expect(explicit).toMatchObject([{ change: "default", breaking: false }]);
    expect(isLifted(explicit)).toBe(false);
  });

  it("a removed parameter the user passes by name is breaking even where the facts call the change compatible", () => {
    const change = symbol({ name: "Group.__init__", kind: "method", change: "signature", signature: signature({ parametersRemoved: ["chain"], breaking: false }) });
    // Calling the class is calling its constructor.
    const affected = run({ symbols: [change] }, [py("click", ["Group"], 7, { how: "call", namedArgs: ["chain"] }), py("click", ["Group"], 9, { how: "call", namedArgs: [] })]);
    expect(affected).toMatchObject([{ name: "Group.__init__", change: "signature", breaking: true, detail: "parameter `chain` removed, which your code passes" }]);
    // Only the call that passes it is shown: the other still works.
    expect(affected[0]?.uses.map((use) => use.site.line)).toEqual([7]);
    // A compatible change to a function the user calls: mentioned.
    const compatible = symbol({ name: "echo", change: "signature", signature: signature({ parametersAdded: [{ name: "color", required: false }] }) });
    expect(run({ symbols: [compatible] }, [py("click", ["echo"], 3, { how: "call" })])).toMatchObject([{ change: "signature", breaking: false }]);
  });

  it("a member added to a class the user uses is mentioned; code changes of what the user calls are mentioned; neither lifts", () => {
    const affected = run(
      { symbols: [symbol({ name: "Group.list_commands2", kind: "method", change: "added" }), symbol({ name: "echo", change: "modified" })] },
      [py("click", ["Group"], 2), py("click", ["echo"], 3, { how: "call" })],
    );
    expect(affected.map((item) => [item.name, item.change, item.breaking])).toEqual([
      ["echo", "modified", false],
      ["Group.list_commands2", "added", false],
    ]);
    expect(isLifted(affected)).toBe(false);
  });

  it("a name dropped from a module that gains __getattr__ in the same commit is mentioned, not breaking; private additions are not mentioned", () => {
    const dropped = symbol({ name: "LazyFile", kind: "class", change: "removed" }, "src/click/utils.py");
    const shim = symbol({ name: "__getattr__", change: "added" }, "src/click/utils.py");
    expect(run({ symbols: [dropped, shim] }, [py("click.utils", ["LazyFile"], 4)])).toMatchObject([{ name: "LazyFile", change: "removed", breaking: false }]);
    expect(run({ symbols: [dropped] }, [py("click.utils", ["LazyFile"], 4)])).toMatchObject([{ name: "LazyFile", breaking: true }]);
    expect(run({ symbols: [symbol({ name: "Group._hidden", kind: "method", change: "added" })] }, [py("click", ["Group"], 2)])).toEqual([]);
    expect(run({ symbols: [symbol({ name: "Group.shown", kind: "method", change: "added", exported: false })] }, [py("click", ["Group"], 2)])).toEqual([]);
  });

  it("counts every use and shows the first few, sorted by file and line", async () => {
    const uses = [5, 1, 9, 3, 7].map((line) => py("click", ["echo"], line, { how: "call" }));
    const [affected] = run({ symbols: [symbol({ name: "echo", change: "removed" })] }, uses);
    expect(affected?.totalUses).toBe(5);
    expect(affected?.uses.map((use) => use.site.line)).toEqual([1, 3, 5]);
  });
});

describe("matchUsage: other languages", () => {
  const use = (language: Extract<Use, { kind: "symbol" }>["language"], module: string, path: string[]): Use => ({ kind: "symbol", language, module, path, how: "reference", site: site("x", 1) });

  it("TS/JS: an exported name of the package; not an unexported one, not another package's", () => {
    const change = { ...symbol({ name: "Hono.route", kind: "method", change: "removed" }, "src/hono-base.ts"), language: "TypeScript" };
    expect(run({ symbols: [change] }, [use("typescript", "hono", ["Hono", "route"])])).toHaveLength(1);
    expect(run({ symbols: [{ ...change, exported: false }] }, [use("typescript", "hono", ["Hono", "route"])])).toEqual([]);
    expect(run({ symbols: [change] }, [use("typescript", "express", ["Hono", "route"])])).toEqual([]);
  });

  it("Go: the package path of the file; Rust: the crate and the path's end; C++: qualified names", () => {
    const go = { ...symbol({ name: "Read", change: "removed" }, "taskfile/reader.go"), language: "Go" };
    expect(run({ symbols: [go] }, [use("go", "github.com/go-task/task/v3/taskfile", ["Read"])])).toHaveLength(1);
    expect(run({ symbols: [go] }, [use("go", "github.com/go-task/task/v3/other", ["Read"])])).toEqual([]);
    const rust = { ...symbol({ name: "Agent::new", change: "removed" }, "src/bindings/rust/src/lib.rs"), language: "Rust" };
    expect(run({ symbols: [rust] }, [use("rust", "nixl_sys", ["Agent", "new"])])).toHaveLength(1);
    const cpp = { ...symbol({ name: "nixlAgent::createXferReq", kind: "method", change: "removed" }, "src/api/cpp/nixl.h"), language: "C++" };
    expect(run({ symbols: [cpp] }, [use("cpp", "nixl.h", ["nixlAgent", "createXferReq"])])).toHaveLength(1);
    // A bare method name is never enough.
    expect(run({ symbols: [cpp] }, [use("cpp", "nixl.h", ["createXferReq"])])).toEqual([]);
  });
});

describe("matchUsage: variables, flags, keys", () => {
  const env = (name: string, line = 1): Use => ({ kind: "env-var", name, site: site("deploy/.env", line) });
  const flag = (name: string): Use => ({ kind: "cli-flag", name, command: "click-demo", site: site("run.sh", 2) });

  it("a variable the user sets that the project no longer reads, or renamed, is breaking; one it starts reading is mentioned", () => {
    expect(run({ surface: [surface({ kind: "env-var", name: "CLICK_MODE", change: "removed", access: "read" })] }, [env("CLICK_MODE")])).toMatchObject([
      { kind: "env-var", name: "CLICK_MODE", change: "removed", breaking: true, detail: "no longer read by the project" },
    ]);
    expect(
      run({ surface: [surface({ kind: "env-var", name: "CLICK_NEW", change: "renamed", access: "read", detail: { renamedFrom: "CLICK_OLD" } })] }, [env("CLICK_OLD")]),
    ).toMatchObject([{ name: "CLICK_OLD", change: "renamed", breaking: true, detail: "renamed to `CLICK_NEW`" }]);
    expect(run({ surface: [surface({ kind: "env-var", name: "CLICK_MODE", change: "added", access: "read" })] }, [env("CLICK_MODE")])).toMatchObject([{ change: "added", breaking: false }]);
  });

  it("not a read that moved from one file to another, not a test's variable, not one the project sets itself", () => {
    const moved = [
      surface({ kind: "env-var", name: "CLICK_MODE", change: "removed", access: "read" }),
      surface({ kind: "env-var", name: "CLICK_MODE", change: "added", access: "read", origin: { file: "src/click/other.py", line: 1 } }),
    ];
    expect(run({ surface: moved }, [env("CLICK_MODE")])).toEqual([]);
    expect(run({ surface: [surface({ kind: "env-var", name: "CLICK_MODE", change: "removed", area: "test" })] }, [env("CLICK_MODE")])).toEqual([]);
    expect(run({ surface: [surface({ kind: "env-var", name: "CLICK_MODE", change: "removed", access: "set" })] }, [env("CLICK_MODE")])).toEqual([]);
  });

  it("flags: removed choices break, added choices and a new default of a flag the user passes do not", () => {
    expect(run({ surface: [surface({ kind: "cli-flag", name: "--backend", change: "changed", detail: { choicesRemoved: ["ucx"], choicesAdded: [] } })] }, [flag("--backend")])).toMatchObject([
      { change: "choices", breaking: true, detail: "choices removed: `ucx`" },
    ]);
    expect(run({ surface: [surface({ kind: "cli-flag", name: "--backend", change: "changed", detail: { choicesAdded: ["gds"] } })] }, [flag("--backend")])).toMatchObject([{ breaking: false }]);
    expect(run({ surface: [surface({ kind: "cli-flag", name: "--workers", change: "changed", detail: { defaultFrom: "1", defaultTo: "4" } })] }, [flag("--workers")])).toMatchObject([{ change: "default", breaking: false }]);
    expect(run({ surface: [surface({ kind: "cli-flag", name: "--workers", change: "removed" })] }, [flag("--port")])).toEqual([]);
  });

  it("config keys match only as full dotted paths", () => {
    const key = (name: string): Use => ({ kind: "config-key", name, site: site("config.yaml", 4) });
    expect(run({ surface: [surface({ kind: "config-key", name: "logging.level", change: "removed" })] }, [key("logging.level")])).toHaveLength(1);
    expect(run({ surface: [surface({ kind: "config-key", name: "name", change: "removed" })] }, [key("name")])).toEqual([]);
  });

  it("speaks Chinese", () => {
    expect(run({ surface: [surface({ kind: "env-var", name: "CLICK_MODE", change: "removed", access: "read" })] }, [env("CLICK_MODE")], "zh-CN")[0]?.detail).toBe("项目不再读取");
  });
});
