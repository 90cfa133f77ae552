/**
 * Dependency changes read from the patch of a manifest. Only the hunks are at hand, not
 * the whole file, so each parser follows the sections it can see in context, removed
 * and added lines, one state per side of the hunk (old file, new file). When a hunk
 * shows no section header, an entry counts only where its shape leaves little doubt
 * (a version-looking value under a key that is not a well-known metadata field). The
 * limit: an entry deep inside a long section whose header is outside the hunk and whose
 * value does not look like a version (a git URL, a path) is missed. The section seen
 * also says what the entry is for (`devDependencies` → dev, ...; none seen → runtime), and
 * a manifest of a docs site or a test, example or benchmark tree makes every entry docs or dev.
 * The whole-file reader (manifests/diff-manifest.ts) is preferred where both versions parse.
 */
import semver from "semver";
import type { SemVer } from "semver";
import type { FileChange } from "../sources/types.js";
import type { DependencyChange, DependencyEcosystem, DependencyScope } from "./types.js";
import { isLocalNpmSpec, isRequirementsPath, manifestFolderScope, pythonExtraScope, requirementsFileScope } from "./manifests/scope.js";
import { baseName, blankStrings, isDockerfile, parsePatch } from "./patch-scan.js";
import type { Change, HunkSide, ParsedPatch, SideLine } from "./patch-scan.js";

interface Found {
  name: string;
  /** Name as compared: PyPI names are normalised (PEP 503), others kept. */
  key: string;
  spec: string;
  change: Change;
  line: number;
  scope: DependencyScope;
  /** Points into the project: a `workspace:`/`file:` spec, a path dependency. */
  internal: boolean;
  /** `spec` is a source (an inline table's path or git rev), no version: its change is no upgrade. */
  source?: boolean;
}

type SideParser = (side: HunkSide, patch: string, path: string) => Found[];

/** `patch` is the file's patch, parsed once by the caller and shared with the other extractors. */
export function extractDependencyChanges(file: FileChange, patch: ParsedPatch = parsePatch(file.patch)): DependencyChange[] {
  const manifest = detectManifest(file.path);
  if (!manifest || file.binary || file.patch === "") return [];
  const found: Found[] = [];
  for (const side of patch.sides) found.push(...manifest.parse(side, patch.text, file.path));
  const changes = pairFound(found, manifest.ecosystem, file.path);
  const folder = manifestFolderScope(file.path);
  return folder ? changes.map((c) => ({ ...c, scope: folder })) : changes;
}

function detectManifest(path: string): { ecosystem: DependencyEcosystem; parse: SideParser } | undefined {
  const name = baseName(path);
  if (name === "package.json") return { ecosystem: "npm", parse: parsePackageJson };
  if (name === "Cargo.toml") return { ecosystem: "cargo", parse: parseCargoToml };
  if (name === "pyproject.toml") return { ecosystem: "pypi", parse: parsePyproject };
  if (isRequirementsPath(path)) return { ecosystem: "pypi", parse: parseRequirements };
  if (name === "go.mod") return { ecosystem: "go", parse: parseGoMod };
  if (isDockerfile(path)) return { ecosystem: "docker", parse: parseDockerfile };
  if (name === "meson.build") return { ecosystem: "meson", parse: parseMesonDependencies };
  if (name === "CMakeLists.txt" || /\.cmake$/.test(name)) return { ecosystem: "cmake", parse: parseCmakePackages };
  if (/^\.github\/(workflows\/[^/]+|actions\/.+\/action)\.ya?ml$|(^|\/)action\.ya?ml$/.test(path)) return { ecosystem: "github-actions", parse: parseWorkflowUses };
  return undefined;
}

// --- Meson: https://mesonbuild.com/Reference-manual_functions.html#dependency

