/**
 * The config file conventions, through the real CLI: which file the lookup picks (--config,
 * REPO_DIGEST_CONFIG, the cwd, the parent folders up to the repository root, XDG), the -v
 * line that says so, paths relative to the file's folder, `config validate` and
 * `config path`, "did you mean" at the line and column of a misspelt key, and the JSON
 * Schema editors read (committed up to date, accepting what the CLI accepts).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse, parseDocument, isMap, type Pair } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configJsonSchemaText, SCHEMA_FILE } from "../scripts/gen-schema.js";
import { parseConfigText } from "../src/config/load-config.js";
import { configSchema } from "../src/config/schema.js";
import { makeRepo, makeTempDir, TestRepo } from "./helpers/make-repo.js";
import { runCli, type CliRun } from "./helpers/run-cli.js";

const DAY = "2026-01-17";
const README = join(import.meta.dirname, "..", "README.md");

/** A home and an XDG folder of the test's own, so that the machine's files never count. */
function isolated(extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: makeTempDir(), XDG_CONFIG_HOME: makeTempDir(), REPO_DIGEST_CONFIG: "", ...extra };
}

function cli(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return runCli(args, { cwd, dataDir: join(env.HOME!, "data"), env });
}

/** Exit 2 and exactly one line, the one every error is. */
function oneErrorLine(run: CliRun): string {
  expect(run.status, run.stderr).toBe(2);
  const lines = run.stderr.split("\n").filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^repo-digest: /);
  return lines[0]!;
}

/** A real git repository (git init) at a folder of our choosing, with a subfolder. */
function gitRepoAt(dir: string): { root: string; sub: string } {
  mkdirSync(join(dir, "src", "deep"), { recursive: true });
  new TestRepo(dir).git(["init", "-q"]);
  return { root: dir, sub: join(dir, "src", "deep") };
}

const put = (file: string, text = "repos: []\n") => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};

