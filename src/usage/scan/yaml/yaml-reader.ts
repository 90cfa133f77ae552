/**
 * YAML (and JSON, a subset the same parser reads with positions): variables set in
 * Kubernetes `env: - name: K`, Compose `environment:` (map or `K=v` list) and CI `env:` maps;
 * shell in CI steps (`run:`, GitLab `script:`); manifests' `command`/`args`/`entrypoint` lists;
 * and, in the user's own config files, every written key as its full dotted path.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode, type Pair } from "yaml";
import type { Use } from "../../types.js";
import { readArgv, readShellText, splitCommands, type Word } from "../shell/shell-command.js";
import { makeSite } from "../site.js";
import type { UsageReader, UsageFile } from "../types.js";
import type { ProjectIdentity } from "../../types.js";

/** Files of tools, not of the user's application: their keys are the tool's, never config keys. */
const NOT_CONFIG = [
  /(^|\/)\.github\//,
  /(^|\/)\.gitlab-ci\.ya?ml$/,
  /(^|\/)\.circleci\//,
  /(^|\/)(azure-pipelines|bitbucket-pipelines|\.travis|appveyor|codecov|\.codecov|mkdocs|\.readthedocs|\.pre-commit-config|\.pre-commit-hooks|environment|Chart|pnpm-lock|pnpm-workspace|\.yarnrc|\.clang-format|\.clang-tidy|\.golangci|dependabot|renovate|\.markdownlint|\.prettierrc|\.eslintrc|\.stylelintrc|\.swcrc|\.babelrc)(\.[^/]*)?$/,
  /(^|\/)(docker-)?compose[^/]*\.ya?ml$/,
  /(^|\/)(package|package-lock|composer|tsconfig[^/]*|jsconfig|lerna|turbo|nx|vercel|angular|deno|bun|\.?babel\.config|app\.json)\.json$/,
  /(^|\/)\.vscode\//,
  /(^|\/)\.devcontainer\//,
  /\.(schema\.json|ipynb|lock|map)$/,
];

export function isConfigFile(path: string): boolean {
  return !NOT_CONFIG.some((pattern) => pattern.test(path));
}

function makeYamlReader(id: string, extensions: RegExp): UsageReader {
  return {
    id,
    kinds: ["env-var", "cli-flag", "config-key"],
    accepts: (path) => extensions.test(path),
    read: (file, identity) => ({ uses: readYaml(file, identity), dynamic: 0 }),
  };
}

export const yamlReader = makeYamlReader("yaml", /\.ya?ml$/i);
export const jsonReader = makeYamlReader("json", /\.json$/i);

function readYaml(file: UsageFile, identity: ProjectIdentity): Use[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(file.text, { lineCounter: counter, uniqueKeys: false });
  if (!Array.isArray(docs)) return [];
  const lines = file.text.split("\n");
  const uses: Use[] = [];
  const lineOf = (node: YamlNode | null | undefined): number => counter.linePos(node?.range?.[0] ?? 0).line;
  const envSite = (line: number) => makeSite(file.path, line, maskYamlValue(lines[line - 1] ?? ""));
  const words = (node: unknown): Word[] | undefined =>
    isSeq(node) && node.items.every(isScalar) ? node.items.map((item) => ({ text: String((item as { value: unknown }).value), line: lineOf(item as YamlNode) })) : undefined;
  const shellOf = (node: unknown): void => {
    for (const item of isSeq(node) ? node.items : [node]) {
      if (!isScalar(item) || typeof item.value !== "string") continue;
      // A block scalar's text starts on the line after its `|` or `>` indicator.
      const block = item.type === "BLOCK_LITERAL" || item.type === "BLOCK_FOLDED";
      uses.push(...readShellText(item.value, lineOf(item) + (block ? 1 : 0), file.path, lines, identity));
    }
  };
  const envOf = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) if (isScalar(pair.key)) uses.push({ kind: "env-var", name: String(pair.key.value), site: envSite(lineOf(pair.key)) });
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isMap(item)) {
          const name = item.items.find((pair) => isScalar(pair.key) && pair.key.value === "name");
          // `- name: K` holds the name, not a value: the line is kept as written.
          if (name && isScalar(name.value)) uses.push({ kind: "env-var", name: String(name.value.value), site: makeSite(file.path, lineOf(name.value), lines[lineOf(name.value) - 1] ?? "") });
        } else if (isScalar(item) && typeof item.value === "string") {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(=|$)/.exec(item.value);
          if (m) uses.push({ kind: "env-var", name: m[1]!, site: envSite(lineOf(item)) });
        }
      }
    }
  };
  const visit = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) visit(item);
      return;
    }
    if (!isMap(node)) return;
    const byKey = new Map<string, Pair>();
    for (const pair of node.items) if (isScalar(pair.key)) byKey.set(String(pair.key.value), pair as Pair);
    const command = byKey.get("command")?.value ?? byKey.get("entrypoint")?.value;
    const commandWords = words(command);
    if (commandWords) {
      uses.push(...readArgv([...commandWords, ...(words(byKey.get("args")?.value) ?? [])], file.path, lines, identity));
    } else if (isScalar(command) && typeof command.value === "string") {
      for (const argv of splitCommands(command.value, lineOf(command))) uses.push(...readArgv(argv, file.path, lines, identity));
    }
    for (const [key, pair] of byKey) {
      if (key === "env" || key === "environment") envOf(pair.value);
      else if (key === "run" || key === "script" || key === "before_script" || key === "after_script") shellOf(pair.value);
      else if (key !== "command" && key !== "entrypoint" && key !== "args") visit(pair.value);
    }
  };
  const config = isConfigFile(file.path);
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    const root = doc.contents;
    // Kubernetes objects are manifests, not configuration the application reads.
    const manifest = isMap(root) && root.has("apiVersion") && root.has("kind");
    visit(root);
    if (config && !manifest) readKeys(root, [], (name, line) => uses.push({ kind: "config-key", name, site: makeSite(file.path, line, maskYamlValue(lines[line - 1] ?? "")) }), lineOf);
  }
  return uses;
}

/** Every leaf key (a scalar, a list or an empty map) as its full dotted path. */
function readKeys(node: unknown, path: string[], emit: (name: string, line: number) => void, lineOf: (node: YamlNode) => number): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const keyPath = [...path, String(pair.key.value)];
    if (isMap(pair.value) && pair.value.items.length > 0) readKeys(pair.value, keyPath, emit, lineOf);
    else emit(keyPath.join("."), lineOf(pair.key as YamlNode));
  }
}

/** `KEY: value` → `KEY: …`, `- KEY=value` → `- KEY=…`, `"key": 1,` → `"key": …`. */
export function maskYamlValue(line: string): string {
  const eq = /^(\s*-\s*["']?[A-Za-z_][A-Za-z0-9_]*=)(.+)$/.exec(line);
  if (eq) return `${eq[1]}…`;
  const m = /^(\s*(?:-\s+)?(?:"[^"]*"|'[^']*'|[^\s:"'#][^:#]*?)\s*:)(\s+\S.*)?$/.exec(line);
  if (m && m[2] !== undefined && !/^\s*[|>][-+0-9]*\s*$/.test(m[2])) return `${m[1]} …`;
  return line;
}
