import { describe, expect, it } from "vitest";
import { readStructure, summarize } from "../../../../test/helpers/read-structure.js";
import { adapterForPath } from "../registry.js";
import type { FileStructure } from "../types.js";

const lines = (...text: string[]): string => text.join("\n");
const find = (structure: FileStructure, name: string) => structure.symbols.find((s) => s.name === name);

describe("typescript adapter", () => {
  it("is registered for TS, TSX and JS extensions", () => {
    expect(adapterForPath("src/a.ts")?.id).toBe("typescript");
    expect(adapterForPath("src/a.d.mts")?.id).toBe("typescript");
    expect(adapterForPath("src/App.tsx")?.id).toBe("tsx");
    expect(adapterForPath("lib/x.cjs")?.id).toBe("javascript");
    expect(adapterForPath("lib/x.jsx")?.language).toBe("JavaScript");
  });

  it("reads module-level definitions with kinds, lines and visibility; locals are not symbols", async () => {
    const structure = await readStructure(
      "typescript",
      lines(
        "import { x } from './x'",
        "export function* gen(): Generator<number> { function inner() {} yield 1 }",
        "async function load() { const local = 1; class Local { m() {} } }",
        "export abstract class Shape {",
        "  abstract area(): number",
        "}",
        "export interface Point { x: number; move(dx: number): void }",
        "type Alias = string | number",
        "export enum Color { Red, Green }",
        "export const handler = async (req: Request): Promise<Response> => new Response()",
        "const LIMIT = 10, other = { a: 1 }",
        "const fs = require('fs')",
        "describe('suite', () => {",
        "  function helper() {}",
        "  class InTest { run() {} }",
        "})",
        "if (x) { var hidden = 1 }",
      ),
    );
    expect(summarize(structure)).toEqual({
      gen: { kind: "function", visibility: "public", lines: "2-2", params: "", returns: "Generator<number>" },
      load: { kind: "function", visibility: "internal", lines: "3-3", params: "" },
      Shape: { kind: "class", visibility: "public", lines: "4-6" },
      "Shape.area": { kind: "method", visibility: "public", lines: "5-5", params: "", returns: "number" },
      Point: { kind: "interface", visibility: "public", lines: "7-7" },
      "Point.move": { kind: "method", visibility: "public", lines: "7-7", params: "dx: number", returns: "void" },
      Alias: { kind: "type", visibility: "internal", lines: "8-8" },
      Color: { kind: "enum", visibility: "public", lines: "9-9" },
      handler: { kind: "function", visibility: "public", lines: "10-10", params: "req: Request", returns: "Promise<Response>" },
      LIMIT: { kind: "constant", visibility: "internal", lines: "11-11" },
      other: { kind: "constant", visibility: "internal", lines: "11-11" },
    });
    expect(find(structure, "gen")?.signature?.modifiers).toEqual(["generator"]);
    expect(find(structure, "load")?.signature?.modifiers).toEqual(["async"]);
    expect(find(structure, "handler")?.signature?.modifiers).toEqual(["async"]);
    expect(find(structure, "Shape.area")?.signature?.modifiers).toEqual(["abstract"]);
  });

  it("applies export clauses, export default and export = to declared names", async () => {
    const structure = await readStructure(
      "typescript",
      lines(
        "function a() {}",
        "function b() {}",
        "class C {}",
        "const d = 1",
        "function e() {}",
        "function f() {}",
        "export { a, b as renamed }",
        "export { f } from './elsewhere'",
        "export default C",
        "export type { T } from './t'",
      ),
    );
    expect(summarize(structure)).toMatchObject({
      a: { visibility: "public" },
      b: { visibility: "public" },
      C: { visibility: "public" },
      d: { visibility: "internal" },
      e: { visibility: "internal" },
      // Re-exported from another module: this file's f is not what is exported.
      f: { visibility: "internal" },
    });
    expect(structure.symbols.map((s) => s.name)).not.toContain("renamed");

    const assigned = await readStructure("typescript", lines("class Api { run() {} }", "export = Api"));
    expect(summarize(assigned)).toMatchObject({ Api: { visibility: "public" }, "Api.run": { visibility: "public" } });

    const anonymous = await readStructure("typescript", "export default function (a: string): void {}\n");
    expect(summarize(anonymous)).toEqual({ default: { kind: "function", visibility: "public", lines: "1-1", params: "a: string", returns: "void" } });
  });

  it("reads class members: accessibility, #private, static constants, function-valued fields, get/set as one property", async () => {
    const structure = await readStructure(
      "typescript",
      lines(
        "export class Server {",
        "  static readonly DEFAULT_PORT = 80",
        "  static instances = 0",
        "  private state = 1",
        "  #secret = 2",
        "  port: number",
        "  constructor(private readonly host: string, port = 80) {}",
        "  get url(): string { return '' }",
        "  set url(value: string) {}",
        "  protected reset(): void {}",
        "  private close() {}",
        "  #tick() {}",
        "  static async create(this: void, ...args: string[]): Promise<Server> { return new Server('') }",
        "  readonly onRequest = (req: Request) => {}",
        "  fetch: (request: Request, env?: unknown) => Response = (request, ...rest) => new Response()",
        "}",
        "class Hidden { open() {} private shut() {} }",
      ),
    );
    expect(summarize(structure)).toEqual({
      Server: { kind: "class", visibility: "public", lines: "1-16" },
      "Server.DEFAULT_PORT": { kind: "constant", visibility: "public", lines: "2-2" },
      "Server.constructor": { kind: "method", visibility: "public", lines: "7-7", params: "host: string, port = 80" },
      "Server.url": { kind: "method", visibility: "public", lines: "8-9", params: "value: string", returns: "string" },
      "Server.reset": { kind: "method", visibility: "internal", lines: "10-10", params: "", returns: "void" },
      "Server.close": { kind: "method", visibility: "private", lines: "11-11", params: "" },
      "Server.#tick": { kind: "method", visibility: "private", lines: "12-12", params: "" },
      "Server.create": { kind: "method", visibility: "public", lines: "13-13", params: "...args: string[]", returns: "Promise<Server>" },
      "Server.onRequest": { kind: "method", visibility: "public", lines: "14-14", params: "req: Request" },
      // The declared function type is what callers are held to.
      "Server.fetch": { kind: "method", visibility: "public", lines: "15-15", params: "request: Request, env: unknown = undefined", returns: "Response" },
      Hidden: { kind: "class", visibility: "internal", lines: "17-17" },
      "Hidden.open": { kind: "method", visibility: "internal", lines: "17-17", params: "" },
      "Hidden.shut": { kind: "method", visibility: "private", lines: "17-17", params: "" },
    });
    expect(find(structure, "Server.url")?.signature?.modifiers).toEqual(["get", "set"]);
    expect(find(structure, "Server.create")?.signature?.modifiers).toEqual(["async", "static"]);
    expect(find(structure, "Server.onRequest")?.signature?.modifiers).toEqual(["readonly"]);
    expect(find(structure, "Server.create")?.signature?.parameters).toEqual([{ name: "args", type: "string[]", variadic: true }]);
  });

  it("reads parameter types, defaults, optional and destructured parameters; comments are cut from types", async () => {
    const structure = await readStructure(
      "typescript",
      "export function f({ a, b }: Opts = {}, [first]: string[], name?: string, retries: number = 3 /* times */, cb: () => void = () => {}): Map<string, /* key */ number> { return new Map() }\n",
    );
    expect(find(structure, "f")?.signature).toEqual({
      parameters: [
        { name: "{ a, b }", type: "Opts", default: "{}" },
        { name: "[first]", type: "string[]" },
        { name: "name", type: "string", default: "undefined" },
        { name: "retries", type: "number", default: "3" },
        { name: "cb", type: "() => void", default: "() => {}" },
      ],
      returns: "Map<string, number>",
      modifiers: [],
    });
  });

  it("makes overloads one symbol: the implementation's signature, all lines, a fingerprint over every declaration", async () => {
    const source = lines(
      "export function parse(input: string): Node",
      "export function parse(input: Buffer, encoding: string): Node",
      "export function parse(input: string | Buffer, encoding?: string): Node {",
      "  return build(input)",
      "}",
      "export class Router {",
      "  add(path: string): this",
      "  add(path: string, handler: Handler): this",
      "  add(path: string, handler?: Handler): this { return this }",
      "}",
    );
    const structure = await readStructure("typescript", source);
    expect(summarize(structure)).toEqual({
      parse: { kind: "function", visibility: "public", lines: "1-5", params: "input: string | Buffer, encoding: string = undefined", returns: "Node" },
      Router: { kind: "class", visibility: "public", lines: "6-10" },
      "Router.add": { kind: "method", visibility: "public", lines: "7-9", params: "path: string, handler: Handler = undefined", returns: "this" },
    });
    const changedOverload = await readStructure("typescript", source.replace("input: Buffer, encoding: string", "input: Uint8Array, encoding: string"));
    expect(find(changedOverload, "parse")?.fingerprint).not.toBe(find(structure, "parse")?.fingerprint);
    expect(find(changedOverload, "Router.add")?.fingerprint).toBe(find(structure, "Router.add")?.fingerprint);

    // Declaration files have no bodies: the last overload stands for them.
    const declarations = await readStructure(
      "typescript",
      lines("export declare function on(event: 'a', cb: () => void): void;", "export declare function on(event: string, cb: Listener): void;"),
      "types/index.d.ts",
    );
    expect(summarize(declarations)).toEqual({ on: { kind: "function", visibility: "public", lines: "1-2", params: "event: string, cb: Listener", returns: "void" } });

    const interfaceOverloads = await readStructure("typescript", "export interface Emitter {\n  on(e: 'x'): void\n  on(e: string): void\n}\n");
    expect(summarize(interfaceOverloads)["Emitter.on"]).toEqual({ kind: "method", visibility: "public", lines: "2-3", params: "e: string", returns: "void" });
  });

  it("qualifies through namespaces, which are scopes and never symbols", async () => {
    const structure = await readStructure(
      "typescript",
      lines(
        "export namespace Api {",
        "  export function get(): void {}",
        "  function helper() {}",
        "  export class Client { send(): void {} }",
        "  export namespace V2 { export const version = 2 }",
        "}",
        "namespace A.B { export type T = string }",
      ),
    );
    expect(summarize(structure)).toEqual({
      "Api.get": { kind: "function", visibility: "public", lines: "2-2", params: "", returns: "void" },
      "Api.helper": { kind: "function", visibility: "private", lines: "3-3", params: "" },
      "Api.Client": { kind: "class", visibility: "public", lines: "4-4" },
      "Api.Client.send": { kind: "method", visibility: "public", lines: "4-4", params: "", returns: "void" },
      "Api.V2.version": { kind: "constant", visibility: "public", lines: "5-5" },
      "A.B.T": { kind: "type", visibility: "internal", lines: "7-7" },
    });
    expect(find(structure, "Api.Client.send")?.scope).toEqual([
      { kind: "namespace", name: "Api" },
      { kind: "class", name: "Client" },
    ]);
    expect(find(structure, "A.B.T")?.scope).toEqual([
      { kind: "namespace", name: "A" },
      { kind: "namespace", name: "B" },
    ]);
  });

  it("treats ambient declarations by the language's rules: global in scripts and .d.ts, module-local in modules", async () => {
    const script = await readStructure("typescript", lines("declare function gtag(...args: unknown[]): void", "declare namespace NodeJS { interface Global { x: number } }"));
    expect(summarize(script)).toMatchObject({ gtag: { visibility: "public" }, "NodeJS.Global": { visibility: "public" } });

    const module = await readStructure(
      "typescript",
      lines(
        "import type { Context } from './context'",
        "declare const local: number",
        "declare global { interface Window { app: App } }",
        "declare module './context' { interface ContextRenderer { (content: string): Response } }",
      ),
    );
    expect(summarize(module)).toEqual({
      local: { kind: "constant", visibility: "internal", lines: "2-2" },
      Window: { kind: "interface", visibility: "public", lines: "3-3" },
      "./context.ContextRenderer": { kind: "interface", visibility: "public", lines: "4-4" },
    });
    expect(find(module, "./context.ContextRenderer")?.scope).toEqual([{ kind: "module", name: "./context" }]);

    const dts = await readStructure("typescript", lines("export {}", "interface Options { a: string }", "declare class Lib { run(): void }"), "lib/index.d.ts");
    expect(summarize(dts)).toMatchObject({ Options: { visibility: "public" }, Lib: { visibility: "public" }, "Lib.run": { visibility: "public" } });
  });

  it("includes decorators in a member's lines and fingerprint", async () => {
    const plain = await readStructure("typescript", "export class C {\n  handle() {}\n}\n");
    const decorated = await readStructure("typescript", "@Injectable()\nexport class C {\n  @Get('/x')\n  @Auth()\n  handle() {}\n}\n");
    expect(summarize(decorated)).toMatchObject({ C: { lines: "1-6" }, "C.handle": { lines: "3-5" } });
    expect(find(decorated, "C.handle")?.fingerprint).not.toBe(find(plain, "C.handle")?.fingerprint);
  });

  it("fingerprints ignore whitespace and comments but not code; the shape ignores the name", async () => {
    const a = await readStructure("typescript", "export function f(x: number) {\n  return x + 1\n}\n");
    const b = await readStructure("typescript", "export function f( x:number ) { // same\n\treturn x+1 }\n");
    const c = await readStructure("typescript", "export function f(x: number) {\n  return x + 2\n}\n");
    const d = await readStructure("typescript", "export function g(x: number) {\n  return x + 1\n}\n");
    expect(b.symbols[0]!.fingerprint).toBe(a.symbols[0]!.fingerprint);
    expect(c.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.fingerprint).not.toBe(a.symbols[0]!.fingerprint);
    expect(d.symbols[0]!.shape).toBe(a.symbols[0]!.shape);
    // Moving a definition down the file changes neither.
    const moved = await readStructure("typescript", "const other = 1\n\n\nexport function f(x: number) {\n  return x + 1\n}\n");
    expect(find(moved, "f")?.fingerprint).toBe(a.symbols[0]!.fingerprint);
    expect(find(moved, "f")?.startLine).toBe(4);
  });

  it("reads TSX", async () => {
    const structure = await readStructure("tsx", "export function App({ title }: Props): JSX.Element {\n  return <div>{title}</div>\n}\nconst Item = () => <li />\n", "App.tsx");
    expect(summarize(structure)).toEqual({
      App: { kind: "function", visibility: "public", lines: "1-3", params: "{ title }: Props", returns: "JSX.Element" },
      Item: { kind: "function", visibility: "internal", lines: "4-4", params: "" },
    });
    expect(structure.errorCount).toBe(0);
  });

  it("counts parse errors", async () => {
    expect((await readStructure("typescript", "function f(: {\n")).errorCount).toBeGreaterThan(0);
    expect((await readStructure("typescript", "function f() {}\n")).errorCount).toBe(0);
    expect((await readStructure("javascript", "const = 1;\n")).errorCount).toBeGreaterThan(0);
  });
});

