/**
 * The outside surface a change touches: environment variables the code reads, command-
 * line flags it defines, configuration keys it reads. Patterns run over each side of a
 * hunk joined into one text, so that a call spread over several lines (black-formatted
 * `parser.add_argument(\n    "--flag",`) is read whole; a name counts when the line that
 * holds it was added or removed.
 *
 * Config keys are kept narrow on purpose: explicit `.get("key")` / `["key"]` reads on a
 * variable named config/cfg/conf/settings, viper getters, and leaf keys added to or
 * removed from YAML/TOML files named like config/settings/defaults. Pydantic or
 * dataclass fields and every `dict.get` would bury the few keys a user sets.
 * `${X}` / `$X` expansions are not env reads here (shell and templates are full of them),
 * except `ENV X=` in a Dockerfile and `X=` in a `.env.example`.
 */
import type { FileChange } from "../sources/types.js";
import type { SurfaceArea, SurfaceChange, SurfaceKind } from "./types.js";
import { baseName, detectFamily, dropMoved, findChangedHits, isCommentLine, matchWithIndices, parsePatch } from "./patch-scan.js";
import type { Change, HunkSide, LanguageFamily, ParsedPatch, PatternHit } from "./patch-scan.js";

interface Hit extends PatternHit {
  kind: SurfaceKind;
  name: string;
}

interface Found {
  kind: SurfaceKind;
  name: string;
  change: Change;
  line: number;
  /** Env vars given a value (Dockerfile `ENV`, `.env` examples) rather than read. */
  sets?: boolean;
}

type Scan = (text: string) => Hit[];

/**
 * A pattern scan, and a test of the raw patch that it needs to pass to find anything: a
 * piece of every match that stands on one line (a side's lines are the patch's lines
 * without their marker), so a patch that fails it is not scanned.
 */
interface Rule {
  scan: Scan;
  /**
   * Without flags, so that a family's keywords join into one pattern, and spelled out as
   * literal alternatives where they can be: V8 runs those about twice as fast as groups
   * and classes.
   */
  keyword: RegExp;
}

/** `patch` is the file's patch, parsed once by the caller and shared with the other extractors. */
export function extractSurfaceChanges(
  file: FileChange,
  language: string | undefined,
  patch: ParsedPatch = parsePatch(file.patch),
  area: SurfaceArea = "product",
): SurfaceChange[] {
  if (file.binary || file.patch === "") return [];
  const family = detectFamily(file.path, language);
  const rules = selectRules(file.path, family, patch.text);
  const lineRules = selectLineScanners(file.path, family);
  if (rules.length === 0 && lineRules.length === 0) return [];
  const scan = (text: string): Hit[] => rules.flatMap((rule) => rule.scan(text));
  const found: Found[] = (rules.length === 0 ? [] : findChangedHits(patch, family, scan)).map(({ hit, change, line }) => ({
    kind: hit.kind,
    name: hit.name,
    change,
    line,
  }));
  for (const side of patch.sides) {
    if (side.hasChangedLines) for (const scan of lineRules) found.push(...scan(side));
  }
  return dropMoved(found, (f) => `${f.kind}\u0000${f.name}`)
    .sort((a, b) => a.line - b.line)
    .map((f) => {
      const entry: SurfaceChange = { kind: f.kind, name: f.name, change: f.change, area, origin: { file: file.path, line: f.line } };
      if (f.kind === "env-var") {
        entry.access = f.sets ? "set" : "read";
        if (isWellKnownVariable(f.name)) entry.wellKnown = true;
      }
      return entry;
    });
}