const MESON_DEPENDENCY = /\bdependency\(\s*'([^']+)'(?:[^)]*?\bversion\s*:\s*'([^']+)')?/;

/** The libraries a Meson build links: `dependency('libcurl', version: '>=7.0')`. */
function parseMesonDependencies(side: HunkSide): Found[] {
  const out: Found[] = [];
  for (const l of side.lines) {
    if (!l.changed || /^\s*#/.test(l.text)) continue;
    const m = MESON_DEPENDENCY.exec(l.text);
    if (m) out.push(found(side, l, m[1]!, m[2] ?? "*"));
  }
  return out;
}

// --- CMake: https://cmake.org/cmake/help/latest/command/find_package.html

const CMAKE_PACKAGE = /^\s*find_package\(\s*([A-Za-z0-9_.+-]+)(?:\s+(\d[\w.]*))?/i;

function parseCmakePackages(side: HunkSide): Found[] {
  const out: Found[] = [];
  for (const l of side.lines) {
    const m = l.changed ? CMAKE_PACKAGE.exec(l.text) : null;
    if (m) out.push(found(side, l, m[1]!, m[2] ?? "*"));
  }
  return out;
}

// --- GitHub Actions: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsuses

const USES = /^\s*(?:-\s+)?uses:\s*["']?([\w.-]+\/[\w./-]+)@([^\s"'#]+)["']?\s*(?:#\s*(\S+))?/;

/** `uses: owner/repo@v4` steps; a pinned SHA with a `# v4.2.0` comment is read as that version. Local (`./`) and `docker://` actions are not dependencies. */
function parseWorkflowUses(side: HunkSide): Found[] {
  const out: Found[] = [];
  for (const l of side.lines) {
    if (!l.changed) continue;
    const m = USES.exec(l.text);
    if (!m) continue;
    const version = m[3] && /^v?\d/.test(m[3]) ? m[3] : m[2]!;
    out.push(found(side, l, m[1]!, version, { scope: "dev" }));
  }
  return out;
}

function found(
  side: HunkSide,
  l: SideLine,
  name: string,
  spec: string,
  {
    key = name,
    scope = "runtime",
    internal = false,
    source = false,
  }: { key?: string; scope?: DependencyScope; internal?: boolean; source?: boolean } = {},
): Found {
  const f: Found = { name, key, spec, change: side.change, line: l.line, scope, internal };
  return source ? { ...f, source } : f;
}

// --- package.json: https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies

const NPM_SECTIONS = new Map<string, DependencyScope>([
  ["dependencies", "runtime"],
  ["devDependencies", "dev"],
  ["peerDependencies", "peer"],
  ["optionalDependencies", "optional"],
]);
/** Top-level fields and `engines` keys whose values can look like version ranges. */
const NPM_NOT_DEPENDENCIES = new Set([
  "name",
  "version",
  "description",
  "license",
  "main",
  "module",
  "types",
  "typings",
  "type",
  "packageManager",
  "node",
  "npm",
  "pnpm",
  "yarn",
  "vscode",
]);
const JSON_OBJECT_OPEN = /^\s*"([^"]+)"\s*:\s*\{/;
const JSON_STRING_ENTRY = /^\s*"([^"]+)"\s*:\s*"([^"]*)"\s*,?\s*$/;

function parsePackageJson(side: HunkSide): Found[] {
  const out: Found[] = [];
  let section: "unknown" | "deps" | "other" = "unknown";
  let scope: DependencyScope = "runtime";
  for (const l of side.lines) {
    const open = JSON_OBJECT_OPEN.exec(l.text);
    if (open) {
      const opened = NPM_SECTIONS.get(open[1]!);
      section = opened ? "deps" : "other";
      scope = opened ?? "runtime";
      continue;
    }
    if (/^\s*\}/.test(l.text)) {
      // Whatever closed, what follows is not inside a dependencies object until one opens.
      section = "other";
      continue;
    }
    const entry = JSON_STRING_ENTRY.exec(l.text);
    if (!entry || !l.changed) continue;
    const [, name, spec] = entry as unknown as [string, string, string];
    const accepted = section === "deps" || (section === "unknown" && isNpmRangeShaped(name, spec));
    if (accepted) out.push(found(side, l, name, spec, { scope: section === "deps" ? scope : "runtime", internal: isLocalNpmSpec(spec) }));
  }
  return out;
}

function isNpmRangeShaped(name: string, spec: string): boolean {
  if (NPM_NOT_DEPENDENCIES.has(name)) return false;
  if (/^(workspace|npm):/.test(spec)) return true;
  return /\d/.test(spec) && semver.validRange(spec, { loose: true }) !== null;
}

// --- Cargo.toml: https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html

const TOML_HEADER = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const TOML_STRING_ENTRY = /^\s*"?([A-Za-z0-9_.-]+?)"?\s*=\s*"([^"]*)"\s*(#.*)?$/;
const TOML_INLINE_ENTRY = /^\s*"?([A-Za-z0-9_-]+)"?\s*=\s*\{(.*)\}\s*(#.*)?$/;
const CARGO_WORKSPACE_ENTRY = /^\s*([A-Za-z0-9_-]+)\.workspace\s*=\s*true\b/;
const CARGO_DEPS_TABLE = /(^|\.)(dev-|build-)?dependencies$/;
const CARGO_DEP_TABLE = /(?:^|\.)(dev-|build-)?dependencies\."?([A-Za-z0-9_-]+)"?$/;
/** `[package]` and `[workspace.package]` fields whose values look like versions. */
const CARGO_NOT_DEPENDENCIES = new Set(["version", "edition", "rust-version", "name", "resolver"]);
const VERSION_SHAPED = /^[~^=<>!\s]*v?\d+(\.(\d+|\*|x))*[\w.+-]*(\s*,\s*[~^=<>!]+\s*\d[\w.*+-]*)*$/;

type TomlSection =
  | { kind: "unknown" | "other" }
  | { kind: "deps"; scope: DependencyScope }
  | { kind: "table"; name: string; scope: DependencyScope };

function cargoScope(prefix: string | undefined): DependencyScope {
  return prefix === "dev-" ? "dev" : prefix === "build-" ? "build" : "runtime";
}

function readCargoHeader(header: string, bracket: string): TomlSection {
  if (bracket === "[[") return { kind: "other" };
  const deps = CARGO_DEPS_TABLE.exec(header);
  if (deps) return { kind: "deps", scope: cargoScope(deps[2]) };
  const table = CARGO_DEP_TABLE.exec(header);
  return table ? { kind: "table", name: table[2]!, scope: cargoScope(table[1]) } : { kind: "other" };
}

function parseCargoToml(side: HunkSide): Found[] {
  // Under a visible `[dependencies]` header every entry counts; elsewhere only version-shaped ones.
  return parseTomlDependencyTables(side, readCargoHeader, (name, known) => !known && CARGO_NOT_DEPENDENCIES.has(name));
}

/** `[dependencies]`-like tables of `name = "range"` and `name = { version = "range", ... }` (Cargo, Poetry). */
function parseTomlDependencyTables(
  side: HunkSide,
  readHeader: (header: string, bracket: string) => TomlSection,
  skip: (name: string, known: boolean) => boolean,
): Found[] {
  const out: Found[] = [];
  let section: TomlSection = { kind: "unknown" };
  for (const l of side.lines) {
    const header = TOML_HEADER.exec(l.text);
    if (header) {
      section = readHeader(header[2]!, header[1]!);
      continue;
    }
    if (!l.changed || section.kind === "other") continue;
    if (section.kind === "table") {
      const version = /^\s*version\s*=\s*"([^"]*)"/.exec(l.text);
      if (version) out.push(found(side, l, section.name, version[1]!, { scope: section.scope }));
      continue;
    }
    const known = section.kind === "deps";
    const scope = section.kind === "deps" ? section.scope : "runtime";
    const plain = TOML_STRING_ENTRY.exec(l.text);
    if (plain) {
      const [, name, spec] = plain as unknown as [string, string, string];
      if (skip(name, known)) continue;
      if (known || VERSION_SHAPED.test(spec)) out.push(found(side, l, name, spec, { scope }));
      continue;
    }
    const inline = TOML_INLINE_ENTRY.exec(l.text);
    if (inline) {
      const [, name, body] = inline as unknown as [string, string, string];
      const spec = readInlineSpec(body);
      if (skip(name, known)) continue;
      if (spec !== undefined && (known || /\b(version|path|git|workspace)\s*=/.test(body))) {
        const source = !/\bversion\s*=/.test(body) && spec !== "workspace";
        out.push(found(side, l, name, spec, { scope, internal: /\bpath\s*=/.test(body), source }));
      }
      continue;
    }
    const inherited = CARGO_WORKSPACE_ENTRY.exec(l.text);
    if (inherited && !skip(inherited[1]!, known)) out.push(found(side, l, inherited[1]!, "workspace", { scope }));
  }
  return out;
}

