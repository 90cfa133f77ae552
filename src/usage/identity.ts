/**
 * What the tracked project offers under which names, read from its own tree at the reported
 * tip: the Python packages it ships, its npm packages, Rust crates, Go modules, public headers
 * and the commands it installs. `provides:` in the config overrides each list (usage-config.ts).
 *
 * Manifests read: pyproject.toml (PEP 621 `[project]`, Poetry scripts, the build backends'
 * package roots via python-roots.ts), package.json (+ `workspaces`), Cargo.toml (+ `[workspace]
 * members`, https://doc.rust-lang.org/cargo/reference/cargo-targets.html), go.mod.
 */
import picomatch from "picomatch";
import { parse as parseToml } from "smol-toml";
import { readPythonRoots } from "../facts/manifests/python-roots.js";
import type { ProjectIdentity, ProjectTree } from "./types.js";

type Table = Record<string, unknown>;

/** Folders whose code is the developers' own, never what users import. */
const NOT_SHIPPED = new Set(["test", "tests", "testing", "example", "examples", "benchmark", "benchmarks", "bench", "docs", "doc", "scripts", "node_modules", "vendor", "third_party", "build", "dist"]);
const HEADER = /\.(h|hh|hpp|hxx|h\+\+|cuh)$/i;

export async function readProjectIdentity(tree: ProjectTree, overrides: Partial<ProjectIdentity> = {}): Promise<ProjectIdentity> {
  const paths = new Set(tree.paths);
  const readToml = async (path: string): Promise<Table | undefined> => {
    const text = await tree.read(path);
    if (text === undefined) return undefined;
    try {
      return parseToml(text) as Table;
    } catch {
      return undefined;
    }
  };
  const readJson = async (path: string): Promise<Table | undefined> => {
    const text = await tree.read(path);
    if (text === undefined) return undefined;
    try {
      return table(JSON.parse(text));
    } catch {
      return undefined;
    }
  };

  const python = new Set<string>();
  const npm = new Set<string>();
  const crates = new Set<string>();
  const goModules = new Set<string>();
  const headers = new Set<string>();
  const commands = new Set<string>();

  // Python: packages (folders with __init__.py) under the roots pyproject ships, else at the top and under src/.
  const pyprojectText = paths.has("pyproject.toml") ? await tree.read("pyproject.toml") : undefined;
  const roots = (pyprojectText !== undefined ? readPythonRoots(pyprojectText) : undefined) ?? ["", "src"];
  const folders = new Set<string>();
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    for (let at = path.indexOf("/"); at !== -1 && at <= slash; at = path.indexOf("/", at + 1)) folders.add(path.slice(0, at));
  }
  for (const root of roots) {
    // A root that is itself a package (Hatch `packages = ["src/foo"]`).
    if (root !== "" && paths.has(`${root}/__init__.py`)) {
      addPackage(python, root.slice(root.lastIndexOf("/") + 1));
      continue;
    }
    const prefix = root === "" ? "" : `${root}/`;
    for (const path of paths) {
      if (!path.startsWith(prefix) || !path.endsWith("/__init__.py")) continue;
      const rest = path.slice(prefix.length).split("/");
      if (rest.length === 2) addPackage(python, rest[0]!);
    }
  }
  if (pyprojectText !== undefined) {
    const data = await readToml("pyproject.toml");
    const project = table(data?.project);
    if (typeof project.name === "string") {
      // PEP 503 normalisation, then as an import name: a distribution `my-pkg` is imported as `my_pkg`.
      const name = project.name.toLowerCase().replace(/[-_.]+/g, "_");
      if (roots.some((root) => folders.has(root === "" ? name : `${root}/${name}`))) addPackage(python, name);
    }
    for (const key of Object.keys(table(project.scripts))) commands.add(key);
    for (const key of Object.keys(table(project["gui-scripts"]))) commands.add(key);
    for (const key of Object.keys(table(table(table(data?.tool).poetry).scripts))) commands.add(key);
  }

  // npm: the root package.json and its workspaces' (private ones too: a monorepo's own code imports them).
  const packageJsons = ["package.json"];
  const rootPackage = paths.has("package.json") ? await readJson("package.json") : undefined;
  const workspaces = rootPackage ? strings(Array.isArray(rootPackage.workspaces) ? rootPackage.workspaces : table(rootPackage.workspaces).packages) : [];
  if (workspaces.length > 0) {
    const match = picomatch(workspaces.map((glob) => `${glob.replace(/^\.\//, "").replace(/\/+$/, "")}/package.json`));
    for (const path of paths) if (path !== "package.json" && !path.includes("node_modules/") && match(path)) packageJsons.push(path);
  }
  for (const path of packageJsons) {
    const data = path === "package.json" ? rootPackage : await readJson(path);
    if (!data) continue;
    const name = typeof data.name === "string" ? data.name : undefined;
    if (name) npm.add(name);
    if (typeof data.bin === "string" && name) commands.add(name.replace(/^@[^/]+\//, ""));
    for (const key of Object.keys(table(data.bin))) commands.add(key);
  }

  // Rust: the root Cargo.toml and its workspace members.
  const cargoFiles = ["Cargo.toml"];
  const rootCargo = paths.has("Cargo.toml") ? await readToml("Cargo.toml") : undefined;
  const members = strings(table(rootCargo?.workspace).members);
  if (members.length > 0) {
    const match = picomatch(members.map((glob) => `${glob.replace(/^\.\//, "").replace(/\/+$/, "")}/Cargo.toml`));
    for (const path of paths) if (path !== "Cargo.toml" && match(path)) cargoFiles.push(path);
  }
  for (const path of cargoFiles) {
    const data = path === "Cargo.toml" ? rootCargo : await readToml(path);
    if (!data) continue;
    const dir = path.slice(0, path.length - "Cargo.toml".length);
    const name = typeof table(data.package).name === "string" ? (table(data.package).name as string) : undefined;
    const lib = table(data.lib);
    if (typeof lib.name === "string") crates.add(lib.name.replace(/-/g, "_"));
    else if (name && (paths.has(`${dir}src/lib.rs`) || !paths.has(`${dir}src/main.rs`))) crates.add(name.replace(/-/g, "_"));
    const bins = Array.isArray(data.bin) ? data.bin.map(table) : [];
    for (const bin of bins) if (typeof bin.name === "string") commands.add(bin.name);
    if (bins.length === 0 && name && paths.has(`${dir}src/main.rs`)) commands.add(name);
    for (const file of paths) {
      const bin = file.startsWith(`${dir}src/bin/`) ? /^([^/]+)\.rs$/.exec(file.slice(`${dir}src/bin/`.length)) : null;
      if (bin) commands.add(bin[1]!);
    }
  }

  for (const path of paths) {
    const parts = path.split("/");
    if (parts.slice(0, -1).some((part) => part.startsWith(".") || NOT_SHIPPED.has(part) || part === "testdata")) continue;
    const file = parts[parts.length - 1]!;
    if (file === "go.mod") {
      const text = await tree.read(path);
      // https://go.dev/ref/mod#go-mod-file-module
      const module = text === undefined ? undefined : /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
      if (module) goModules.add(module);
    }
    const cmd = /(?:^|\/)cmd\/([^/]+)\/main\.go$/.exec(path);
    if (cmd) commands.add(cmd[1]!);
    if (HEADER.test(file)) {
      const include = parts.lastIndexOf("include");
      if (include !== -1 && include < parts.length - 1) headers.add(parts.slice(include + 1).join("/"));
      else if (parts.length >= 2 && parts[parts.length - 2] === "src") headers.add(file);
    }
  }

  const sorted = (read: Set<string>): string[] => [...read].sort();
  return {
    python: overrides.python ?? sorted(python),
    npm: overrides.npm ?? sorted(npm),
    crates: overrides.crates ?? sorted(crates),
    goModules: overrides.goModules ?? sorted(goModules),
    headers: overrides.headers ?? sorted(headers),
    commands: overrides.commands ?? sorted(commands),
  };
}

function addPackage(into: Set<string>, name: string): void {
  if (name.startsWith(".") || name.startsWith("_") || NOT_SHIPPED.has(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return;
  into.add(name);
}

function table(value: unknown): Table {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Table) : {};
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