describe("the config lookup", () => {
  it("takes --config, then REPO_DIGEST_CONFIG, then ./repo-digest.yaml, then the repository root's, then XDG's", { timeout: 90_000 }, async () => {
    const env = isolated();
    const { root, sub } = gitRepoAt(join(makeTempDir(), "project"));
    const flag = put(join(sub, "flag.yaml"));
    const named = put(join(makeTempDir(), "named.yaml"));
    const here = put(join(sub, "repo-digest.yaml"));
    const atRoot = put(join(root, "repo-digest.yaml"));
    const user = put(join(env.XDG_CONFIG_HOME!, "repo-digest", "config.yaml"));
    const path = async (args: string[], extra: Record<string, string> = {}) => {
      const run = await cli([...args, "config", "path"], sub, { ...env, ...extra });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      return run.stdout;
    };

    expect(await path(["--config", "flag.yaml"], { REPO_DIGEST_CONFIG: named })).toBe(`${flag}\n`);
    expect(await path([], { REPO_DIGEST_CONFIG: named })).toBe(`${named}\n`);
    expect(await path([])).toBe(`${here}\n`);
    rmSync(here);
    // From a subfolder of a git repository: the file at its root.
    expect(await path([])).toBe(`${atRoot}\n`);
    rmSync(atRoot);
    expect(await path([])).toBe(`${user}\n`);
    rmSync(user);
    const none = oneErrorLine(await cli(["config", "path"], sub, env));
    expect(none).toMatch(/^repo-digest: no config file found \(.*\); the defaults apply \(create one with `repo-digest init`\)$/);
  });

  it("reads ~/.config/repo-digest/config.yaml when XDG_CONFIG_HOME is not set", async () => {
    // Empty is unset (https://specifications.freedesktop.org/basedir-spec/latest/).
    const env = isolated({ XDG_CONFIG_HOME: "" });
    const user = put(join(env.HOME!, ".config", "repo-digest", "config.yaml"));
    expect((await cli(["config", "path"], makeTempDir(), env)).stdout).toBe(`${user}\n`);
  });

  it("stops at the repository root; outside a repository, at $HOME", { timeout: 60_000 }, async () => {
    const outer = makeTempDir();
    const env = isolated({ HOME: join(outer, "home") });
    const { sub } = gitRepoAt(join(outer, "home", "project"));
    const atHome = put(join(outer, "home", "repo-digest.yaml"));
    // Above the repository root: another project's config, not this one's.
    expect(oneErrorLine(await cli(["config", "path"], sub, env))).toMatch(/no config file found/);
    // Not in a repository: up to $HOME, which is checked too.
    const notes = join(outer, "home", "notes", "today");
    mkdirSync(notes, { recursive: true });
    expect((await cli(["config", "path"], notes, env)).stdout).toBe(`${atHome}\n`);
    // ... and no further.
    rmSync(atHome);
    put(join(outer, "repo-digest.yaml"));
    expect(oneErrorLine(await cli(["config", "path"], notes, env))).toMatch(/no config file found/);
  });

  it("REPO_DIGEST_CONFIG naming no file: exit 2 and the fix, not a fallback to the next level", async () => {
    const cwd = makeTempDir();
    put(join(cwd, "repo-digest.yaml"));
    const line = oneErrorLine(await cli(["repos", "list"], cwd, isolated({ REPO_DIGEST_CONFIG: "gone.yaml" })));
    expect(line).toBe(`repo-digest: REPO_DIGEST_CONFIG names ${join(cwd, "gone.yaml")}, which does not exist (create it with \`repo-digest --config ${join(cwd, "gone.yaml")} init\`, or unset REPO_DIGEST_CONFIG)`);
  });

  it("-v says which file applies and how it was found, or that none does", { timeout: 60_000 }, async () => {
    const env = isolated();
    const { root, sub } = gitRepoAt(join(makeTempDir(), "project"));
    const file = put(join(root, "repo-digest.yaml"));
    const logLines = (run: CliRun) =>
      run.stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { msg: string; file?: string; from?: string })
        .filter((entry) => /config/.test(entry.msg));

    // fetch with no repository fails after reading the config: the line comes first.
    const found = await cli(["-v", "fetch"], sub, env);
    expect(found.stderr).toMatch(/no repositories to report on/);
    expect(logLines(found)).toEqual([expect.objectContaining({ file, from: "parent", msg: `config: ${file} (in a parent folder, up to the repository root)` })]);

    rmSync(file);
    const none = await cli(["-v", "fetch"], sub, env);
    expect(logLines(none)).toEqual([expect.objectContaining({ from: "none", msg: expect.stringMatching(/^no config file found .*; the defaults apply$/) })]);

    // Without -v, no such line.
    put(file);
    expect(logLines(await cli(["fetch"], sub, env))).toEqual([]);
  });
});

