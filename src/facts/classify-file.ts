/**
 * What a path is (source, test, docs, lockfile, ...) and which language it is in,
 * from the path alone. The rules are a table read top to bottom; the first rule that
 * matches decides the kind. The order carries meaning:
 *
 * 1. vendored, generated and lockfiles first: they are large, not written by hand,
 *    and must weigh almost nothing however many lines they move (a 50,000-line
 *    ATTRIBUTIONS file is not documentation);
 * 2. CI before everything else a YAML file could be;
 * 3. tests by folder and name before their language, so `foo_test.py` is a test;
 * 4. examples, benchmarks and developer tooling by folder: code, but not the product,
 *    so its functions are never public API and its variables never user configuration;
 * 5. manifests, build files, docs, config, assets; what is left is source when its
 *    language is a programming language, else other.
 */
import type { FileKind } from "./types.js";

export interface FileClass {
  kind: FileKind;
  language?: string;
}

interface KindRule {
  kind: FileKind;
  /** A folder anywhere in the path has one of these names (compared lower-cased). */
  dirs?: readonly string[];
  /** Tested against the whole path, `/`-separated, without a leading `./`. */
  paths?: readonly RegExp[];
  /** Tested against the file name. */
  names?: readonly RegExp[];
  /** The file name's last extension, lower-cased, without the dot. */
  extensions?: readonly string[];
}

interface LanguageEntry {
  language: string;
  /** Code that runs or compiles, as opposed to data and prose; decides "source" vs "other". */
  programming: boolean;
}

function programming(language: string): LanguageEntry {
  return { language, programming: true };
}
function data(language: string): LanguageEntry {
  return { language, programming: false };
}

/** Lower-cased last extension → language. Names follow GitHub Linguist where it has one. */
const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, LanguageEntry> = new Map([
  ["py", programming("Python")],
  ["pyi", programming("Python")],
  ["pyx", programming("Cython")],
  ["pxd", programming("Cython")],
  ["ipynb", programming("Jupyter Notebook")],
  ["ts", programming("TypeScript")],
  ["tsx", programming("TypeScript")],
  ["mts", programming("TypeScript")],
  ["cts", programming("TypeScript")],
  ["js", programming("JavaScript")],
  ["jsx", programming("JavaScript")],
  ["mjs", programming("JavaScript")],
  ["cjs", programming("JavaScript")],
  ["rs", programming("Rust")],
  ["go", programming("Go")],
  ["c", programming("C")],
  ["h", programming("C")],
  ["cc", programming("C++")],
  ["cpp", programming("C++")],
  ["cxx", programming("C++")],
  ["c++", programming("C++")],
  ["hh", programming("C++")],
  ["hpp", programming("C++")],
  ["hxx", programming("C++")],
  ["inl", programming("C++")],
  ["cu", programming("CUDA")],
  ["cuh", programming("CUDA")],
  ["java", programming("Java")],
  ["kt", programming("Kotlin")],
  ["kts", programming("Kotlin")],
  ["scala", programming("Scala")],
  ["groovy", programming("Groovy")],
  ["gradle", programming("Groovy")],
  ["swift", programming("Swift")],
  ["m", programming("Objective-C")],
  ["mm", programming("Objective-C++")],
  ["cs", programming("C#")],
  ["fs", programming("F#")],
  ["rb", programming("Ruby")],
  ["gemspec", programming("Ruby")],
  ["php", programming("PHP")],
  ["pl", programming("Perl")],
  ["pm", programming("Perl")],
  ["lua", programming("Lua")],
  ["r", programming("R")],
  ["jl", programming("Julia")],
  ["dart", programming("Dart")],
  ["ex", programming("Elixir")],
  ["exs", programming("Elixir")],
  ["erl", programming("Erlang")],
  ["hs", programming("Haskell")],
  ["ml", programming("OCaml")],
  ["zig", programming("Zig")],
  ["nim", programming("Nim")],
  ["sh", programming("Shell")],
  ["bash", programming("Shell")],
  ["zsh", programming("Shell")],
  ["bats", programming("Shell")],
  ["ps1", programming("PowerShell")],
  ["bat", programming("Batchfile")],
  ["cmd", programming("Batchfile")],
  ["sql", programming("SQL")],
  ["proto", programming("Protocol Buffer")],
  ["thrift", programming("Thrift")],
  ["graphql", programming("GraphQL")],
  ["gql", programming("GraphQL")],
  ["html", programming("HTML")],
  ["htm", programming("HTML")],
  ["css", programming("CSS")],
  ["scss", programming("SCSS")],
  ["sass", programming("Sass")],
  ["less", programming("Less")],
  ["vue", programming("Vue")],
  ["svelte", programming("Svelte")],
  ["j2", programming("Jinja")],
  ["jinja", programming("Jinja")],
  ["jinja2", programming("Jinja")],
  ["tf", programming("HCL")],
  ["hcl", programming("HCL")],
  ["nix", programming("Nix")],
  ["bzl", programming("Starlark")],
  ["star", programming("Starlark")],
  ["cmake", programming("CMake")],
  ["mk", programming("Makefile")],
  ["dockerfile", programming("Dockerfile")],
  ["s", programming("Assembly")],
  ["asm", programming("Assembly")],
  ["f90", programming("Fortran")],
  ["mojo", programming("Mojo")],
  ["yaml", data("YAML")],
  ["yml", data("YAML")],
  ["json", data("JSON")],
  ["jsonc", data("JSON")],
  ["json5", data("JSON5")],
  ["toml", data("TOML")],
  ["ini", data("INI")],
  ["cfg", data("INI")],
  ["xml", data("XML")],
  ["md", data("Markdown")],
  ["mdx", data("MDX")],
  ["markdown", data("Markdown")],
  ["rst", data("reStructuredText")],
  ["adoc", data("AsciiDoc")],
  ["asciidoc", data("AsciiDoc")],
  ["tex", data("TeX")],
  ["csv", data("CSV")],
]);