/** One env-var (or config-key) name per match, taken from capture group 1. */
function groupRule(kind: SurfaceKind, keyword: RegExp, pattern: RegExp, accept: (name: string) => boolean = () => true): Rule {
  return {
    keyword,
    scan: (text) => {
      const hits: Hit[] = [];
      for (const m of matchWithIndices(text, pattern)) {
        const name = m[1]!;
        if (accept(name)) hits.push({ kind, name, at: [m.indices[1]![0]] });
      }
      return hits;
    },
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isEnvName = (name: string): boolean => ENV_NAME.test(name);
/** An ALL_CAPS name with at least one underscore: DYN_LOGGING_SPAN_EVENTS, not LOGGING. */
const ENV_CONSTANT_VALUE = "([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)";

const ENV_READS: Rule[] = [
  groupRule("env-var", /process\.env\./, /\bprocess\.env\.([A-Za-z_]\w*)/dg),
  groupRule("env-var", /process\.env\[/, /\bprocess\.env\[\s*["'`]([^"'`]+)["'`]\s*\]/dg, isEnvName),
  groupRule("env-var", /import\.meta\.env\./, /\bimport\.meta\.env\.([A-Za-z_]\w*)/dg),
  groupRule("env-var", /Deno\.env\.get\(/, /\bDeno\.env\.get\(\s*["']([^"']+)["']/dg, isEnvName),
  // Python: os.environ["X"], os.environ.get("X"), environ.setdefault("X", ...)
  groupRule("env-var", /environ/, /(?<![\w.])(?:os\.)?environ(?:\[\s*|\.(?:get|setdefault|pop)\(\s*)["']([^"']+)["']/dg, isEnvName),
  // os.getenv (Python), getenv / std::getenv / secure_getenv (C, C++)
  groupRule("env-var", /getenv/, /\b(?:secure_)?getenv\s*\(\s*["']([^"']+)["']/dg, isEnvName),
  groupRule("env-var", /env::var/, /\benv::var(?:_os)?\(\s*"([^"]+)"/dg, isEnvName),
  groupRule("env-var", /env!/, /(?<![\w:])(?:option_)?env!\(\s*"([^"]+)"/dg, isEnvName),
  groupRule("env-var", /os\.Getenv\(|os\.LookupEnv\(/, /\bos\.(?:Getenv|LookupEnv)\(\s*"([^"]+)"/dg, isEnvName),
  // clap: #[arg(long, env = "DYN_PORT")]
  groupRule("env-var", /#\[arg\(|#\[clap\(/, /#\[(?:arg|clap)\([^\]]*?\benv\s*=\s*"([^"]+)"/dg, isEnvName),
];

/** Constants that hold an env-var name, in files whose name or folder says env or config. */
// Tested on its own, not joined into a family's keywords: few paths take these rules.
const ENV_CONSTANT_KEYWORD = /[A-Z0-9]_[A-Z0-9]/;
const ENV_CONSTANTS: Partial<Record<LanguageFamily, Rule>> = {
  rust: groupRule(
    "env-var",
    ENV_CONSTANT_KEYWORD,
    new RegExp(String.raw`\bconst\s+[A-Z][A-Z0-9_]*\s*:\s*&(?:'static\s+)?str\s*=\s*"${ENV_CONSTANT_VALUE}"`, "dg"),
  ),
  python: groupRule(
    "env-var",
    ENV_CONSTANT_KEYWORD,
    new RegExp(String.raw`^[ \t]*[A-Z][A-Z0-9_]*\s*(?::\s*[\w\[\]]+\s*)?=\s*["']${ENV_CONSTANT_VALUE}["'][ \t]*$`, "dgm"),
  ),
  go: groupRule(
    "env-var",
    ENV_CONSTANT_KEYWORD,
    new RegExp(String.raw`^[ \t]*(?:const\s+)?[A-Z]\w*\s*(?:string\s*)?=\s*"${ENV_CONSTANT_VALUE}"[ \t]*$`, "dgm"),
  ),
  js: groupRule(
    "env-var",
    ENV_CONSTANT_KEYWORD,
    new RegExp(String.raw`\bconst\s+[A-Za-z_$][\w$]*\s*(?::\s*string\s*)?=\s*["']${ENV_CONSTANT_VALUE}["']`, "dg"),
  ),
};

function isEnvOrConfigPath(path: string): boolean {
  return path
    .split("/")
    .slice(-2)
    .some((part) => /env|config/i.test(part));
}

// --- flags

const LEADING_STRINGS = String.raw`((?:["'][^"'\n]*["']\s*,\s*)*["'][^"'\n]*["'])`;

/** Python declarations that list flag strings first: argparse/optparse and click. */
function pythonFlagRule(keyword: RegExp, pattern: RegExp): Rule {
  return { keyword, scan: (text) => scanPythonFlags(text, pattern) };
}

function scanPythonFlags(text: string, pattern: RegExp): Hit[] {
  const hits: Hit[] = [];
  for (const m of matchWithIndices(text, pattern)) {
    const start = m.indices[1]![0];
    const literals = [...m[1]!.matchAll(/["']([^"']*)["']/g)].flatMap((lit) =>
      // click's "--shout/--no-shout" declares both; the first names the option.
      lit[1]!.startsWith("-") ? [{ flag: lit[1]!.split("/")[0]!.trim(), at: start + lit.index + 1 }] : [],
    );
    const long = literals.filter((l) => l.flag.startsWith("--"));
    for (const l of long.length > 0 ? long : literals) hits.push({ kind: "cli-flag", name: l.flag, at: [l.at] });
  }
  return hits;
}

const ARGPARSE = pythonFlagRule(
  /\.add_argument\(|\.add_option\(/,
  new RegExp(String.raw`\.add_(?:argument|option)\(\s*${LEADING_STRINGS}`, "dg"),
);
const CLICK = pythonFlagRule(/@click\.option\(/, new RegExp(String.raw`@click\.option\(\s*${LEADING_STRINGS}`, "dg"));

const CLAP_ATTRIBUTE = /#\[(?:arg|clap|structopt)\(([^\]]*)\)\]/dg;
const FIELD_AFTER_ATTRIBUTES = /^(?:\s*(?:#\[[^\]]*\]|\/\/[^\n]*))*\s*(?:pub(?:\([^)]*\))?\s+)?(?:r#)?([a-z_][a-z0-9_]*)\s*:/d;

/** clap derive: `long = "name"`, or bare `long` which takes the field's name in kebab case. */
const CLAP: Rule = { keyword: /#\[arg\(|#\[clap\(|#\[structopt\(/, scan: scanClap };

function scanClap(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of matchWithIndices(text, CLAP_ATTRIBUTE)) {
    const args = m[1]!;
    const argsAt = m.indices[1]![0];
    const named = /\blong\s*=\s*"([^"]+)"/d.exec(args);
    if (named?.indices) {
      hits.push({ kind: "cli-flag", name: `--${named[1]}`, at: [argsAt + named.indices[1]![0]] });
      continue;
    }
    const bare = /\blong\b(?!\s*=)/.exec(args);
    if (!bare) continue;
    const end = m.indices[0]![1];
    const field = FIELD_AFTER_ATTRIBUTES.exec(text.slice(end));
    if (!field?.indices) continue;
    hits.push({
      kind: "cli-flag",
      name: `--${field[1]!.replace(/_/g, "-")}`,
      at: [end + field.indices[1]![0], argsAt + bare.index],
    });
  }
  return hits;
}

const GO_FLAG =
  /\b(flag|pflag|fs|Flags\(\)|PersistentFlags\(\))\.(?:String|Bool|Int|Int64|Uint|Uint64|Float64|Duration|Func|BoolFunc|TextVar|Var|StringSlice|StringArray|IntSlice|StringToString|Count)(?:Var)?P?\(\s*(?:&?[\w.[\]]+\s*,\s*)?"([^"]+)"/dg;

/** Go's flag package parses `-name` (and `--name`); pflag and cobra take `--name`. */
const GO_FLAGS: Rule = {
  keyword: /flag\.|fs\.|Flags\(\)\./,
  scan: (text) =>
    [...matchWithIndices(text, GO_FLAG)].map((m) => ({
      kind: "cli-flag" as const,
      name: `${m[1] === "flag" ? "-" : "--"}${m[2]}`,
      at: [m.indices[2]![0]],
    })),
};

/** commander `.option("-p, --port <n>")` and yargs `.option("port", {...})`. */
const JS_FLAGS: Rule = { keyword: /\.option\(|\.requiredOption\(|new Option\(/, scan: scanJsFlags };

function scanJsFlags(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of matchWithIndices(text, /(?:\.(?:option|requiredOption)|\bnew Option)\(\s*(["'`])([^"'`\n]+)\1/dg)) {
    const literal = m[2]!;
    const at = m.indices[2]![0];
    if (literal.startsWith("-")) {
      const flags = [...literal.matchAll(/(?:^|[\s,|])(--?[A-Za-z][\w-]*)/g)];
      const long = flags.find((f) => f[1]!.startsWith("--")) ?? flags[0];
      if (long) hits.push({ kind: "cli-flag", name: long[1]!, at: [at + long.index + long[0].indexOf("-")] });
    } else if (/^[A-Za-z][\w-]*$/.test(literal)) {
      hits.push({ kind: "cli-flag", name: `--${literal}`, at: [at] });
    }
  }
  return hits;
}

/**
 * C++ gflags `DEFINE_string(name, …)` (https://gflags.github.io/gflags/) and Abseil
 * `ABSL_FLAG(type, name, …)` (https://abseil.io/docs/cpp/guides/flags): both parse `--name`.
 */
const CPP_FLAG = /\b(?:DEFINE_(?:bool|int32|int64|uint32|uint64|double|string)\(\s*|ABSL_FLAG\(\s*[\w:<>]+\s*,\s*)([A-Za-z_]\w*)\s*,/dg;
const CPP_FLAGS: Rule = {
  keyword: /DEFINE_|ABSL_FLAG\(/,
  scan: (text) => [...matchWithIndices(text, CPP_FLAG)].map((m) => ({ kind: "cli-flag" as const, name: `--${m[1]}`, at: [m.indices[1]![0]] })),
};

// --- config reads

const CONFIG_KEY = /^[\w.\-/:]+$/;
const CONFIG_READ =
  /(?<![\w$.])(?:(?:self|this|app|ctx|context)\.)?(?:config|cfg|conf|settings|CONFIG|SETTINGS|Config|Settings)(?:\.get(?:::<[^>]*>)?\(\s*|\[\s*)(["'])([^"'\n]+)\1(\s*\]\s*=(?!=))?/dg;

const CONFIG_READS: Rule = {
  keyword: new RegExp(
    ["config", "cfg", "conf", "settings", "CONFIG", "SETTINGS", "Config", "Settings"]
      .flatMap((name) => [`${name}\\.get`, `${name}\\[`])
      .join("|"),
  ),
  scan: scanConfigReads,
};

function scanConfigReads(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of matchWithIndices(text, CONFIG_READ)) {
    // `config["key"] = value` builds a config; it does not read one.
    if (m[3] !== undefined || !CONFIG_KEY.test(m[2]!)) continue;
    hits.push({ kind: "config-key", name: m[2]!, at: [m.indices[2]![0]] });
  }
  return hits;
}

const VIPER = groupRule("config-key", /viper\./, /\bviper\.(?:Get\w*|IsSet)\(\s*"([^"]+)"/dg, (k) => CONFIG_KEY.test(k));

const FAMILY_RULES: Partial<Record<LanguageFamily, Rule[]>> = {
  python: [...ENV_READS, ARGPARSE, CLICK, CONFIG_READS],
  js: [...ENV_READS, JS_FLAGS, CONFIG_READS],
  rust: [...ENV_READS, CLAP, CONFIG_READS],
  go: [...ENV_READS, GO_FLAGS, VIPER],
  c: [...ENV_READS, CPP_FLAGS],
  java: ENV_READS,
};

/** Every keyword of a family's rules in one pattern: most patches fail it, and one test is cheaper than one per rule. */
const FAMILY_KEYWORDS: Partial<Record<LanguageFamily, RegExp>> = Object.fromEntries(
  Object.entries(FAMILY_RULES).map(([family, rules]) => [family, new RegExp(rules.map((rule) => rule.keyword.source).join("|"))]),
);

/** The rules for the file's language whose keyword the patch holds, in a fixed order. */
function selectRules(path: string, family: LanguageFamily | undefined, text: string): Rule[] {
  if (family === undefined) return [];
  const rules = FAMILY_KEYWORDS[family]?.test(text) ? FAMILY_RULES[family]!.filter((rule) => rule.keyword.test(text)) : [];
  const constant = ENV_CONSTANTS[family];
  if (constant && isEnvOrConfigPath(path) && constant.keyword.test(text)) rules.push(constant);
  return rules;
}

// --- line scanners: Dockerfile ENV, .env examples, settings files

type LineScanner = (side: HunkSide) => Found[];

function selectLineScanners(path: string, family: LanguageFamily | undefined): LineScanner[] {
  const name = baseName(path);
  if (family === "dockerfile") return [scanDockerEnv];
  if (/^\.env\.(example|sample|template|dist|defaults)$|^(example|sample)\.env$/.test(name)) return [scanEnvExample];
  if (!name.startsWith(".") && /(^|[._-])(config|settings|defaults?)\.ya?ml$/i.test(name)) return [scanYamlKeys];
  if (!name.startsWith(".") && /(^|[._-])(config|settings|defaults?)\.toml$/i.test(name)) return [scanTomlKeys];
  return [];
}

/** `ENV A=1 B=2`, the legacy `ENV A 1`, and `\`-continued lines: https://docs.docker.com/reference/dockerfile/#env */
function scanDockerEnv(side: HunkSide): Found[] {
  const out: Found[] = [];
  let continued = false;
  for (const l of side.lines) {
    const env = /^\s*ENV\s+(.*)$/i.exec(l.text);
    const body: string | undefined = env ? env[1]! : continued ? l.text : undefined;
    continued = body !== undefined && /\\\s*$/.test(l.text);
    if (body === undefined || !l.changed || isCommentLine(l.text, "dockerfile")) continue;
    const names = body.includes("=")
      ? [...body.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!)
      : env
        ? [/^([A-Za-z_][A-Za-z0-9_]*)\s/.exec(body)?.[1]].filter((n): n is string => n !== undefined)
        : [];
    for (const name of names) out.push({ kind: "env-var", name, change: side.change, line: l.line, sets: true });
  }
  return out;
}

function scanEnvExample(side: HunkSide): Found[] {
  const out: Found[] = [];
  for (const l of side.lines) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(l.text);
    if (m && l.changed) out.push({ kind: "env-var", name: m[1]!, change: side.change, line: l.line, sets: true });
  }
  return out;
}

/**
 * Leaf keys of a YAML settings file as dotted paths. The path is built from the lines the
 * hunk shows; a key whose ancestors are outside the hunk is skipped, not guessed.
 */
function scanYamlKeys(side: HunkSide): Found[] {
  const out: Found[] = [];
  // key null: an ancestor not seen, or a sequence item, so the path is not known.
  const stack: { indent: number; key: string | null }[] = [];
  for (const l of side.lines) {
    if (/^\s*(#.*)?$/.test(l.text)) continue;
    const indent = /^\s*/.exec(l.text)![0].length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    if (stack.length === 0 && indent > 0) stack.push({ indent: 0, key: null });
    const m = /^\s*(-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*:(?:\s+(.*))?$/.exec(l.text);
    if (!m || m[1] !== undefined) {
      stack.push({ indent, key: null });
      continue;
    }
    const value = (m[3] ?? "").replace(/\s#.*$/, "").trim();
    const known = stack.every((s) => s.key !== null);
    const path = [...stack.map((s) => s.key), m[2]!].join(".");
    if (value === "" || value === "|" || value === ">") stack.push({ indent, key: known ? m[2]! : null });
    else if (known && l.changed) out.push({ kind: "config-key", name: path, change: side.change, line: l.line });
  }
  return out;
}

/** Keys of a TOML settings file under a visible `[table]` header, or from the top of the file. */
function scanTomlKeys(side: HunkSide): Found[] {
  const out: Found[] = [];
  let table: string | null = side.lines[0]?.line === 1 ? "" : null;
  for (const l of side.lines) {
    const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(l.text);
    if (header) {
      table = header[1] === "[[" ? null : header[2]!.replace(/["'\s]/g, "");
      continue;
    }
    const m = /^\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*=/.exec(l.text);
    if (!m || !l.changed || table === null) continue;
    out.push({ kind: "config-key", name: table === "" ? m[1]! : `${table}.${m[1]}`, change: side.change, line: l.line });
  }
  return out;
}

/**
 * Variables the platform, the toolchain or the CI system sets: reading one is no setting
 * users choose. POSIX (https://pubs.opengroup.org/onlinepubs/9799919799/basedefs/V1_chap08.html),
 * Cargo's build-script and compile-time variables (https://doc.rust-lang.org/cargo/reference/environment-variables.html),
 * GitHub Actions' defaults (https://docs.github.com/en/actions/reference/variables-reference), and the
 * loader and interpreter paths every runtime reads.
 */
const WELL_KNOWN_VARIABLES = new Set([
  ...["PATH", "HOME", "USER", "USERNAME", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "PWD", "OLDPWD", "TMPDIR", "TMP", "TEMP", "TZ", "HOSTNAME", "EDITOR", "PAGER", "VISUAL", "DISPLAY"],
  ...["LD_LIBRARY_PATH", "LD_PRELOAD", "DYLD_LIBRARY_PATH", "LIBRARY_PATH", "CPATH", "PKG_CONFIG_PATH", "PYTHONPATH", "PYTHONHOME", "NODE_PATH", "GOPATH", "GOROOT", "CARGO_HOME", "RUSTUP_HOME", "JAVA_HOME"],
  ...["CI", "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "COLUMNS", "LINES", "DEBIAN_FRONTEND", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "XDG_STATE_HOME"],
  ...["OUT_DIR", "TARGET", "HOST", "PROFILE", "OPT_LEVEL", "DEBUG", "NUM_JOBS", "RUSTC", "RUSTDOC", "RUSTC_WRAPPER"],
]);
const WELL_KNOWN_PREFIXES = /^(LC_|CARGO_PKG_|CARGO_CFG_|CARGO_MANIFEST_|CARGO_FEATURE_|CARGO_BIN_|CARGO_CRATE_|CARGO_TARGET_TMPDIR|DEP_|GITHUB_|RUNNER_|GITLAB_|CI_|BUILDKITE_|CIRCLE_|TRAVIS_|JENKINS_|npm_(config|package|lifecycle)_|PNPM_|YARN_)/;

export function isWellKnownVariable(name: string): boolean {
  return WELL_KNOWN_VARIABLES.has(name) || WELL_KNOWN_PREFIXES.test(name);
}
