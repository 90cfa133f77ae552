import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import envPaths from "env-paths";
import { isAlias, isCollection, isPair, isScalar, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError, InputError } from "../errors.js";
import { withOsErrorsSync } from "../os-errors.js";
import { configSchema, type Config } from "./schema.js";

export const DEFAULT_CONFIG_FILE = "repo-digest.yaml";

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read, or undefined when none exists. */
  file: string | undefined;
}

/**
 * Reads the config: the file named by --config (which must exist), else
 * ./repo-digest.yaml if there is one, else defaults. Relative paths inside the file
 * are resolved against the file's folder, so a config works from any folder.
 */
export function loadConfig(explicitFile: string | undefined, cwd = process.cwd()): LoadedConfig {
  const file = explicitFile ? resolve(cwd, explicitFile) : resolve(cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (explicitFile) {
      throw new InputError(`config file ${file} does not exist`, { hint: "create one with `repo-digest init`" });
    }
    return { config: configSchema.parse({}), file: undefined };
  }
  // A folder given as --config (EISDIR), a file we may not read (EACCES): one line naming it.
  const text = withOsErrorsSync({ doing: "reading the config", path: file }, () => readFileSync(file, "utf8"));
  const config = parseConfigText(text, file);
  return { config: resolvePaths(config, dirname(file)), file };
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
  if (!result.success) throw toConfigError(result.error, input, file);
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
    repos: config.repos.map((repo) => (repo.path ? { ...repo, path: absolute(repo.path) } : repo)),
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

/** One line naming the key, the bad value and what is allowed. */
function toConfigError(error: z.ZodError, input: unknown, file: string): ConfigError | InputError {
  const issue = error.issues[0]!;
  const key = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "") || "(root)";
  const value = valueAt(input, issue.path);
  let allowed = issue.message;
  switch (issue.code) {
    case "invalid_value":
      allowed = `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    case "invalid_type":
      allowed = `a value of type ${issue.expected}`;
      break;
    case "unrecognized_keys":
      return new InputError(`${file}: ${key === "(root)" ? "" : `${key}.`}${issue.keys[0]}: no such key here`, {
        hint: "check its spelling or remove it; `repo-digest init` writes an example with every key",
      });
    case "too_small":
      allowed = issue.origin === "array" ? `at least ${issue.minimum} item(s)` : "a non-empty value";
      break;
    default:
      break;
  }
  return new ConfigError(key, value, allowed, { hint: `in ${file}` });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