describe("a config found in a parent folder", () => {
  let tracked: TestRepo;
  beforeAll(() => {
    tracked = makeRepo();
    tracked.write("src/app.py", "def main():\n    return 1\n");
    tracked.commit({ message: "feat: add the app", date: `${DAY}T09:00:00+00:00` });
  });
  afterAll(() => tracked?.cleanup());

  it("resolves its relative paths against its own folder; repos add and remove edit it", { timeout: 90_000 }, async () => {
    const env = isolated();
    const { root, sub } = gitRepoAt(join(makeTempDir(), "project"));
    const file = put(join(root, "repo-digest.yaml"), "# our team's config\ntimezone: UTC\noutput: { dir: reports }\nrepos: []\n");

    // A path relative to the cwd, written relative to the config's folder.
    const add = await cli(["repos", "add", relative(sub, tracked.dir), "--name", "demo/app"], sub, env);
    expect(add.stderr).toBe("");
    expect(add.status).toBe(0);
    expect(readdirSync(sub)).toEqual([]);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^# our team's config\n/);
    expect(parse(text).repos).toEqual([{ name: "demo/app", path: relative(root, tracked.dir) }]);
    expect((await cli(["repos", "list"], sub, env)).stdout).toBe(`demo/app\t${tracked.dir}\n`);

    // output.dir: reports is the config's folder's reports/, not the cwd's.
    const report = await cli(["report", "--date", DAY, "--tz", "UTC"], sub, env);
    expect(report.status, report.stderr).toBe(0);
    expect(readdirSync(join(root, "reports"))).toEqual([`${DAY}--demo-app.md`]);
    expect(readdirSync(sub)).toEqual([]);

    expect((await cli(["repos", "remove", "demo/app"], sub, env)).status).toBe(0);
    expect(parse(readFileSync(file, "utf8")).repos).toEqual([]);
  });

  it("with no config anywhere, repos add still asks for ./repo-digest.yaml from init", async () => {
    const cwd = makeTempDir();
    const line = oneErrorLine(await cli(["repos", "add", tracked.dir], cwd, isolated()));
    expect(line).toBe(`repo-digest: config file ${join(cwd, "repo-digest.yaml")} does not exist (create one with \`repo-digest init\`)`);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("repo-digest config validate", () => {
  it("prints the file and its number of repositories, exit 0", { timeout: 60_000 }, async () => {
    const env = isolated();
    const cwd = makeTempDir();
    const file = put(join(cwd, "repo-digest.yaml"), "repos:\n  - { path: ../a }\n  - { url: https://github.com/ai-dynamo/nixl.git }\n");
    const found = await cli(["config", "validate"], cwd, env);
    expect(found.stderr).toBe("");
    expect(found.status).toBe(0);
    expect(found.stdout).toBe(`${file}: valid (2 repositories)\n`);

    const given = put(join(cwd, "other.yaml"), "language: en\nrepos:\n  - { path: . }\n");
    expect((await cli(["config", "validate", "other.yaml"], cwd, env)).stdout).toBe(`${given}: valid (1 repository)\n`);
    expect((await cli(["--config", "other.yaml", "config", "validate"], cwd, env)).stdout).toBe(`${given}: valid (1 repository)\n`);
  });

  it("a misspelt key: exit 2, its line and column, and the key it resembles", { timeout: 60_000 }, async () => {
    const env = isolated();
    const cwd = makeTempDir();
    const file = put(join(cwd, "repo-digest.yaml"), "timezone: UTC\noutput:\n  formts: [md]\nrepos: []\n");
    const line = oneErrorLine(await cli(["config", "validate"], cwd, env));
    expect(line).toBe(
      `repo-digest: ${file}:3:3: output.formts: no such key here; did you mean output.formats? (check its spelling or remove it; \`repo-digest init\` writes an example with every key)`,
    );
    // Every command reads the config the same way.
    expect(oneErrorLine(await cli(["report", "--date", DAY], cwd, env))).toBe(line);

    put(file, "repos:\n  - name: x\n    path: .\n    brnach: main\n");
    expect(oneErrorLine(await cli(["config", "validate"], cwd, env))).toMatch(new RegExp(`^repo-digest: ${file}:4:5: repos\\[0\\]\\.brnach: no such key here; did you mean repos\\[0\\]\\.branch\\? `));
  });

  it("a bad value or type: exit 2 at the value's line and column", { timeout: 60_000 }, async () => {
    const env = isolated();
    const cwd = makeTempDir();
    const file = put(join(cwd, "bad.yaml"), "language: en\nschedule:\n  catchUpDays: many\n");
    expect(oneErrorLine(await cli(["config", "validate", "bad.yaml"], cwd, env))).toBe(
      `repo-digest: ${file}:3:16: schedule.catchUpDays: "many" is not allowed; expected a value of type number (fix it in the file; \`repo-digest config validate\` checks it again)`,
    );
    put(file, "output:\n  formats: [md, pdf]\n");
    expect(oneErrorLine(await cli(["config", "validate", "bad.yaml"], cwd, env))).toMatch(new RegExp(`^repo-digest: ${file}:2:17: output\\.formats\\[1\\]: "pdf" is not allowed; expected one of "md", "json", "html" `));
  });

  it("a file that does not exist, or no config at all: exit 2 and the fix", { timeout: 60_000 }, async () => {
    const env = isolated();
    const cwd = makeTempDir();
    expect(oneErrorLine(await cli(["config", "validate", "nope.yaml"], cwd, env))).toBe(
      `repo-digest: config file ${join(cwd, "nope.yaml")} does not exist (create one with \`repo-digest init\`)`,
    );
    expect(oneErrorLine(await cli(["config", "validate"], cwd, env))).toMatch(/^repo-digest: no config file found/);
  });
});

describe("the JSON Schema of the config", () => {
  const committed = () => JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as JsonSchema;

  it("is committed as generated from the zod schema (run `npm run schema` after changing src/config/schema.ts)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8"), "schema/repo-digest.schema.json is out of date: run `npm run schema`").toBe(configJsonSchemaText());
  });

  it("is a JSON Schema draft 2020-12 document, with no keyword this test does not know", () => {
    const schema = committed();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    checkSchema(schema, "#");
    // Every key of the zod schema's root is there, and nothing else is allowed.
    expect(Object.keys(schema.properties!).sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it("rejects what the CLI rejects: an unknown key, a value outside an enum, a wrong type", () => {
    const schema = committed();
    expect(validate(schema, { output: { formts: ["md"] } })).toEqual(["#/output: no property formts"]);
    expect(validate(schema, { language: "fr" })).toEqual(['#/language: "fr" not in the enum']);
    expect(validate(schema, { schedule: { catchUpDays: "many" } })).toEqual(["#/schedule/catchUpDays: not of type integer"]);
    expect(validate(schema, { llm: { provider: "openai" } })).toEqual(["#/llm: no model"]);
    expect(validate(schema, {})).toEqual([]);
  });

  it("accepts what `init` writes, whose first line points editors at it", { timeout: 60_000 }, async () => {
    const env = isolated();
    const cwd = makeTempDir();
    const init = await cli(["init"], cwd, env);
    expect(init.status, init.stderr).toBe(0);
    const text = readFileSync(join(cwd, "repo-digest.yaml"), "utf8");
    // An absolute path: it works for a global install, and the package names no repository URL.
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_FILE}`);
    expect(validate(committed(), parse(text))).toEqual([]);
    expect((await cli(["config", "validate"], cwd, env)).stdout).toBe(`${join(cwd, "repo-digest.yaml")}: valid (0 repositories)\n`);
  });

  it("accepts the README's config examples, as the CLI does", () => {
    const examples = readmeConfigExamples();
    // The Configuration, GitHub, Delivery, Schedule and LLM sections' blocks, at least.
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const example of examples) {
      expect(() => parseConfigText(example, "README.md"), example).not.toThrow();
      expect(validate(committed(), parse(example)), example).toEqual([]);
    }
  });
});

/**
 * The README's ```yaml blocks that are configs (every top-level key is one of the config's),
 * each top-level key on its own: the LLM section lists `llm:` once per provider.
 */
function readmeConfigExamples(): string[] {
  const keys = new Set(Object.keys(configSchema.shape));
  const examples: string[] = [];
  for (const [, block] of readFileSync(README, "utf8").matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
    const document = parseDocument(block!, { uniqueKeys: false });
    if (!isMap(document.contents)) continue;
    const pairs = document.contents.items as Pair[];
    if (!pairs.every((pair) => keys.has(String(pair.key)))) continue;
    const starts = pairs.map((pair) => (pair.key as { range: [number] }).range[0]);
    for (const [index, start] of starts.entries()) examples.push(block!.slice(start, starts[index + 1] ?? block!.length));
  }
  return examples;
}

interface JsonSchema {
  $schema?: string;
  title?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

const KEYWORDS = new Set([
  "$schema", "title", "type", "properties", "additionalProperties", "propertyNames", "required", "items", "anyOf",
  "enum", "default", "format", "pattern", "minLength", "maxLength", "minItems", "minimum", "maximum", "exclusiveMinimum",
]);
const TYPES = new Set(["object", "array", "string", "number", "integer", "boolean", "null"]);

/**
 * The schema's structure, as draft 2020-12 defines each keyword it uses
 * (https://json-schema.org/draft/2020-12/json-schema-validation): no ajv here, so a new
 * keyword from zod fails this until the checks below know it.
 */
function checkSchema(schema: JsonSchema, at: string): void {
  expect(typeof schema, at).toBe("object");
  for (const keyword of Object.keys(schema)) expect(KEYWORDS.has(keyword), `${at}: unknown keyword ${keyword}`).toBe(true);
  if (schema.$schema !== undefined) expect(at, "$schema only at the root").toBe("#");
  for (const type of [schema.type ?? []].flat()) expect(TYPES.has(type), `${at}: type ${type}`).toBe(true);
  if (schema.enum) expect(schema.enum.length, `${at}: empty enum`).toBeGreaterThan(0);
  if (schema.pattern !== undefined) expect(() => new RegExp(schema.pattern!, "u"), `${at}: pattern`).not.toThrow();
  for (const keyword of ["minLength", "maxLength", "minItems"] as const) {
    if (schema[keyword] !== undefined) expect(Number.isInteger(schema[keyword]) && schema[keyword]! >= 0, `${at}: ${keyword}`).toBe(true);
  }
  for (const keyword of ["minimum", "maximum", "exclusiveMinimum"] as const) {
    if (schema[keyword] !== undefined) expect(typeof schema[keyword], `${at}: ${keyword}`).toBe("number");
  }
  for (const name of schema.required ?? []) expect(schema.properties?.[name], `${at}: required ${name} has no schema`).toBeDefined();
  for (const [name, child] of Object.entries(schema.properties ?? {})) checkSchema(child, `${at}/properties/${name}`);
  if (typeof schema.additionalProperties === "object") checkSchema(schema.additionalProperties, `${at}/additionalProperties`);
  else if (schema.additionalProperties !== undefined) expect(typeof schema.additionalProperties).toBe("boolean");
  if (schema.propertyNames) checkSchema(schema.propertyNames, `${at}/propertyNames`);
  if (schema.items) checkSchema(schema.items, `${at}/items`);
  for (const [index, option] of (schema.anyOf ?? []).entries()) checkSchema(option, `${at}/anyOf/${index}`);
}

/** What a draft 2020-12 validator says of `value`, for the keywords above (format is an annotation in 2020-12). */
function validate(schema: JsonSchema, value: unknown, at = "#"): string[] {
  const errors: string[] = [];
  if (schema.anyOf && !schema.anyOf.some((option) => validate(option, value, at).length === 0)) errors.push(`${at}: no option of anyOf matches`);
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) return [...errors, `${at}: ${JSON.stringify(value)} not in the enum`];
  const types = [schema.type ?? []].flat();
  if (types.length > 0 && !types.some((type) => hasType(value, type))) return [...errors, `${at}: not of type ${types.join("|")}`];
  if (typeof value === "string") {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(`${at}: too short`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push(`${at}: too long`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below the minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above the maximum`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) errors.push(`${at}: not above the exclusive minimum`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (schema.items) for (const [index, item] of value.entries()) errors.push(...validate(schema.items, item, `${at}/${index}`));
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${at}: no ${name}`);
    for (const [name, child] of Object.entries(object)) {
      if (schema.propertyNames) errors.push(...validate(schema.propertyNames, name, `${at}/${name} (name)`));
      const property = schema.properties?.[name];
      if (property) errors.push(...validate(property, child, `${at}/${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: no property ${name}`);
      else if (typeof schema.additionalProperties === "object") errors.push(...validate(schema.additionalProperties, child, `${at}/${name}`));
    }
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}
