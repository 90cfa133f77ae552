import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import envPaths from "env-paths";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError, InputError } from "../errors.js";
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
  const config = parseConfigText(readFileSync(file, "utf8"), file);
  return { config: resolvePaths(config, dirname(file)), file };
}

export function parseConfigText(text: string, file: string): Config {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const [line] = error.linePos ?? [];
    throw new InputError(`${file}${line ? `:${line.line}` : ""}: not valid YAML (${error.code})`, {
      hint: "fix the YAML syntax; `repo-digest init --force` writes a fresh commented example",
    });
  }
  const result = configSchema.safeParse(document.toJS() ?? {});
  if (!result.success) throw toConfigError(result.error, document.toJS(), file);
  return result.data;
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
function toConfigError(error: z.ZodError, input: unknown, file: string): ConfigError {
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
      return new ConfigError(
        `${key === "(root)" ? "" : `${key}.`}${issue.keys[0]}`,
        valueAt(input, [...issue.path, issue.keys[0]!]),
        `no such key here; see \`repo-digest init\` for the keys a config can have`,
        { hint: `in ${file}` },
      );
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
