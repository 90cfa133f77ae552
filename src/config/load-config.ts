import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import envPaths from "env-paths";
import { resolveUsedBy } from "../usage/usage-config.js";
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from "yaml";
import * as z from "zod";
import { ConfigError, InputError } from "../errors.js";
import { withOsErrorsSync } from "../os-errors.js";
import { configSchema, type Config } from "./schema.js";

export const DEFAULT_CONFIG_FILE = "repo-digest.yaml";
/** The environment variable naming a config file; after --config, before any folder. */
export const CONFIG_ENV = "REPO_DIGEST_CONFIG";

/** How the lookup found the file, in its order; `none`: no file, the defaults apply. */
export type ConfigSource = "flag" | "env" | "cwd" | "parent" | "user" | "none";

export interface FoundConfig {
  /** Absolute path of the file to read, or undefined when the lookup found none. */
  file: string | undefined;
  from: ConfigSource;
}

export interface LoadedConfig extends FoundConfig {
  config: Config;
}

export interface LookupOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Which config file applies, first found wins:
 * 1. `--config <file>` (it must exist);
 * 2. `$REPO_DIGEST_CONFIG` (it must exist);
 * 3. `./repo-digest.yaml`;
 * 4. `repo-digest.yaml` in each parent folder, up to the root of the git repository the cwd
 *    is in (the first folder with a `.git`: a folder, or a worktree's or submodule's file),
 *    whose project the config belongs to: a file above it (in $HOME, say) belongs to
 *    something else. Outside any repository, up to $HOME (included) when the cwd is under
 *    it, else up to the filesystem root;
 * 5. `$XDG_CONFIG_HOME/repo-digest/config.yaml`, XDG_CONFIG_HOME defaulting to ~/.config
 *    (https://specifications.freedesktop.org/basedir-spec/latest/: a relative value is ignored).
 */
export function findConfigFile(explicitFile: string | undefined, { cwd = process.cwd(), env = process.env }: LookupOptions = {}): FoundConfig {
  if (explicitFile) {
    const file = resolve(cwd, explicitFile);
    if (!existsSync(file)) throw new InputError(`config file ${file} does not exist`, { hint: "create one with `repo-digest init`" });
    return { file, from: "flag" };
  }
  const named = env[CONFIG_ENV];
  if (named) {
    const file = resolve(cwd, named);
    if (!existsSync(file)) {
      throw new InputError(`${CONFIG_ENV} names ${file}, which does not exist`, {
        hint: `create it with \`repo-digest --config ${file} init\`, or unset ${CONFIG_ENV}`,
      });
    }
    return { file, from: "env" };
  }
  const here = resolve(cwd);
  if (existsSync(join(here, DEFAULT_CONFIG_FILE))) return { file: join(here, DEFAULT_CONFIG_FILE), from: "cwd" };
  const home = resolve(env.HOME || homedir());
  const limit = repositoryRoot(here) ?? (isInside(here, home) ? home : undefined);
  for (let dir = here; dir !== limit && dirname(dir) !== dir; ) {
    dir = dirname(dir);
    if (existsSync(join(dir, DEFAULT_CONFIG_FILE))) return { file: join(dir, DEFAULT_CONFIG_FILE), from: "parent" };
  }
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, ".config");
  const user = join(xdg, "repo-digest", "config.yaml");
  if (existsSync(user)) return { file: user, from: "user" };
  return { file: undefined, from: "none" };
}

/** What the -v line and `config path` say about how a file was found. */
export function describeConfigSource(from: ConfigSource): string {
  switch (from) {
    case "flag":
      return "given by --config";
    case "env":
      return `named by ${CONFIG_ENV}`;
    case "cwd":
      return "in the current folder";
    case "parent":
      return "in a parent folder, up to the repository root";
    case "user":
      return "the user's config ($XDG_CONFIG_HOME/repo-digest/config.yaml)";
    case "none":
      return `no config file found (--config, ${CONFIG_ENV}, ./${DEFAULT_CONFIG_FILE}, the parent folders up to the repository root, $XDG_CONFIG_HOME/repo-digest/config.yaml); the defaults apply`;
  }
}

/** The closest folder at or above `dir` holding `.git` (a folder, or a worktree's or submodule's file). */
function repositoryRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, ".git"))) return current;
    if (dirname(current) === current) return undefined;
  }
}

function isInside(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent.endsWith("/") ? parent : `${parent}/`);
}

/**
 * Reads the config the lookup finds ({@link findConfigFile}), else the defaults. Relative
 * paths inside the file are resolved against the file's folder, so a config works from
 * any folder.
 */