describe("javascript adapter", () => {
  it("reads classes, fields and functions with the JS grammar's node types", async () => {
    const structure = await readStructure(
      "javascript",
      lines(
        "export default class Store {",
        "  static VERSION = '1'",
        "  static cache = new Map()",
        "  items = []",
        "  #count = 0",
        "  static async *stream({ from, to }, [head] = []) {}",
        "  get size() { return 0 }",
        "  #bump() {}",
        "  onChange = (event) => {}",
        "}",
        "function helper(a, b = 2, ...rest) { function local() {} }",
        "const single = x => x",
        "var named = function inner(a) {};",
        "(function () { function iife() {} })()",
      ),
      "store.js",
    );
    expect(summarize(structure)).toEqual({
      Store: { kind: "class", visibility: "public", lines: "1-10" },
      "Store.VERSION": { kind: "constant", visibility: "public", lines: "2-2" },
      "Store.stream": { kind: "method", visibility: "public", lines: "6-6", params: "{ from, to }, [head] = []" },
      "Store.size": { kind: "method", visibility: "public", lines: "7-7", params: "" },
      "Store.#bump": { kind: "method", visibility: "private", lines: "8-8", params: "" },
      "Store.onChange": { kind: "method", visibility: "public", lines: "9-9", params: "event" },
      helper: { kind: "function", visibility: "internal", lines: "11-11", params: "a, b = 2, ...rest" },
      single: { kind: "function", visibility: "internal", lines: "12-12", params: "x" },
      named: { kind: "function", visibility: "internal", lines: "13-13", params: "a" },
    });
    expect(find(structure, "Store.stream")?.signature?.modifiers).toEqual(["async", "generator", "static"]);
    expect(find(structure, "Store.size")?.signature?.modifiers).toEqual(["get"]);
  });

  it("applies CommonJS exports", async () => {
    const structure = await readStructure(
      "javascript",
      lines(
        "function a() {}",
        "function b() {}",
        "function c() {}",
        "function d() {}",
        "module.exports = { a, renamed: b }",
        "exports.c = c",
        "exports.make = function (opts) {}",
        "module.exports.VERSION = '2'",
      ),
      "index.cjs",
    );
    expect(summarize(structure)).toEqual({
      a: { kind: "function", visibility: "public", lines: "1-1", params: "" },
      b: { kind: "function", visibility: "public", lines: "2-2", params: "" },
      c: { kind: "function", visibility: "public", lines: "3-3", params: "" },
      d: { kind: "function", visibility: "internal", lines: "4-4", params: "" },
      make: { kind: "function", visibility: "public", lines: "7-7", params: "opts" },
      VERSION: { kind: "constant", visibility: "public", lines: "8-8" },
    });
    const whole = await readStructure("javascript", "class Client {}\nmodule.exports = Client\n");
    expect(summarize(whole)).toMatchObject({ Client: { visibility: "public" } });
  });
});

