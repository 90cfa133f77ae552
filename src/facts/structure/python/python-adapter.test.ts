import { describe, expect, it } from "vitest";
import { readStructure, summarize } from "../../../../test/helpers/read-structure.js";

describe("python adapter", () => {
  it("reads functions, classes, methods and constants with scope, visibility and signature", async () => {
    const structure = await readStructure(
      "python",
      [
        "TIMEOUT: int = 30",
        "_cache = {}",
        "@decorator",
        "async def foo(a, b: int = 3, *args, c=None, **kw) -> str:",
        '    """doc"""',
        "    def inner(): pass",
        "    return a  # comment",
        "class Bar(Base):",
        "    x = 1",
        "    def method(self, y): ...",
        "    @property",
        "    def _p(self): pass",
        "    class Inner:",
        "        def deep(self): pass",
        "class _Hidden:",
        "    def visible_name(self): pass",
      ].join("\n"),
    );
    expect(summarize(structure)).toEqual({
      // A module constant is public only when __all__ lists it.
      TIMEOUT: { kind: "constant", visibility: "internal", lines: "1-1" },
      foo: { kind: "function", visibility: "public", lines: "3-7", params: "a, b: int = 3, ...*args, c = None, ...**kw", returns: "str" },
      Bar: { kind: "class", visibility: "public", lines: "8-14" },
      "Bar.method": { kind: "method", visibility: "public", lines: "10-10", params: "y" },
      "Bar._p": { kind: "method", visibility: "private", lines: "11-12", params: "" },
      "Bar.Inner": { kind: "class", visibility: "public", lines: "13-14" },
      "Bar.Inner.deep": { kind: "method", visibility: "public", lines: "14-14", params: "" },
      _Hidden: { kind: "class", visibility: "private", lines: "15-16" },
      "_Hidden.visible_name": { kind: "method", visibility: "private", lines: "16-16", params: "" },
    });
    expect(structure.symbols.find((s) => s.name === "foo")?.signature?.modifiers).toEqual(["async"]);
    expect(structure.symbols.find((s) => s.name === "Bar._p")?.signature?.modifiers).toEqual(["property"]);
  });

  it("applies __all__ to module-level names", async () => {
    const structure = await readStructure("python", ['__all__ = ["kept"]', "def kept(): pass", "def dropped(): pass"].join("\n"));
    expect(structure.exportList).toEqual(["kept"]);
    expect(summarize(structure)).toMatchObject({ kept: { visibility: "public" }, dropped: { visibility: "internal" } });
  });

  it("fingerprints ignore whitespace and comments but not code; the shape ignores the name", async () => {
    const a = await readStructure("python", "def f(x):\n    return x + 1\n");
    const b = await readStructure("python", "def f( x ):\n\treturn x+1  # same\n");
    const c = await readStructure("python", "def f(x):\n    return x + 2\n");
    const d = await readStructure("python", "def g(x):\n    return x + 1\n");
    expect(b.symbols[0]!.fingerprint).toBe(a.symbols[0]!.fingerprint);
    expect(c.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.shape).toBe(a.symbols[0]!.shape);
  });

  it("a docstring is documentation, not code: editing one leaves the fingerprint; a string later in the body is code", async () => {
    const a = await readStructure("python", 'class C:\n    """Old words."""\n\n    def f(self):\n        """Says 8.5."""\n        return 1\n');
    const b = await readStructure("python", 'class C:\n    """New words."""\n\n    def f(self):\n        """Says 8.5.0."""\n        return 1\n');
    const c = await readStructure("python", 'class C:\n    """New words."""\n\n    def f(self):\n        """Says 8.5.0."""\n        x = "changed"\n        return 1\n');
    const fingerprints = (structure: typeof a) => structure.symbols.map((symbol) => `${symbol.name} ${symbol.fingerprint}`);
    expect(fingerprints(b)).toEqual(fingerprints(a));
    expect(fingerprints(c)).not.toEqual(fingerprints(a));
  });

  it("an @overload stub is no definition: only the implementation is read", async () => {
    const structure = await readStructure(
      "python",
      "import typing as t\n\n@t.overload\ndef command(name: None = None, cls: type = ...) -> int: ...\n\n@overload\ndef command(name: str) -> int: ...\n\ndef command(name=None, cls=None):\n    return 1\n",
    );
    expect(structure.symbols.map((symbol) => [symbol.name, symbol.startLine, symbol.signature?.parameters.map((p) => `${p.name}=${p.default ?? ""}`)])).toEqual([
      ["command", 9, ["name=None", "cls=None"]],
    ]);
  });

  it("reads argparse and click options with choices, defaults and destinations", async () => {
    const structure = await readStructure(
      "python",
      [
        "parser.add_argument(",
        '    "--backend", "-b",',
        '    choices=["auto", "vllm"],',
        '    default="auto",',
        ")",
        'parser.add_argument("model")',
        'sub.add_argument("--max-batch", type=int, dest="batch")',
        '@click.option("--shout/--no-shout", default=False)',
        '@click.option("--color", type=click.Choice(["red", "blue"]))',
        "def cli(shout, color): pass",
      ].join("\n"),
    );
    expect(structure.cliFlags).toEqual([
      { name: "--backend", aliases: ["-b"], choices: ["auto", "vllm"], default: '"auto"', dest: "backend", framework: "argparse", group: "parser", line: 1 },
      { name: "--max-batch", aliases: [], dest: "batch", framework: "argparse", group: "sub", line: 7 },
      { name: "--shout", aliases: ["--no-shout"], default: "False", dest: "shout", framework: "click", group: "cli", line: 8 },
      { name: "--color", aliases: [], choices: ["red", "blue"], dest: "color", framework: "click", group: "cli", line: 9 },
    ]);
  });

  it("counts parse errors", async () => {
    expect((await readStructure("python", "def f(:\n  pass\n")).errorCount).toBeGreaterThan(0);
    expect((await readStructure("python", "def f():\n  pass\n")).errorCount).toBe(0);
  });
});

describe("argparse parsers", () => {
  it("names the function and receiver that declare each flag, so subcommands are told apart", async () => {
    const structure = await readStructure(
      "python",
      ["def add_default(parser):", '    parser.add_argument("--isl", default=4000)', "def add_exp(parser):", '    parser.add_argument("--isl", default=1000)'].join("\n"),
    );
    expect(structure.cliFlags.map((flag) => [flag.group, flag.default])).toEqual([
      ["add_default:parser", "4000"],
      ["add_exp:parser", "1000"],
    ]);
  });
});

describe("computed choices", () => {
  it("keeps the literal part of a computed choices list", async () => {
    const structure = await readStructure("python", 'parser.add_argument("--backend", choices=[b.value for b in Backend] + ["auto"])');
    expect(structure.cliFlags[0]?.choices).toEqual(["auto"]);
  });
});
