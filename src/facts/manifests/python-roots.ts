/**
 * Which folders a Python project ships, from its root `pyproject.toml`: Python code outside
 * them (a `collector/` of scripts, a `tools/` folder, a second package with its own
 * pyproject) is the developers', not what `pip install` gives users. Read from the build
 * backends' own keys; undefined when none says (then every folder counts as product).
 *
 * - setuptools: `[tool.setuptools.packages.find] where`, `[tool.setuptools] package-dir`
 *   and `packages` (https://setuptools.pypa.io/en/latest/userguide/package_discovery.html);
 * - Poetry: `[tool.poetry] packages = [{ include, from }]`;
 * - Hatch: `[tool.hatch.build.targets.wheel] packages`;
 * - maturin: `[tool.maturin] python-source`.
 */
import { parse } from "smol-toml";

type Table = Record<string, unknown>;

export function readPythonRoots(pyproject: string): string[] | undefined {
  let data: Table;
  try {
    data = parse(pyproject) as Table;
  } catch {
    return undefined;
  }
  const tool = table(data.tool);
  const roots: string[] = [];
  const setuptools = table(tool.setuptools);
  const find = table(table(setuptools.packages).find ?? setuptools["packages.find"]);
  for (const where of strings(find.where)) roots.push(where);
  const packageDir = table(setuptools["package-dir"]);
  const base = typeof packageDir[""] === "string" ? (packageDir[""] as string) : "";
  if (Array.isArray(setuptools.packages)) {
    for (const name of strings(setuptools.packages)) roots.push(join(base, name.split(".")[0]!));
  } else if (base) {
    roots.push(base);
  }
  for (const entry of Array.isArray(table(tool.poetry).packages) ? (table(tool.poetry).packages as unknown[]) : []) {
    const include = table(entry).include;
    const from = table(entry).from;
    if (typeof include === "string") roots.push(join(typeof from === "string" ? from : "", include.split("/")[0]!.replace(/\*.*$/, "")));
  }
  const wheel = table(table(table(table(tool.hatch).build).targets).wheel);
  for (const path of strings(wheel.packages)) roots.push(path);
  const maturin = table(tool.maturin);
  if (typeof maturin["python-source"] === "string") roots.push(maturin["python-source"] as string);
  const clean = [...new Set(roots.map((root) => root.replace(/^\.\/?/, "").replace(/\/+$/, "")).filter((root) => root !== "" && root !== "."))];
  return clean.length > 0 ? clean : undefined;
}

function table(value: unknown): Table {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Table) : {};
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function join(base: string, name: string): string {
  return base ? `${base.replace(/\/+$/, "")}/${name}` : name;
}