export function loadConfig(explicitFile: string | undefined, lookup: LookupOptions = {}): LoadedConfig {
  const found = findConfigFile(explicitFile, lookup);
  if (found.file === undefined) return { config: configSchema.parse({}), ...found };
  return { config: readConfigFile(found.file), ...found };
}

/** Reads and checks one config file; relative paths in it resolved against its folder. */
export function readConfigFile(file: string): Config {
  // A folder given as --config (EISDIR), a file we may not read (EACCES): one line naming it.
  const text = withOsErrorsSync({ doing: "reading the config", path: file }, () => readFileSync(file, "utf8"));
  const config = parseConfigText(text, file);
  return resolvePaths(config, dirname(file));
}

export function parseConfigText(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new InputError(`${at(error.pos[0])}: not valid YAML: ${error.message}`, {
      hint: "fix the YAML syntax; `repo-digest init --force` writes a fresh commented example",
    });
  }
  checkAliases(document, at);
  // Aliases are bounded by checkAliases (with the line to fix); yaml's own count
  // (maxAliasCount, 100 by default) would also refuse a plain anchor used on 101 repos.
  const input: unknown = document.toJS({ maxAliasCount: -1 }) ?? {};
  const result = configSchema.safeParse(input);
  if (!result.success) throw toConfigError(result.error, input, (path, key) => locate(document, path, key, at) ?? file);
  return result.data;
}

/** More values than any real config has; a billion-laughs file expands to 10^9. */
export const MAX_EXPANDED_VALUES = 100_000;

/**
 * Aliases a config cannot have, each reported at the alias: one with no anchor before it,
 * one inside the very node it names (`a: &a [*a]`, which yaml turns into a circular value
 * that nothing downstream can walk), and aliases of aliases that expand the document past
 * {@link MAX_EXPANDED_VALUES} (https://en.wikipedia.org/wiki/Billion_laughs_attack): yaml
 * shares the aliased value, but the schema check and the commands walk every copy.
 */
function checkAliases(document: Document.Parsed, at: (offset: number) => string): void {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  visit(document, (_key, node, path) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const where = at(node.range?.[0] ?? 0);
      if (target === undefined) {
        throw new InputError(`${where}: the alias *${node.source} has no anchor &${node.source} before it`, {
          hint: `define &${node.source} before the first *${node.source}, or write the value out`,
        });
      }
      if (path.includes(target)) {
        throw new InputError(`${where}: the alias *${node.source} is inside the value it names (&${node.source}), so that value never ends`, {
          hint: "write the value out, or point the alias at an anchor outside it",
        });
      }
      targets.set(node, target);
    } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
      anchors.set(node.anchor, node);
    }
  });
  if (targets.size === 0) return;
  // Values each node stands for once its aliases are expanded; shared subtrees counted once.
  const sizes = new Map<unknown, number>();
  const sizeOf = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (isAlias(node)) size = sizeOf(targets.get(node));
    else if (isPair(node)) size = sizeOf(node.key) + sizeOf(node.value);
    else if (isCollection(node)) for (const item of node.items) size += sizeOf(item);
    sizes.set(node, size);
    return size;
  };
  const total = sizeOf(document.contents);
  if (total <= MAX_EXPANDED_VALUES) return;
  let worst: Alias | undefined;
  for (const alias of targets.keys()) if (worst === undefined || sizeOf(alias) > sizeOf(worst)) worst = alias;
  throw new InputError(
    `${at(worst!.range?.[0] ?? 0)}: the aliases expand the config to ${total.toLocaleString("en")} values (*${worst!.source} alone to ${sizeOf(worst).toLocaleString("en")}); at most ${MAX_EXPANDED_VALUES.toLocaleString("en")} are allowed`,
    { hint: "an alias bomb? write the values out, or alias fewer times" },
  );
}

function resolvePaths(config: Config, base: string): Config {
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(base, expandHome(p)));
  return {
    ...config,
    ...(config.dataDir ? { dataDir: absolute(config.dataDir) } : {}),
    output: { ...config.output, dir: absolute(config.output.dir) },
    repos: config.repos.map((repo) => {
      const paths = repo.path ? { ...repo, path: absolute(repo.path) } : repo;
      // Relative to the config file, as every path; the label keeps what the user wrote.
      return repo.usedBy === undefined ? paths : { ...paths, usedBy: resolveUsedBy(repo.usedBy, absolute) };
    }),
  };
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? `${process.env.HOME ?? ""}${path.slice(1)}` : path;
}

/** --data-dir, then REPO_DIGEST_DATA_DIR, then the config, then the user's data directory. */
export function resolveDataDir(flag: string | undefined, config: Config, env = process.env): string {
  const chosen = flag ?? env.REPO_DIGEST_DATA_DIR ?? config.dataDir;
  return chosen ? resolve(expandHome(chosen)) : envPaths("repo-digest", { suffix: "" }).data;
}