/** Whole file names that say their language without an extension (or despite it). */
const LANGUAGE_BY_NAME: ReadonlyArray<readonly [RegExp, LanguageEntry]> = [
  [/^(Dockerfile|Containerfile)([-._][^/]*)?$/, programming("Dockerfile")],
  [/^(GNU)?[Mm]akefile([-._][^/]*)?$/, programming("Makefile")],
  [/^CMakeLists\.txt$/, programming("CMake")],
  [/^(BUILD|WORKSPACE|MODULE)(\.bazel)?$/, programming("Starlark")],
  [/^(Gemfile|Rakefile|Podfile|Vagrantfile)$/, programming("Ruby")],
  [/^Jenkinsfile/, programming("Groovy")],
  [/^[Jj]ustfile$/, programming("Just")],
  [/^meson\.build$/, programming("Meson")],
  [/^go\.(mod|work)$/, data("Go Module")],
  [/^\.(bashrc|bash_profile|zshrc|profile|envrc)$/, programming("Shell")],
  [/^(requirements|constraints)[^/]*\.(txt|in)$/, data("Pip Requirements")],
];

const PROSE_EXTENSIONS = "txt|md|markdown|rst|adoc|html?";
const DOC_NAMES =
  "readme|license|licence|copying|notice|changelog|changes|history|authors|contributors|contributing|code_of_conduct|security|support|governance|maintainers|releasing|news";

const CODE_EXTENSIONS = [...LANGUAGE_BY_EXTENSION]
  // License dumps are often rendered to HTML; HTML here is not taken for code.
  .filter(([extension, entry]) => entry.programming && !extension.startsWith("htm"))
  .map(([extension]) => extension.replace(/[+]/g, "\\+"))
  .join("|");

/**
 * A name like `ATTRIBUTIONS-Rust.md` or `THIRD_PARTY_NOTICES`, but not `attributions.py`,
 * which is code. The stem is tested first: the extension test tries every code extension
 * at every character, and most names fail the stem at once.
 */
