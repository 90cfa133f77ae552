/**
 * pyproject.toml: https://packaging.python.org/en/latest/specifications/pyproject-toml/,
 * dependency groups (PEP 735), Poetry (https://python-poetry.org/docs/pyproject/), and the
 * dev lists of uv and PDM.
 */
import { parse } from "smol-toml";
import type { DependencyScope } from "../types.js";
import { parseRequirement } from "../dependencies.js";
import { indexToml } from "./locate.js";
import type { TomlIndex } from "./locate.js";
import { isRecord, normalisePypiName, withLine } from "./model.js";
import type { ManifestEntry, ManifestVersion, ReadManifest } from "./model.js";
import { pythonExtraScope } from "./scope.js";

export function readPyproject(text: string): ReadManifest | undefined {
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const index = indexToml(text);
  const entries: ManifestEntry[] = [];
  const versions: ManifestVersion[] = [];
  const ownPackages: string[] = [];
  const tool = isRecord(data.tool) ? data.tool : {};
  const local = localSources(tool);

  const project = isRecord(data.project) ? data.project : undefined;
  if (project) {
    if (typeof project.name === "string") ownPackages.push(project.name);
    readRequirementList(project.dependencies, ["project", "dependencies"], "runtime", index, local, entries);
    if (isRecord(project["optional-dependencies"])) {
      for (const [group, list] of Object.entries(project["optional-dependencies"])) {
        readRequirementList(list, ["project", "optional-dependencies", group], pythonExtraScope(group), index, local, entries);
      }
    }
    if (typeof project.version === "string") {
      versions.push(withLine({ kind: "project-version", name: "version", value: project.version }, index.find(["project", "version"])));
    }
    if (typeof project["requires-python"] === "string") {
      const value = project["requires-python"];
      versions.push(withLine({ kind: "toolchain", name: "requires-python", value }, index.find(["project", "requires-python"])));
    }
  }
  if (isRecord(data["dependency-groups"])) {
    for (const [group, list] of Object.entries(data["dependency-groups"])) {
      readRequirementList(list, ["dependency-groups", group], "dev", index, local, entries);
    }
  }
  if (isRecord(data["build-system"])) {
    readRequirementList(data["build-system"].requires, ["build-system", "requires"], "build", index, local, entries);
  }

  const poetry = isRecord(tool.poetry) ? tool.poetry : undefined;
  if (poetry) {
    if (typeof poetry.name === "string") ownPackages.push(poetry.name);
    if (typeof poetry.version === "string") {
      versions.push(withLine({ kind: "project-version", name: "version", value: poetry.version }, index.find(["tool", "poetry", "version"])));
    }
    const deps = isRecord(poetry.dependencies) ? poetry.dependencies : undefined;
    if (deps && typeof deps.python === "string") {
      const value = deps.python;
      versions.push(withLine({ kind: "toolchain", name: "requires-python", value }, index.find(["tool", "poetry", "dependencies", "python"])));
    }
    readPoetryTable(deps, ["tool", "poetry", "dependencies"], "runtime", index, entries);
    readPoetryTable(poetry["dev-dependencies"], ["tool", "poetry", "dev-dependencies"], "dev", index, entries);
    if (isRecord(poetry.group)) {
      for (const [group, body] of Object.entries(poetry.group)) {
        if (isRecord(body)) readPoetryTable(body.dependencies, ["tool", "poetry", "group", group, "dependencies"], "dev", index, entries);
      }
    }
  }
  if (isRecord(tool.uv)) readRequirementList(tool.uv["dev-dependencies"], ["tool", "uv", "dev-dependencies"], "dev", index, local, entries);
  if (isRecord(tool.pdm) && isRecord(tool.pdm["dev-dependencies"])) {
    for (const [group, list] of Object.entries(tool.pdm["dev-dependencies"])) {
      readRequirementList(list, ["tool", "pdm", "dev-dependencies", group], "dev", index, local, entries);
    }
  }
  return { ecosystem: "pypi", entries, versions, ownPackages };
}

/** `[tool.uv.sources]` entries that point into the project: `{ workspace = true }`, `{ path = "..." }`. */
function localSources(tool: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const sources = isRecord(tool.uv) && isRecord(tool.uv.sources) ? tool.uv.sources : {};
  for (const [name, source] of Object.entries(sources)) {
    if (isRecord(source) && (source.workspace === true || typeof source.path === "string")) out.add(normalisePypiName(name));
  }
  return out;
}

function readRequirementList(
  list: unknown,
  path: string[],
  scope: DependencyScope,
  index: TomlIndex,
  local: ReadonlySet<string>,
  out: ManifestEntry[],
): void {
  if (!Array.isArray(list)) return;
  const section = path.join(".");
  const seen = new Map<string, number>();
  for (const item of list) {
    // PEP 735 `{ include-group = "test" }` names a group, no package.
    if (typeof item !== "string") continue;
    const req = parseRequirement(item, false);
    if (!req) continue;
    const key = normalisePypiName(req.name);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const line = index.findInArray(path, (value) => sameRequirementName(value, key), nth);
    const internal = local.has(key) || /^@\s*file:/.test(req.spec);
    out.push(withLine({ name: req.name, key, section, spec: req.spec, scope, internal }, line));
  }
}

function sameRequirementName(value: string, key: string): boolean {
  const req = parseRequirement(value, false);
  return req !== undefined && normalisePypiName(req.name) === key;
}

/** Poetry: `name = "^1.2"`, `name = { version = "^1.2", optional = true }`, or a list of constraints by marker. */
function readPoetryTable(table: unknown, path: string[], scope: DependencyScope, index: TomlIndex, out: ManifestEntry[]): void {
  if (!isRecord(table)) return;
  const section = path.join(".");
  for (const [name, value] of Object.entries(table)) {
    if (name.toLowerCase() === "python") continue;
    const read = readPoetryValue(value);
    if (!read) continue;
    // `optional = true` is installed only with an extra: no part of a default install.
    const entryScope = read.optional && scope === "runtime" ? "optional" : scope;
    const entry: ManifestEntry = { name, key: normalisePypiName(name), section, spec: read.spec, scope: entryScope, internal: read.internal };
    out.push(withLine(read.source ? { ...entry, source: true } : entry, index.find([...path, name])));
  }
}

function readPoetryValue(value: unknown): { spec: string; internal: boolean; optional: boolean; source?: boolean } | undefined {
  if (typeof value === "string") return { spec: value, internal: false, optional: false };
  if (Array.isArray(value)) {
    const specs = value.map((v) => (isRecord(v) && typeof v.version === "string" ? v.version : undefined)).filter((v) => v !== undefined);
    return specs.length === 0 ? undefined : { spec: specs.join(" || "), internal: false, optional: false };
  }
  if (!isRecord(value)) return undefined;
  const internal = typeof value.path === "string";
  const optional = value.optional === true;
  if (typeof value.version === "string") return { spec: value.version, internal, optional };
  const source = ["path", "git", "branch", "tag", "rev", "url"]
    .filter((k) => typeof value[k] === "string")
    .map((k) => `${k} = "${String(value[k])}"`);
  return source.length === 0 ? { spec: "*", internal, optional } : { spec: source.join(", "), internal, optional, source: true };
}