/** The version of an inline table, else `workspace`, else the table as written (a path or git source). */
function readInlineSpec(body: string): string | undefined {
  const version = /\bversion\s*=\s*"([^"]*)"/.exec(body);
  if (version) return version[1];
  if (/\bworkspace\s*=\s*true\b/.test(body)) return "workspace";
  const trimmed = body.trim();
  return trimmed === "" ? undefined : trimmed;
}

// --- pyproject.toml: https://packaging.python.org/en/latest/specifications/pyproject-toml/
// and https://python-poetry.org/docs/pyproject/#dependencies-and-dependency-groups

const PEP508 = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*([^;]*?)\s*(;.*)?$/;
const TOML_ARRAY_OPEN = /^\s*"?([A-Za-z0-9_.-]+)"?\s*=\s*\[(.*)$/;
const POETRY_DEPS_TABLE = /^tool\.poetry(\.group\.[^.]+)?\.(dev-)?dependencies$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;

/** What the requirements of an array are for, from its table and key; null when it holds no requirements. */
function pyprojectArrayScope(section: string | undefined, key: string): DependencyScope | null {
  if (section === "build-system") return key === "requires" ? "build" : null;
  if (section === "project.optional-dependencies") return pythonExtraScope(key);
  if (section === "dependency-groups") return "dev";
  if (!key.endsWith("dependencies")) return null;
  if (key === "dev-dependencies") return "dev";
  return key === "optional-dependencies" ? "optional" : "runtime";
}

function parsePyproject(side: HunkSide): Found[] {
  const out: Found[] = [];
  let section: string | undefined;
  // In an array: the scope of its requirements, null when it holds none; undefined when not in one.
  let depArray: DependencyScope | null | undefined;
  for (const l of side.lines) {
    const header = TOML_HEADER.exec(l.text);
    if (header) {
      section = header[2];
      depArray = undefined;
      continue;
    }
    const open = depArray === undefined ? TOML_ARRAY_OPEN.exec(l.text) : null;
    let rest = l.text;
    let inDepArray = depArray;
    if (open) {
      inDepArray = pyprojectArrayScope(section, open[1]!);
      rest = open[2]!;
    }
    const closes = blankStrings(rest).includes("]");
    if (l.changed) {
      // Outside any visible array, a lone quoted line is taken for a requirement only when it pins a version.
      const loneString =
        section === undefined && depArray === undefined && !open && /^\s*("[^"]*"|'[^']*')\s*,?\s*(#.*)?$/.test(l.text);
      if (typeof inDepArray === "string" || loneString) {
        const scope = typeof inDepArray === "string" ? inDepArray : "runtime";
        for (const m of rest.matchAll(QUOTED)) {
          const req = parseRequirement(m[1] ?? m[2] ?? "", loneString);
          if (req) out.push(found(side, l, req.name, req.spec, pypiOptions(req, scope)));
        }
      }
    }
    depArray = open ? (closes ? undefined : inDepArray) : closes ? undefined : depArray;
  }
  // Poetry tables (`name = "^1.2"`) count only under a visible header: in `[project]`,
  // `version = "0.1.0"` and `requires-python = ">=3.9"` have the same shape.
  const poetry = parseTomlDependencyTables(
    side,
    (header, bracket) => {
      const poetry = bracket === "[" ? POETRY_DEPS_TABLE.exec(header) : null;
      return poetry ? { kind: "deps", scope: poetry[1] || poetry[2] ? "dev" : "runtime" } : { kind: "other" };
    },
    (name, known) => !known || name === "python",
  );
  return [...out, ...poetry];
}

function pypiOptions(req: { name: string; spec: string }, scope: DependencyScope): { key: string; scope: DependencyScope; internal: boolean } {
  return { key: normalisePypiName(req.name), scope, internal: /^@\s*file:/.test(req.spec) };
}

/** A PEP 508 string: the name as written, and the specifier without extras or markers (`*` when none). */
export function parseRequirement(text: string, needsSpecifier: boolean): { name: string; spec: string } | undefined {
  const m = PEP508.exec(text);
  if (!m) return undefined;
  const spec = m[3]!.replace(/\s+/g, " ").trim();
  if (spec !== "" && !/^[<>=!~@]/.test(spec)) return undefined;
  if (needsSpecifier && spec === "") return undefined;
  return { name: m[1]!, spec: spec === "" ? "*" : spec };
}

function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

// --- requirements.txt: https://pip.pypa.io/en/stable/reference/requirements-file-format/

function parseRequirements(side: HunkSide, _patch: string, path: string): Found[] {
  const out: Found[] = [];
  const scope = requirementsFileScope(path);
  for (const l of side.lines) {
    if (!l.changed) continue;
    const text = l.text
      .replace(/(^|\s)#.*$/, "")
      .replace(/\s--\S.*$/, "")
      .replace(/\\\s*$/, "")
      .trim();
    // Options (-r, -c, -e, --index-url) and paths or URLs name no package here.
    if (text === "" || text.startsWith("-") || /^[./]|:\/\//.test(text.split(/\s*@\s*/)[0]!)) continue;
    const req = parseRequirement(text, false);
    if (req) out.push(found(side, l, req.name, req.spec, pypiOptions(req, scope)));
  }
  return out;
}

// --- go.mod: https://go.dev/ref/mod#go-mod-file-require

const GO_REQUIRE_LINE = /^\s*require\s+(\S+)\s+(v\S+)/;
const GO_MODULE_VERSION = /^\s*([A-Za-z0-9][\w.~-]*(?:\/[\w.~-]+)*)\s+(v\d\S*)\s*(\/\/.*)?$/;
const GO_DIRECTIVES = /^(module|go|toolchain|require|replace|exclude|retract|godebug)$/;

function parseGoMod(side: HunkSide): Found[] {
  const out: Found[] = [];
  let block: "unknown" | "require" | "other" | "top" = "unknown";
  for (const l of side.lines) {
    if (/^\s*require\s*\(/.test(l.text)) block = "require";
    else if (/^\s*(replace|exclude|retract|godebug)\s*\(/.test(l.text)) block = "other";
    else if (/^\s*\)/.test(l.text)) block = "top";
    if (!l.changed) continue;
    const single = GO_REQUIRE_LINE.exec(l.text);
    if (single) {
      out.push(found(side, l, single[1]!, single[2]!));
      continue;
    }
    if (block !== "require" && block !== "unknown") continue;
    const entry = GO_MODULE_VERSION.exec(l.text);
    if (entry && !GO_DIRECTIVES.test(entry[1]!) && !l.text.includes("=>")) out.push(found(side, l, entry[1]!, entry[2]!));
  }
  return out;
}

// --- Dockerfile: https://docs.docker.com/reference/dockerfile/#from

const FROM_LINE = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i;

function parseDockerfile(side: HunkSide, patch: string): Found[] {
  // `FROM builder` names an earlier stage, not an image; stages named outside the patch are not seen.
  const stages = new Set<string>();
  for (const raw of patch.split("\n")) {
    const from = FROM_LINE.exec(raw.slice(1));
    if (from?.[2]) stages.add(from[2].toLowerCase());
  }
  const out: Found[] = [];
  for (const l of side.lines) {
    const from = l.changed ? FROM_LINE.exec(l.text) : null;
    if (!from) continue;
    const image = splitImageRef(from[1]!);
    if (image.name === "scratch") continue;
    if (image.spec === undefined && stages.has(image.name.toLowerCase())) continue;
    // A base image builds the container; whether users run it is the project's packaging, not its code.
    out.push(found(side, l, image.name, image.spec ?? "latest", { scope: "build" }));
  }
  return out;
}

function splitImageRef(ref: string): { name: string; spec?: string } {
  const at = ref.indexOf("@");
  const withTag = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? "" : ref.slice(at);
  const colon = withTag.lastIndexOf(":");
  // A colon before the last slash is a registry port (localhost:5000/app); one inside
  // `${IMAGE:-default}` belongs to the variable.
  const before = withTag.slice(0, colon);
  const insideVariable = (before.match(/\$\{/g)?.length ?? 0) > (before.match(/\}/g)?.length ?? 0);
  const tagged = colon > withTag.lastIndexOf("/") && !insideVariable;
  const name = tagged ? withTag.slice(0, colon) : withTag;
  const spec = (tagged ? withTag.slice(colon + 1) : "") + digest;
  return spec === "" ? { name } : { name, spec };
}

// --- pairing and comparison

function pairFound(all: readonly Found[], ecosystem: DependencyEcosystem, file: string): DependencyChange[] {
  const byKey = new Map<string, { removed: Found[]; added: Found[] }>();
  for (const f of all) {
    const group = byKey.get(f.key) ?? { removed: [], added: [] };
    group[f.change].push(f);
    byKey.set(f.key, group);
  }
  const out: DependencyChange[] = [];
  const seen = new Set<string>();
  const push = (change: DependencyChange): void => {
    const id = [change.name, change.from, change.to, change.change].join("\u0000");
    if (seen.has(id)) return;
    seen.add(id);
    out.push(change);
  };
  for (const { removed, added } of byKey.values()) {
    const pairs = Math.max(removed.length, added.length);
    for (let i = 0; i < pairs; i++) {
      const before = removed[i];
      const after = added[i];
      if (before && after) {
        if (before.spec === after.spec) continue;
        // A path or a git rev has no order: digits in a commit hash are no version.
        const { change, major } =
          before.source || after.source ? { change: "changed" as const, major: false } : compareSpecs(before.spec, after.spec, ecosystem);
        const internal = before.internal || after.internal;
        push({ ecosystem, name: after.name, scope: after.scope, internal, from: before.spec, to: after.spec, change, major, origin: { file, line: after.line } });
      } else if (after) {
        const { scope, internal } = after;
        push({ ecosystem, name: after.name, scope, internal, to: after.spec, change: "added", major: false, origin: { file, line: after.line } });
      } else if (before) {
        const { scope, internal } = before;
        push({ ecosystem, name: before.name, scope, internal, from: before.spec, change: "removed", major: false, origin: { file, line: before.line } });
      }
    }
  }
  return out.sort((a, b) => (a.origin.line ?? 0) - (b.origin.line ?? 0));
}

export function compareSpecs(
  from: string,
  to: string,
  ecosystem: DependencyEcosystem,
): { change: "upgraded" | "downgraded" | "changed"; major: boolean } {
  const a = lowestVersion(from, ecosystem);
  const b = lowestVersion(to, ecosystem);
  if (!a || !b) return { change: "changed", major: false };
  const order = semver.compare(a, b);
  const major = a.major !== b.major || (a.major === 0 && b.major === 0 && a.minor !== b.minor);
  if (order === 0) return { change: "changed", major: false };
  return { change: order < 0 ? "upgraded" : "downgraded", major };
}

/** The lowest version a specifier allows: ^1.2.3 → 1.2.3, ~=1.2 → 1.2.0, >=1.0,<2 → 1.0.0. */
function lowestVersion(spec: string, ecosystem: DependencyEcosystem): SemVer | null {
  let s = spec.trim();
  if (s === "" || s === "*" || s.includes("$") || s.startsWith("@")) return null;
  if (ecosystem === "docker") return coerceVersion(s.split("@")[0]!);
  if (ecosystem === "go") return semver.parse(s.replace(/^v/, ""), { loose: true }) ?? coerceVersion(s);
  if (ecosystem === "npm") s = s.replace(/^npm:.+@/, "");
  if (ecosystem === "pypi") {
    s = s
      .replace(/!=\s*[^,\s]+/g, "")
      .replace(/~=/g, ">=")
      .replace(/===?/g, "=")
      .replace(/\.\*/g, ".x");
  }
  s = s.replace(/,/g, " ").trim();
  const range = semver.validRange(s, { loose: true });
  const lowest = range === null ? null : semver.minVersion(range, { loose: true });
  return lowest ?? coerceVersion(s);
}

/** Like semver.coerce, but reads `25.01` as 25.1.0 where semver.coerce gives up on the leading zero. */
function coerceVersion(text: string): SemVer | null {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  return semver.parse(`${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`);
}
