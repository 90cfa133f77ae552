/** package.json: https://docs.npmjs.com/cli/configuring-npm/package-json */
import type { DependencyScope } from "../types.js";
import { indexJsonKeys } from "./locate.js";
import { isRecord, withLine } from "./model.js";
import type { ManifestEntry, ManifestVersion, ReadManifest } from "./model.js";
import { isLocalNpmSpec } from "./scope.js";

const SECTIONS: ReadonlyArray<readonly [string, DependencyScope]> = [
  ["dependencies", "runtime"],
  ["devDependencies", "dev"],
  ["peerDependencies", "peer"],
  ["optionalDependencies", "optional"],
];

export function readPackageJson(text: string): ReadManifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  const lines = indexJsonKeys(text);
  const lineOf = (...keys: string[]): number | undefined => lines.get(keys.join("\u0000"));

  const entries: ManifestEntry[] = [];
  for (const [section, scope] of SECTIONS) {
    const deps = data[section];
    if (!isRecord(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec !== "string") continue;
      const entry: ManifestEntry = { name, key: name, section, spec, scope, internal: isLocalNpmSpec(spec) };
      const line = lineOf(section, name);
      entries.push(line === undefined ? entry : { ...entry, line });
    }
  }

  const versions: ManifestVersion[] = [];
  if (typeof data.version === "string") {
    versions.push(withLine({ kind: "project-version", name: "version", value: data.version }, lineOf("version")));
  }
  const engines = data.engines;
  if (isRecord(engines) && typeof engines.node === "string") {
    versions.push(withLine({ kind: "toolchain", name: "engines.node", value: engines.node }, lineOf("engines", "node")));
  }

  return {
    ecosystem: "npm",
    entries,
    versions,
    ownPackages: typeof data.name === "string" && data.name !== "" ? [data.name] : [],
    unpublished: data.private === true,
  };
}
