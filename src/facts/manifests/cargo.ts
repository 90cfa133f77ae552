/** Cargo.toml: https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html */
import { parse } from "smol-toml";
import type { DependencyScope } from "../types.js";
import { indexToml } from "./locate.js";
import type { TomlIndex } from "./locate.js";
import { isRecord, withLine } from "./model.js";
import type { ManifestEntry, ManifestVersion, ReadManifest } from "./model.js";

/** Dependency tables of a package (and of each `[target.'cfg(...)']`), with the old underscore spellings Cargo still reads. */
const TABLES: ReadonlyArray<readonly [string, DependencyScope]> = [
  ["dependencies", "runtime"],
  ["dev-dependencies", "dev"],
  ["dev_dependencies", "dev"],
  ["build-dependencies", "build"],
  ["build_dependencies", "build"],
];

/** Where a dependency comes from when it gives no version: written as in an inline table. */
const SOURCE_KEYS = ["path", "git", "branch", "tag", "rev", "registry"];

export function readCargoToml(text: string): ReadManifest | undefined {
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const index = indexToml(text);
  const entries: ManifestEntry[] = [];
  for (const [table, scope] of TABLES) readTable(data[table], [table], scope, index, entries);
  if (isRecord(data.workspace)) readTable(data.workspace.dependencies, ["workspace", "dependencies"], "runtime", index, entries);
  if (isRecord(data.target)) {
    for (const [cfg, body] of Object.entries(data.target)) {
      if (!isRecord(body)) continue;
      for (const [table, scope] of TABLES) readTable(body[table], ["target", cfg, table], scope, index, entries);
    }
  }

  const versions: ManifestVersion[] = [];
  const ownPackages: string[] = [];
  let unpublished = false;
  const pkg = isRecord(data.package) ? data.package : undefined;
  if (pkg) {
    if (typeof pkg.name === "string") ownPackages.push(pkg.name);
    unpublished = pkg.publish === false || (Array.isArray(pkg.publish) && pkg.publish.length === 0);
    readVersions(pkg, ["package"], index, versions);
  }
  const workspacePackage = isRecord(data.workspace) && isRecord(data.workspace.package) ? data.workspace.package : undefined;
  if (workspacePackage) readVersions(workspacePackage, ["workspace", "package"], index, versions);
  return { ecosystem: "cargo", entries, versions, ownPackages, unpublished };
}

function readVersions(table: Record<string, unknown>, path: string[], index: TomlIndex, out: ManifestVersion[]): void {
  // `version.workspace = true` inherits: the workspace's own manifest says the version.
  if (typeof table.version === "string") {
    out.push(withLine({ kind: "project-version", name: "version", value: table.version }, index.find([...path, "version"])));
  }
  if (typeof table["rust-version"] === "string") {
    const value = table["rust-version"];
    out.push(withLine({ kind: "toolchain", name: "rust-version", value }, index.find([...path, "rust-version"])));
  }
}

function readTable(table: unknown, path: string[], scope: DependencyScope, index: TomlIndex, out: ManifestEntry[]): void {
  if (!isRecord(table)) return;
  const section = path.join(".");
  for (const [key, value] of Object.entries(table)) {
    const entry = readEntry(key, value);
    if (!entry) continue;
    // A `[dependencies.tokio]` table points at its `version` line; an inline entry at its own.
    const line = (entry.versioned ? index.find([...path, key, "version"]) : undefined) ?? index.find([...path, key]);
    const { versioned: _, ...rest } = entry;
    out.push(withLine({ ...rest, section, scope }, line));
  }
}

function readEntry(
  key: string,
  value: unknown,
): (Omit<ManifestEntry, "section" | "scope"> & { versioned: boolean }) | undefined {
  if (typeof value === "string") return { name: key, key, spec: value, internal: false, versioned: false };
  if (!isRecord(value)) return undefined;
  const version = typeof value.version === "string" ? value.version : undefined;
  const name = typeof value.package === "string" ? value.package : key;
  const inherited = value.workspace === true && version === undefined;
  const spec = version ?? (inherited ? "workspace" : sourceSpec(value));
  // `workspace = true` only says the version is kept in the workspace's table; whether the
  // crate is the project's own is said by a path there, or by its name among the project's packages.
  const entry = { name, key, spec, internal: typeof value.path === "string", versioned: version !== undefined };
  if (inherited) return { ...entry, inherited };
  return version === undefined ? { ...entry, source: true } : entry;
}

function sourceSpec(value: Record<string, unknown>): string {
  const parts = SOURCE_KEYS.filter((k) => typeof value[k] === "string").map((k) => `${k} = "${String(value[k])}"`);
  return parts.length === 0 ? "*" : parts.join(", ");
}