function licenseDump(stem: string): RegExp {
  return new RegExp(`^(?=(${stem})([-_. ][^/]*)?$)(?!.*\\.(${CODE_EXTENSIONS})$)`, "i");
}

const KIND_RULES: readonly KindRule[] = [
  {
    kind: "vendored",
    dirs: ["vendor", "vendored", "third_party", "third-party", "thirdparty", "3rdparty", "3rd_party", "3rd-party", "node_modules", "external", "externals", "bower_components", "site-packages"],
    paths: [/^\.yarn\/(releases|plugins|sdks)\//],
  },
  {
    kind: "generated",
    dirs: ["dist", "deno_dist", "__generated__", "generated"],
    names: [
      /\.pb\.(go|cc|h|ts|js|swift|rs)$/,
      /_pb2(_grpc)?\.pyi?$/,
      /_pb\.(js|d\.ts)$/,
      /_grpc\.pb\.go$/,
      /[._]generated\.[^/]+$/i,
      /^zz_generated\./,
      /\.g\.dart$/,
      /\.freezed\.dart$/,
      /\.designer\.cs$/i,
      /\.min\.(js|css|mjs)$/,
      /\.(js|css|mjs)\.map$/,
      // License dumps listing every dependency: thousands of lines, written by a tool.
      licenseDump("attributions?"),
      licenseDump("third[-_ ]?party[-_ ]?(notices?|licen[cs]es?)"),
      licenseDump("licen[cs]es?[-_ ]third[-_ ]?party"),
    ],
  },
  {
    kind: "lockfile",
    names: [
      /^(package-lock|npm-shrinkwrap)\.json$/,
      /^yarn\.lock$/,
      /^pnpm-lock\.ya?ml$/,
      /^bun\.lockb?$/,
      /^deno\.lock$/,
      /^Cargo\.lock$/,
      /^poetry\.lock$/,
      /^uv\.lock$/,
      /^pdm\.lock$/,
      /^Pipfile\.lock$/,
      /^conda-lock\.ya?ml$/,
      /^go\.(sum|work\.sum)$/,
      /^Gemfile\.lock$/,
      /^composer\.lock$/,
      /^flake\.lock$/,
      /^mix\.lock$/,
      /^pubspec\.lock$/,
      /^Package\.resolved$/,
      /^packages\.lock\.json$/,
      /^gradle\.lockfile$/,
      /^\.terraform\.lock\.hcl$/,
    ],
  },
  {
    kind: "ci",
    paths: [
      /^\.github\/(workflows|actions)\//,
      /^\.circleci\//,
      /^\.buildkite\//,
      /^\.gitlab\/ci\//,
      /^\.azure-pipelines\//,
      /^\.woodpecker\//,
      // CI scripts kept beside the pipeline definitions (nixl's .gitlab/test_python.sh, .ci/jenkins/).
      /^\.gitlab\//,
      /^\.ci\//,
      /^ci\//,
    ],
    names: [
      /^\.gitlab-ci\.ya?ml$/,
      /^Jenkinsfile/,
      /^azure-pipelines[^/]*\.ya?ml$/,
      /^\.travis\.ya?ml$/,
      /^\.?appveyor\.ya?ml$/,
      /^\.drone\.ya?ml$/,
      /^bitbucket-pipelines\.ya?ml$/,
      /^\.woodpecker\.ya?ml$/,
      /^cloudbuild\.ya?ml$/,
    ],
  },
  {
    kind: "test",
    // `benches/` is left out on purpose: benchmarks measure, they do not check.
    dirs: [
      ...["test", "tests", "__tests__", "__test__", "__mocks__", "__snapshots__", "testdata", "test_data", "e2e"],
      ...["fixtures", "runtime-tests", "testutil", "testutils", "test-utils", "test_utils", "gtest", "unittests"],
    ],
    names: [
      /^test_[^/]*\.(py|pyi)$/,
      /^[^/]+_test\.(py|go|rb|rs|c|cc|cpp|cxx|cu|sh|exs)$/,
      /^[^/]+_(spec|unittest)\.(rb|cc|cpp|py)$/,
      /^test_[^/]*\.(c|cc|cpp|cxx|cu|sh)$/,
      /\.(test|spec)\.[cm]?[jt]sx?$/,
      /(Test|Tests|IT)\.(java|kt|scala|cs|swift)$/,
      /Test\.php$/,
      /^conftest\.py$/,
      /^tests\.py$/,
      // Rust's in-crate test module (`#[cfg(test)] mod tests;` in src/tests.rs).
      /^tests?\.rs$/,
      /\.bats$/,
    ],
  },
  {
    kind: "example",
    dirs: ["examples", "example", "samples", "sample", "demo", "demos", "cookbook"],
  },
  {
    kind: "benchmark",
    dirs: ["benchmarks", "benchmark", "bench", "benches", "perf-measures"],
    names: [/^[^/]+_bench(mark)?\.(py|rs|go|c|cc|cpp|ts|js)$/, /^bench_[^/]+\.(py|rs|c|cc|cpp)$/, /\.bench\.[cm]?[jt]s$/],
  },
  {
    kind: "tooling",
    // Scripts and tools the developers run, not what users get.
    dirs: ["scripts", "script", "hack", "contrib", "devtools", "dev-tools", ".devcontainer", ".vscode", ".idea", ".husky"],
    // Repository housekeeping: who reviews, issue templates, bots' settings, the developers' toolchain pin.
    paths: [/^tools\//, /^\.agents\//, /^\.claude\//, /^\.cursor\//, /^\.github\/(?!workflows\/|actions\/)/],
    names: [
      /^(CODEOWNERS|OWNERS|OWNERS_ALIASES)$/,
      /^rust-toolchain(\.toml)?$/,
      /^\.(gitignore|gitattributes|editorconfig|mailmap|git-blame-ignore-revs|pre-commit-config\.ya?ml|pre-commit-hooks\.ya?ml|clang-format|clang-tidy|codespellrc|cspell\.json|markdownlint[^/]*|prettierrc[^/]*|prettierignore|eslintrc[^/]*|eslintignore|stylelintrc[^/]*|golangci\.ya?ml|rustfmt\.toml|yamllint[^/]*|flake8|pylintrc|coderabbit\.ya?ml|nvmrc|node-version|python-version|tool-versions|envrc|lycheeignore|cliffignore|dockerignore|npmignore|npmrc|yarnrc[^/]*)$/,
      /^(rustfmt|clippy|typos|lychee|codecov|renovate|\.?mise|cspell|commitlint\.config|\.?releaserc)\.(toml|json|ya?ml|js|cjs|mjs)$/,
    ],
  },
  {
    kind: "manifest",
    paths: [/(^|\/)requirements\/[^/]+\.(txt|in)$/],
    names: [
      /^package\.json$/,
      /^Cargo\.toml$/,
      /^pyproject\.toml$/,
      /^requirements[^/]*\.(txt|in)$/,
      /^constraints[^/]*\.txt$/,
      /^setup\.(py|cfg)$/,
      /^Pipfile$/,
      /^environment\.ya?ml$/,
      /^go\.(mod|work)$/,
      /^Gemfile$/,
      /\.gemspec$/,
      /^pom\.xml$/,
      /^(build|settings)\.gradle(\.kts)?$/,
      /^composer\.json$/,
      /^pubspec\.yaml$/,
      /^mix\.exs$/,
      /^Package\.swift$/,
      /^vcpkg\.json$/,
      /^conanfile\.(txt|py)$/,
      /\.(csproj|fsproj|vbproj)$/,
      /^deno\.jsonc?$/,
    ],
  },
  {
    kind: "build",
    names: [
      /^(Dockerfile|Containerfile)([-._][^/]*)?$/,
      /\.(dockerfile|containerfile)$/i,
      /^\.dockerignore$/,
      /^(docker-)?compose([-._][^/]*)?\.ya?ml$/,
      /^(GNU)?[Mm]akefile([-._][^/]*)?$/,
      /\.mk$/,
      /^CMakeLists\.txt$/,
      /\.cmake(\.in)?$/,
      /^build\.rs$/,
      /^(BUILD|WORKSPACE|MODULE)(\.bazel)?$/,
      /\.bzl$/,
      /^\.bazel(rc|version)$/,
      /^meson(\.build|_options\.txt|\.options)$/,
      /^[Jj]ustfile$/,
      /^Taskfile\.ya?ml$/,
      /^SConstruct$/,
      /^configure\.(ac|in)$/,
      /^Makefile\.am$/,
      /^MANIFEST\.in$/,
      /\.nix$/,
    ],
  },
  {
    kind: "docs",
    // A docs site is a sub-project of its own (git-cliff's website/, nixl's fern/): docs, whatever its files are.
    dirs: ["docs", "doc", "documentation", "website", "fern"],
    names: [
      // Bare (`LICENSE`), as prose (`History.txt`), or with an upper-case variant
      // (`LICENSE-MIT`, `COPYING.LESSER`); never `security.py`, which is code.
      new RegExp(`^(${DOC_NAMES})$`, "i"),
      new RegExp(`^(${DOC_NAMES})([-_.][^/]*)?\\.(${PROSE_EXTENSIONS})$`, "i"),
      new RegExp(`^(${DOC_NAMES.toUpperCase()})[-_.][A-Z0-9][\\w.-]*$`),
    ],
    extensions: ["md", "mdx", "markdown", "rst", "adoc", "asciidoc", "rdoc", "org", "tex"],
  },
  {
    kind: "config",
    names: [
      /^\.env(\.[^/]+)?$/,
      /\.config\.[cm]?[jt]s$/,
      /^\.[^/.][^/]*$/, // dotfiles: .eslintrc, .gitignore, .clang-format, .pre-commit-config.yaml
    ],
    extensions: ["yaml", "yml", "toml", "json", "jsonc", "json5", "ini", "cfg", "conf", "properties", "xml", "plist"],
  },
  {
    kind: "asset",
    extensions: [
      "png", "jpg", "jpeg", "gif", "svg", "ico", "icns", "webp", "bmp", "tif", "tiff", "avif", "psd",
      "woff", "woff2", "ttf", "otf", "eot",
      "mp3", "mp4", "wav", "ogg", "flac", "webm", "mov", "avi", "mkv",
      "pdf",
    ],
  },
];

export function classifyFile(path: string): FileClass {
  const parts = splitPath(path);
  const entry = detectLanguage(parts.name);
  const language = entry?.language;
  const rule = KIND_RULES.find((candidate) => matchesRule(candidate, parts));
  const kind: FileKind = rule?.kind ?? (entry?.programming ? "source" : "other");
  return language === undefined ? { kind } : { kind, language };
}

interface PathParts {
  path: string;
  /** Folder names, lower-cased, without the file name. */
  dirs: string[];
  name: string;
  extension: string;
}

function splitPath(path: string): PathParts {
  const normalized = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
  const segments = normalized.split("/");
  const name = segments.pop() ?? "";
  return {
    path: normalized,
    dirs: segments.map((segment) => segment.toLowerCase()),
    name,
    extension: extensionOf(name),
  };
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  // A leading dot marks a hidden file (`.bashrc`), not an extension.
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

function matchesRule(rule: KindRule, parts: PathParts): boolean {
  if (rule.dirs?.some((dir) => parts.dirs.includes(dir))) return true;
  if (rule.paths?.some((pattern) => pattern.test(parts.path))) return true;
  if (rule.names?.some((pattern) => pattern.test(parts.name))) return true;
  return rule.extensions?.includes(parts.extension) ?? false;
}

function detectLanguage(name: string): LanguageEntry | undefined {
  for (const [pattern, entry] of LANGUAGE_BY_NAME) {
    if (pattern.test(name)) return entry;
  }
  return LANGUAGE_BY_EXTENSION.get(extensionOf(name));
}