describe("command-line flags", () => {
  it("reads commander options: flags string, defaults after a parser, negation and camelCase dest", async () => {
    const structure = await readStructure(
      "typescript",
      lines(
        "program",
        "  .option('-p, --port <number>', 'port to listen on', '3000')",
        "  .option('-r, --max-retries <n>', 'retries', parseInt, 5)",
        "  .option('--no-color', 'disable colour')",
        "  .requiredOption('-c, --config <path>', 'config file')",
        "  .option('-v', 'verbose')",
        "  .addOption(new Option('-l, --log-level <level>', 'log level').choices(['debug', 'info']).default('info'))",
        "select.option('value')",
      ),
      "cli.ts",
    );
    expect(structure.cliFlags).toEqual([
      { name: "--port", aliases: ["-p"], default: "'3000'", dest: "port", framework: "commander", line: 2 },
      { name: "--max-retries", aliases: ["-r"], default: "5", dest: "maxRetries", framework: "commander", line: 3 },
      { name: "--no-color", aliases: [], dest: "color", framework: "commander", line: 4 },
      { name: "--config", aliases: ["-c"], dest: "config", framework: "commander", line: 5 },
      { name: "-v", aliases: [], dest: "v", framework: "commander", line: 6 },
      { name: "--log-level", aliases: ["-l"], choices: ["debug", "info"], default: "'info'", dest: "logLevel", framework: "commander", line: 7 },
    ]);
  });

  it("reads yargs options with aliases, choices and defaults", async () => {
    const structure = await readStructure(
      "javascript",
      lines(
        "yargs(hideBin(process.argv))",
        "  .option('port', { alias: 'p', type: 'number', default: 8080 })",
        "  .option('mode', { alias: ['m', 'run-mode'], choices: ['dev', 'prod'], default: 'dev' })",
        "  .options({",
        "    verbose: { alias: 'v', type: 'boolean' },",
        "    'dry-run': { default: false },",
        "  })",
      ),
      "cli.js",
    );
    expect(structure.cliFlags).toEqual([
      { name: "--port", aliases: ["-p"], default: "8080", dest: "port", framework: "yargs", line: 2 },
      { name: "--mode", aliases: ["-m", "--run-mode"], choices: ["dev", "prod"], default: "'dev'", dest: "mode", framework: "yargs", line: 3 },
      { name: "--verbose", aliases: ["-v"], dest: "verbose", framework: "yargs", line: 5 },
      { name: "--dry-run", aliases: [], default: "false", dest: "dry-run", framework: "yargs", line: 6 },
    ]);
  });
});
