import { describe, expect, it } from "vitest";
import { readStructure, summarize } from "../../../../test/helpers/read-structure.js";
import type { FileStructure } from "../types.js";

function symbol(structure: FileStructure, name: string) {
  const found = structure.symbols.find((s) => s.name === name);
  if (!found) throw new Error(`no symbol ${name} in ${structure.symbols.map((s) => s.name).join(", ")}`);
  return found;
}

describe("go adapter", () => {
  it("reads functions, methods, types, interfaces, constants and variables with Go's visibility", async () => {
    const structure = await readStructure(
      "go",
      [
        "package store", // 1
        "",
        "// Store keeps things.",
        "type Store struct {", // 4
        "\tmu   sync.Mutex",
        "\titems map[string]int",
        "}",
        "",
        "type cache struct{}", // 9
        "",
        "type Reader interface {", // 11
        "\tRead(p []byte) (n int, err error)",
        "\tclose() error",
        "\tfmt.Stringer",
        "}",
        "",
        "type ( ID = string; Celsius float64 )", // 17
        "",
        "func New() *Store {", // 19
        "\thelper := func() {}",
        "\ttype local struct{}",
        "\tconst inner = 1",
        "\thelper()",
        "\treturn &Store{}",
        "}",
        "func (s *Store) Get(key string) int { return s.items[key] }", // 26
        "func (s *Store) lock() {}", // 27
        "func (cache) Lookup() {}", // 28
        "func newCache() cache { return cache{} }", // 29
        "const MaxItems = 10", // 30
        "const (", // 31
        "\tdefaultName = \"x\"",
        "\tA, b = 1, 2",
        ")",
        "var (", // 35
        "\tErrMissing = errors.New(\"missing\")",
        "\t_ Reader = (*Store)(nil)",
        ")",
        "var count int", // 39
        "func _() {}", // 40
      ].join("\n"),
    );
    expect(structure.packageName).toBe("store");
    expect(summarize(structure)).toEqual({
      Store: { kind: "struct", visibility: "public", lines: "4-7" },
      cache: { kind: "struct", visibility: "private", lines: "9-9" },
      Reader: { kind: "interface", visibility: "public", lines: "11-15" },
      "Reader.Read": { kind: "method", visibility: "public", lines: "12-12", params: "p: []byte", returns: "(n int, err error)" },
      "Reader.close": { kind: "method", visibility: "private", lines: "13-13", params: "", returns: "error" },
      ID: { kind: "type", visibility: "public", lines: "17-17" },
      Celsius: { kind: "type", visibility: "public", lines: "17-17" },
      New: { kind: "function", visibility: "public", lines: "19-25", params: "", returns: "*Store" },
      "Store.Get": { kind: "method", visibility: "public", lines: "26-26", params: "key: string", returns: "int" },
      "Store.lock": { kind: "method", visibility: "private", lines: "27-27", params: "" },
      // Exported name, unexported receiver: reachable only through an interface or an exported embedding.
      "cache.Lookup": { kind: "method", visibility: "internal", lines: "28-28", params: "" },
      newCache: { kind: "function", visibility: "private", lines: "29-29", params: "", returns: "cache" },
      MaxItems: { kind: "constant", visibility: "public", lines: "30-30" },
      defaultName: { kind: "constant", visibility: "private", lines: "32-32" },
      A: { kind: "constant", visibility: "public", lines: "33-33" },
      b: { kind: "constant", visibility: "private", lines: "33-33" },
      ErrMissing: { kind: "constant", visibility: "public", lines: "36-36" },
      count: { kind: "constant", visibility: "private", lines: "39-39" },
    });
    expect(symbol(structure, "Store.Get").scope).toEqual([{ kind: "impl", name: "Store" }]);
    expect(symbol(structure, "Store.Get").shortName).toBe("Get");
    expect(symbol(structure, "Reader.Read").scope).toEqual([{ kind: "interface", name: "Reader" }]);
    expect(structure.errorCount).toBe(0);
  });

  it("treats a non-ASCII upper-case initial as exported", async () => {
    const structure = await readStructure("go", "package p\nfunc Ñandú() {}\nfunc ñandú() {}\n");
    expect(summarize(structure)).toMatchObject({ Ñandú: { visibility: "public" }, ñandú: { visibility: "private" } });
  });

  it("reads signatures: grouped, unnamed, blank and variadic parameters, results, receivers and type parameters", async () => {
    const structure = await readStructure(
      "go",
      [
        "package p",
        "func Copy(dst, src []byte, _ int, opts ...Option) (n int, err error) { return }",
        "func Handler(http.ResponseWriter, *http.Request) {}",
        "func Map[T, U any](in []T, f func(T) U) []U { return nil }",
        "func Log(format string, ...any) {}",
        "type Set[K comparable, V any] struct{ m map[K]V }",
        "func (s *Set[K, V]) Add(key K, value V) {}",
        "func (s Set[K, _]) Len() int { return len(s.m) }",
        "func (p (*Point)) Move(dx,",
        "    dy int) {}",
      ].join("\n"),
    );
    expect(summarize(structure)).toMatchObject({
      Copy: { params: "dst: []byte, src: []byte, _2: int, ...opts: Option", returns: "(n int, err error)" },
      Handler: { params: "_0: http.ResponseWriter, _1: *http.Request" },
      Map: { params: "in: []T, f: func(T) U", returns: "[]U" },
      Log: { params: "format: string, ..._1: any" },
      "Set.Add": { kind: "method", params: "key: K, value: V" },
      "Set.Len": { kind: "method", params: "", returns: "int" },
      "Point.Move": { kind: "method", params: "dx: int, dy: int" },
    });
    expect(symbol(structure, "Copy").signature?.parameters[3]).toEqual({ name: "opts", type: "Option", variadic: true });
    expect(symbol(structure, "Copy").signature?.modifiers).toEqual([]);
    expect(symbol(structure, "Map").signature?.modifiers).toEqual(["typeparams:[T, U any]"]);
    expect(symbol(structure, "Set").signature).toEqual({ parameters: [], modifiers: ["typeparams:[K comparable, V any]"] });
    expect(symbol(structure, "Set.Add").signature?.modifiers).toEqual(["pointer-receiver"]);
    expect(symbol(structure, "Set.Len").signature?.modifiers).toEqual([]);
    expect(symbol(structure, "Point.Move").signature?.modifiers).toEqual(["pointer-receiver"]);
    expect(structure.symbols.find((s) => s.name === "Handler")?.signature?.returns).toBeUndefined();
  });

  it("fingerprints ignore whitespace and comments but not code; the shape ignores the name", async () => {
    const a = await readStructure("go", "package p\nfunc F(x int) int {\n\treturn x + 1\n}\n");
    const b = await readStructure("go", "package p\nfunc F( x int ) int { // same\n  return x+1 /* still */ }\n");
    const c = await readStructure("go", "package p\nfunc F(x int) int {\n\treturn x + 2\n}\n");
    const d = await readStructure("go", "package p\nfunc G(x int) int {\n\treturn x + 1\n}\n");
    expect(b.symbols[0]!.fingerprint).toBe(a.symbols[0]!.fingerprint);
    expect(c.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.shape).toBe(a.symbols[0]!.shape);
  });

  it("fingerprints a type by its spec, so moving it into a group changes nothing; an interface by its method set", async () => {
    const single = await readStructure("go", "package p\ntype Mode int\n");
    const grouped = await readStructure("go", "package p\ntype (\n\tOther string\n\tMode int\n)\n");
    expect(symbol(grouped, "Mode").fingerprint).toBe(symbol(single, "Mode").fingerprint);

    const before = await readStructure("go", "package p\ntype Runner interface {\n\tRun() error\n\tStop()\n}\n");
    const after = await readStructure("go", "package p\ntype Runner interface {\n\tRun(ctx context.Context) error\n\tStop()\n}\n");
    expect(symbol(after, "Runner").fingerprint).not.toBe(symbol(before, "Runner").fingerprint);
    expect(symbol(after, "Runner.Stop").fingerprint).toBe(symbol(before, "Runner.Stop").fingerprint);
    expect(symbol(after, "Runner.Run").fingerprint).not.toBe(symbol(before, "Runner.Run").fingerprint);
  });

  it("folds the implicit value and iota position of a constant into its fingerprint", async () => {
    const base = await readStructure("go", "package p\nconst (\n\tRed Color = iota\n\tGreen\n\tBlue\n)\n");
    const inserted = await readStructure("go", "package p\nconst (\n\tRed Color = iota\n\tYellow\n\tGreen\n\tBlue\n)\n");
    const retyped = await readStructure("go", "package p\nconst (\n\tRed Hue = iota\n\tGreen\n\tBlue\n)\n");
    const appended = await readStructure("go", "package p\nconst (\n\tRed Color = iota\n\tGreen\n\tBlue\n\tBlack\n)\n");
    expect(base.symbols.map((s) => s.name)).toEqual(["Red", "Green", "Blue"]);
    // Green's value went from 1 to 2.
    expect(symbol(inserted, "Green").fingerprint).not.toBe(symbol(base, "Green").fingerprint);
    expect(symbol(inserted, "Red").fingerprint).toBe(symbol(base, "Red").fingerprint);
    expect(symbol(retyped, "Blue").fingerprint).not.toBe(symbol(base, "Blue").fingerprint);
    expect(symbol(appended, "Blue").fingerprint).toBe(symbol(base, "Blue").fingerprint);
    // Two implicit constants in different positions are different values, not one renamed.
    expect(symbol(base, "Green").shape).not.toBe(symbol(base, "Blue").shape);

    const plain = await readStructure("go", "package p\nconst (\n\tA = 1\n\tB\n)\n");
    const changed = await readStructure("go", "package p\nconst (\n\tA = 2\n\tB\n)\n");
    expect(symbol(changed, "B").fingerprint).not.toBe(symbol(plain, "B").fingerprint);
  });

  it("reads standard flag package flags with single-dash names, defaults and destinations", async () => {
    const structure = await readStructure(
      "go",
      [
        "package main",
        'import "flag"',
        'var addr = flag.String("addr", ":8080", "listen address")',
        "func main() {",
        '\tflag.BoolVar(&cfg.Verbose, "v", false, "verbose")',
        '\tfs := flag.NewFlagSet("serve", flag.ExitOnError)',
        '\tfs.Duration("timeout", 30*time.Second, "timeout")',
        '\tflag.Var(&levels, "level", "log level")',
        '\tflag.Func("header", "add a header", func(s string) error { return nil })',
        '\tflag.TextVar(&ip, "ip", net.IPv4(127, 0, 0, 1), "ip")',
        '\tflag.CommandLine.Uint64(`max`, 1<<20, "max bytes")',
        "}",
      ].join("\n"),
    );
    expect(structure.cliFlags).toEqual([
      { name: "-addr", aliases: [], default: '":8080"', dest: "addr", framework: "flag", line: 3 },
      { name: "-v", aliases: [], default: "false", dest: "cfg.Verbose", framework: "flag", line: 5 },
      { name: "-timeout", aliases: [], default: "30*time.Second", dest: "timeout", framework: "flag", line: 7 },
      { name: "-level", aliases: [], dest: "levels", framework: "flag", line: 8 },
      { name: "-header", aliases: [], dest: "header", framework: "flag", line: 9 },
      { name: "-ip", aliases: [], default: "net.IPv4(127, 0, 0, 1)", dest: "ip", framework: "flag", line: 10 },
      { name: "-max", aliases: [], default: "1<<20", dest: "max", framework: "flag", line: 11 },
    ]);
    expect(structure.packageName).toBe("main");
  });

  it("reads pflag and cobra flags with double-dash names and shorthand aliases", async () => {
    const structure = await readStructure(
      "go",
      [
        "package cmd",
        "import (",
        '\t"github.com/spf13/cobra"',
        ")",
        "var rootCmd = &cobra.Command{",
        '\tUse:       "app",',
        '\tValidArgs: []string{"bash", "zsh"},',
        "}",
        "func init() {",
        '\trootCmd.Flags().StringVarP(&output, "output", "o", "json", "output format")',
        '\trootCmd.PersistentFlags().BoolP("debug", "", false, "debug")',
        "\tflags := rootCmd.Flags()",
        '\tflags.StringSlice("tag", []string{}, "tags")',
        '\tflags.CountP("verbose", "v", "verbosity")',
        '\tflags.VarP(&mode, "mode", "m", "mode")',
        '\tflags.StringToString("label", nil, "labels")',
        '\tcmd.Flags().IntVar(&opts.Workers, "workers", runtime.NumCPU(), "workers")',
        "}",
      ].join("\n"),
    );
    expect(structure.cliFlags).toEqual([
      { name: "--output", aliases: ["-o"], default: '"json"', dest: "output", framework: "pflag", line: 10 },
      { name: "--debug", aliases: [], default: "false", dest: "debug", framework: "pflag", line: 11 },
      { name: "--tag", aliases: [], default: "[]string{}", dest: "tag", framework: "pflag", line: 13 },
      { name: "--verbose", aliases: ["-v"], dest: "verbose", framework: "pflag", line: 14 },
      { name: "--mode", aliases: ["-m"], dest: "mode", framework: "pflag", line: 15 },
      { name: "--label", aliases: [], default: "nil", dest: "label", framework: "pflag", line: 16 },
      { name: "--workers", aliases: [], default: "runtime.NumCPU()", dest: "opts.Workers", framework: "pflag", line: 17 },
    ]);
  });

  it("tells pflag from flag by the import, also when pflag is imported under the name flag", async () => {
    const aliased = await readStructure(
      "go",
      ['package main', 'import flag "github.com/spf13/pflag"', 'var n = flag.IntP("count", "c", 1, "count")', 'var s = flag.String("name", "", "name")'].join("\n"),
    );
    expect(aliased.cliFlags.map((f) => [f.name, f.aliases, f.framework])).toEqual([
      ["--count", ["-c"], "pflag"],
      ["--name", [], "pflag"],
    ]);

    const both = await readStructure(
      "go",
      [
        "package main",
        'import (\n\tgoflag "flag"\n\t"github.com/spf13/pflag"\n)',
        "func main() {",
        '\tgoflag.Bool("legacy", false, "")',
        '\tpflag.Bool("modern", true, "")',
        '\tfs := pflag.NewFlagSet("x", pflag.ContinueOnError)',
        '\tfs.StringVarP(&dir, "dir", "d", "", "")',
        "}",
      ].join("\n"),
    );
    expect(both.cliFlags.map((f) => [f.name, f.aliases, f.framework])).toEqual([
      ["-legacy", [], "flag"],
      ["--modern", [], "pflag"],
      ["--dir", ["-d"], "pflag"],
    ]);
  });

  it("does not take other String/Int/Bool calls for flags", async () => {
    const structure = await readStructure(
      "go",
      [
        "package web",
        'import ("flag"; "github.com/urfave/cli/v2"; "github.com/gin-gonic/gin")',
        "func handle(c *gin.Context, ctx *cli.Context, b *strings.Builder) {",
        '\tname := ctx.String("name")', // urfave/cli reads a value: one argument
        '\tc.String(200, "hello %s", name)', // gin: first argument not a name
        "\t_ = b.String()",
        '\tflag.StringVarP(&x, "x", "y", "", "")', // the standard package has no shorthand forms
        '\tflag.String(nameConst, "", "")', // a name that is not a literal cannot be reported
        "}",
      ].join("\n"),
    );
    expect(structure.cliFlags).toEqual([]);

    const noFlagImport = await readStructure("go", 'package p\nfunc f(s *Settings) { s.Bool("enabled", true, "whether") }\n');
    expect(noFlagImport.cliFlags).toEqual([]);
  });

  it("counts parse errors", async () => {
    expect((await readStructure("go", "package p\nfunc f( {\n}\n")).errorCount).toBeGreaterThan(0);
    expect((await readStructure("go", "package p\nfunc f() {}\n")).errorCount).toBe(0);
  });
});