/**
 * A schema error in a config file, at the line and column of the value (or key) at fault:
 * `/path/repo-digest.yaml:2:11: language: "fr" is not allowed; expected ...`.
 */
export class ConfigFileError extends ConfigError {
  constructor(
    readonly where: string,
    key: string,
    value: unknown,
    allowed: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(key, value, allowed, options);
    this.message = `${where}: ${this.message}`;
  }
}

/** Where a schema error is: the node at `path` (or the key `key` of the map there), else its nearest ancestor found. */
type Locate = (path: readonly PropertyKey[], key?: string) => string;

/** One line naming the place, the key, the bad value and what is allowed. */
function toConfigError(error: z.ZodError, input: unknown, locate: Locate): ConfigError | InputError {
  const issue = error.issues[0]!;
  const key = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  let allowed = issue.message;
  switch (issue.code) {
    case "invalid_value":
      allowed = `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    case "invalid_type":
      allowed = `a value of type ${issue.expected}`;
      break;
    case "unrecognized_keys": {
      const unknown = issue.keys[0]!;
      const suggestion = closestKey(unknown, knownKeysAt(configSchema, issue.path));
      const full = (name: string) => formatPath([...issue.path, name]);
      return new InputError(`${locate(issue.path, unknown)}: ${full(unknown)}: no such key here${suggestion ? `; did you mean ${full(suggestion)}?` : ""}`, {
        hint: "check its spelling or remove it; `repo-digest init` writes an example with every key",
      });
    }
    case "too_small":
      allowed = issue.origin === "array" ? `at least ${issue.minimum} item(s)` : "a non-empty value";
      break;
    default:
      break;
  }
  return new ConfigFileError(locate(issue.path), key === "" ? "(root)" : key, value, allowed, {
    hint: "fix it in the file; `repo-digest config validate` checks it again",
  });
}

/** `repos[0].branch`, `output.formats`; "" for the root. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "");
}

/**
 * `file:line:col` of the node at `path` in the document (of the key `key` of the map
 * there, for an unknown key), else of the deepest node on the way that exists (the map
 * a required key is missing from); undefined for an empty document.
 */
function locate(document: Document.Parsed, path: readonly PropertyKey[], key: string | undefined, at: (offset: number) => string): string | undefined {
  let node: unknown = document.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  const steps = key === undefined ? path : [...path, key];
  for (const [index, part] of steps.entries()) {
    if (isAlias(node)) node = node.resolve(document);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(part));
      // The key's own place for an unknown key, the value's for a bad value.
      next = pair === undefined ? undefined : key !== undefined && index === steps.length - 1 ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof part === "number") {
      next = node.items[part];
    }
    if (!isNode(next)) break;
    node = next;
    found = next;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? undefined : at(offset);
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isCollection(value) || isAlias(value);
}

/** The keys an object of the schema allows at `path` (every option's, for a union); [] where there is no such object. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const objects = (current: z.ZodType, rest: readonly PropertyKey[]): z.ZodObject[] => {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      return objects(current.unwrap() as z.ZodType, rest);
    }
    if (current instanceof z.ZodPipe) return objects(current.in as z.ZodType, rest);
    if (current instanceof z.ZodUnion) return (current.options as z.ZodType[]).flatMap((option) => objects(option, rest));
    const [part, ...tail] = rest;
    if (part === undefined) return current instanceof z.ZodObject ? [current] : [];
    if (current instanceof z.ZodObject) {
      const child = (current.shape as Record<string, z.ZodType>)[String(part)];
      return child ? objects(child, tail) : [];
    }
    if (current instanceof z.ZodArray) return objects(current.element as z.ZodType, tail);
    if (current instanceof z.ZodRecord) return objects(current.valueType as z.ZodType, tail);
    return [];
  };
  return [...new Set(objects(schema, path).flatMap((object) => Object.keys(object.shape)))];
}

/**
 * The known key `unknown` most likely misspells: the same but for case, else the closest
 * within an edit distance of 2 (a transposition counts as one), else one it is a prefix of
 * (`critical` for `criticalPaths`). Undefined when none is close.
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(lower, key.toLowerCase());
    if (distance <= 2 && distance < unknown.length && (best === undefined || distance < best.distance)) best = { key, distance };
  }
  if (best) return best.key;
  if (lower.length < 3) return undefined;
  return known.find((key) => key.toLowerCase().startsWith(lower) || lower.startsWith(key.toLowerCase()));
}

/**
 * Optimal string alignment distance: Levenshtein plus the transposition of two adjacent
 * letters (`formtas` → `formats` is one edit). Keys are short, so the full table is cheap.
 * https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance#Optimal_string_alignment_distance
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
