/** What a manifest reader makes of one side (old or new text) of a manifest. */
import type { DependencyEcosystem, DependencyScope, VersionChange } from "../types.js";

export interface ManifestEntry {
  /** Shown: as written; a renamed Cargo dependency shows the crate's real name. */
  name: string;
  /** Compared: PyPI names normalised (PEP 503); a Cargo dependency by its key (the name the code uses). */
  key: string;
  /** The table or list the entry stands in (`devDependencies`, `target.cfg(unix).dependencies`, an extra's name): entries pair within it first. */
  section: string;
  /** Version or constraint as written; a path or git source when there is none. */
  spec: string;
  scope: DependencyScope;
  /** Points into the project (a path, a `workspace:` spec, a local `replace`). */
  internal: boolean;
  /** Takes its version from elsewhere (Cargo `workspace = true`): only its arrival or departure is a change. */
  inherited?: boolean;
  /** `spec` names a source (a path, a git URL and rev), no version: a change of it is never an upgrade. */
  source?: boolean;
  line?: number;
}

export interface ManifestVersion {
  kind: VersionChange["kind"];
  name: string;
  value: string;
  line?: number;
}

export interface ReadManifest {
  ecosystem?: DependencyEcosystem;
  entries: ManifestEntry[];
  versions: ManifestVersion[];
  /** Package names this manifest defines. */
  ownPackages: string[];
  /** Never published (`"private": true`, Cargo `publish = false`): its version is no release. */
  unpublished?: boolean;
}

/** Reads the whole text of one side; undefined when it does not parse. */
export type ManifestReader = (text: string, path: string) => ReadManifest | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** PEP 503: `Foo_Bar.baz` and `foo-bar-baz` are one project. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The value with `line` set when one was found. */
export function withLine<T extends object>(value: T, line: number | undefined): T & { line?: number } {
  return line === undefined ? value : { ...value, line };
}
