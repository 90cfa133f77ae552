import { describe, expect, it } from "vitest";
import { diffManifest, isManifestPath } from "./diff-manifest.js";
import type { ManifestDiff } from "./diff-manifest.js";

const none = { ownPackages: new Set<string>() };

function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}

/** One line per change: `cargo tokio [runtime] upgraded 1.38 -> 1.40 @12`, `internal` and `major` when set. */
function deps(diff: ManifestDiff | undefined): string[] {
  expect(diff).toBeDefined();
  return diff!.dependencies.map(
    (d) =>
      `${d.ecosystem} ${d.name} [${d.scope}${d.internal ? " internal" : ""}] ${d.change} ${d.from ?? "-"} -> ${d.to ?? "-"}${d.major ? " major" : ""} @${d.origin.line}`,
  );
}

function versions(diff: ManifestDiff | undefined): string[] {
  expect(diff).toBeDefined();
  return diff!.versions.map((v) => `${v.kind} ${v.name} ${v.from ?? "-"} -> ${v.to ?? "-"} @${v.origin.line}`);
}

describe("Cargo.toml", () => {
  // git-cliff/Cargo.toml as it stood for v2.9.1, trimmed.
  const cliff = (version: string, core: string, tokio: string, rust: string): string =>
    lines(
      "[package]",
      'name = "git-cliff"',
      `version = "${version}" # managed by release.sh`,
      'edition = "2024"',
      `rust-version = "${rust}"`,
      "",
      "[[bin]]",
      'name = "git-cliff-completions"',
      'path = "src/bin/completions.rs"',
      "",
      "[dependencies]",
      "glob.workspace = true",
      'clap = { version = "4.5.41", features = ["derive", "env"] }',
      `git-cliff-core = { version = "${core}", path = "../git-cliff-core" }`,
      'update-informer = { version = "1.3.0", optional = true }',
      "",
      "[dependencies.tokio]",
      `version = "${tokio}"`,
      'features = ["rt-multi-thread"]',
      "",
      "[dev-dependencies]",
      'pretty_assertions = "1.4.1"',
      "",
      "[package.metadata.deb]",
      'depends = "libc6 (>= 2.31)"',
      'version = "9.9.9"',
    );

  it("tells the project's own path crate from a third-party bump, and reads [dependencies.name] tables", () => {
    const diff = diffManifest(
      "git-cliff/Cargo.toml",
      cliff("2.9.1", "2.9.1", "1.38.0", "1.85.0"),
      cliff("2.10.0", "2.10.0", "1.40.0", "1.85.1"),
      none,
    );
    expect(deps(diff)).toEqual([
      "cargo git-cliff-core [runtime internal] upgraded 2.9.1 -> 2.10.0 @14",
      "cargo tokio [runtime] upgraded 1.38.0 -> 1.40.0 @18",
    ]);
    expect(versions(diff)).toEqual(["project-version version 2.9.1 -> 2.10.0 @3", "toolchain rust-version 1.85.0 -> 1.85.1 @5"]);
    expect(diff!.ownPackages).toEqual(["git-cliff"]);
  });

  it("takes a name among the commit's own packages for internal, with or without a path", () => {
    const before = lines("[dependencies]", 'git-cliff-core = "2.9.1"', 'regex = "1.11.1"');
    const after = lines("[dependencies]", 'git-cliff-core = "2.10.0"', 'regex = "1.11.2"');
    expect(deps(diffManifest("git-cliff/Cargo.toml", before, after, { ownPackages: new Set(["git_cliff_core"]) }))).toEqual([
      "cargo git-cliff-core [runtime internal] upgraded 2.9.1 -> 2.10.0 @2",
      "cargo regex [runtime] upgraded 1.11.1 -> 1.11.2 @3",
    ]);
  });

  it("scopes dev, build, target and workspace tables, and shows a renamed crate by its real name", () => {
    const before = lines(
      "[workspace.dependencies]",
      'serde = { version = "1.0.200", features = ["derive"] }',
      "",
      "[dev-dependencies]",
      'rstest = "0.18"',
      "",
      "[build-dependencies]",
      'cc = "1.0.90"',
      "",
      "[target.'cfg(unix)'.dependencies]",
      'nix = { version = "0.28", features = ["signal"] }',
      "",
      "[dependencies]",
      'rand08 = { package = "rand", version = "0.8.5" }',
    );
    const after = lines(
      "[workspace.dependencies]",
      'serde = { version = "1.0.210", features = ["derive"] }',
      "",
      "[dev-dependencies]",
      'rstest = "0.23"',
      "",
      "[build-dependencies]",
      'cc = "1.1.0"',
      "",
      "[target.'cfg(unix)'.dependencies]",
      'nix = { version = "0.29", features = ["signal"] }',
      "",
      "[dependencies]",
      'rand08 = { package = "rand", version = "0.8.4" }',
    );
    expect(deps(diffManifest("Cargo.toml", before, after, none))).toEqual([
      "cargo serde [runtime] upgraded 1.0.200 -> 1.0.210 @2",
      "cargo rstest [dev] upgraded 0.18 -> 0.23 major @5",
      "cargo cc [build] upgraded 1.0.90 -> 1.1.0 @8",
      "cargo nix [runtime] upgraded 0.28 -> 0.29 major @11",
      "cargo rand [runtime] downgraded 0.8.5 -> 0.8.4 @14",
    ]);
  });

  it("reports a `workspace = true` entry only when it arrives or leaves", () => {
    const before = lines("[dependencies]", "log.workspace = true", "url = { workspace = true }", 'regex = "1.10"');
    const after = lines("[dependencies]", "url = { workspace = true, features = [\"serde\"] }", "regex.workspace = true", "secrecy.workspace = true");
    expect(deps(diffManifest("crates/cli/Cargo.toml", before, after, none))).toEqual([
      "cargo log [runtime] removed workspace -> - @2",
      "cargo secrecy [runtime] added - -> workspace @4",
    ]);
  });

  it("reads [workspace.package] version and rust-version; drops the version of a crate never published", () => {
    const root = (v: string, msrv: string): string =>
      lines("[workspace]", 'members = ["crates/*"]', "", "[workspace.package]", `version = "${v}"`, `rust-version = "${msrv}"`);
    expect(versions(diffManifest("Cargo.toml", root("0.7.0", "1.82"), root("0.8.0", "1.85"), none))).toEqual([
      "project-version version 0.7.0 -> 0.8.0 @5",
      "toolchain rust-version 1.82 -> 1.85 @6",
    ]);
    const xtask = (v: string): string => lines("[package]", 'name = "xtask"', `version = "${v}"`, "publish = false");
    expect(versions(diffManifest("xtask/Cargo.toml", xtask("0.1.0"), xtask("0.2.0"), none))).toEqual([]);
  });

  it("reads git and path sources that give no version", () => {
    const before = lines("[dependencies]", 'gix = { git = "https://github.com/Byron/gitoxide", rev = "abc123" }');
    const after = lines(
      "[dependencies]",
      'gix = { git = "https://github.com/Byron/gitoxide", rev = "def456" }',
      'dynamo-config = { path = "../config" }',
    );
    expect(deps(diffManifest("Cargo.toml", before, after, none))).toEqual([
      'cargo gix [runtime] changed git = "https://github.com/Byron/gitoxide", rev = "abc123" -> git = "https://github.com/Byron/gitoxide", rev = "def456" @2',
      'cargo dynamo-config [runtime internal] added - -> path = "../config" @3',
    ]);
  });

  it("counts a test fixture's manifest as dev, with no version and no own packages", () => {
    // The dependency moves from the package's old version to its new one by chance: no sibling of it.
    const fixture = (v: string): string => lines("[package]", 'name = "serde"', `version = "${v}"`, "", "[dependencies]", `anyhow = "${v}"`);
    const diff = diffManifest(".github/fixtures/test-bump/Cargo.toml", fixture("1.0.0"), fixture("1.1.0"), none);
    expect(deps(diff)).toEqual(["cargo anyhow [dev] upgraded 1.0.0 -> 1.1.0 @6"]);
    expect(diff!.versions).toEqual([]);
    expect(diff!.ownPackages).toEqual([]);
  });
});

describe("package.json", () => {
  const pkg = (fields: Record<string, unknown>): string => `${JSON.stringify(fields, null, 2)}\n`;

  it("scopes each dependency table; workspace: and file: specs are internal", () => {
    const before = pkg({
      name: "@acme/web",
      version: "1.4.0",
      engines: { node: ">=18" },
      dependencies: { zod: "^3.23.8", "@acme/core": "workspace:^1.4.0", yaml: "^2.4.0" },
      devDependencies: { "@types/node": "^20.11.0", typescript: "5.9.2" },
      peerDependencies: { react: "^18.0.0" },
      optionalDependencies: { fsevents: "2.3.2" },
    });
    const after = pkg({
      name: "@acme/web",
      version: "1.5.0",
      engines: { node: ">=20" },
      dependencies: { zod: "^4.1.0", "@acme/core": "workspace:^1.5.0", "@acme/ui": "file:../ui", yaml: "^2.4.0" },
      devDependencies: { "@types/node": "^22.5.0", typescript: "5.9.2" },
      peerDependencies: { react: "^18.0.0 || ^19.0.0" },
      optionalDependencies: { fsevents: "2.3.3" },
    });
    const diff = diffManifest("packages/web/package.json", before, after, none);
    expect(deps(diff)).toEqual([
      "npm zod [runtime] upgraded ^3.23.8 -> ^4.1.0 major @8",
      "npm @acme/core [runtime internal] upgraded workspace:^1.4.0 -> workspace:^1.5.0 @9",
      "npm @acme/ui [runtime internal] added - -> file:../ui @10",
      "npm @types/node [dev] upgraded ^20.11.0 -> ^22.5.0 major @14",
      "npm react [peer] changed ^18.0.0 -> ^18.0.0 || ^19.0.0 @18",
      "npm fsevents [optional] upgraded 2.3.2 -> 2.3.3 @21",
    ]);
    expect(versions(diff)).toEqual(["project-version version 1.4.0 -> 1.5.0 @3", "toolchain engines.node >=18 -> >=20 @5"]);
    expect(diff!.ownPackages).toEqual(["@acme/web"]);
  });

  it("makes every dependency of a docs site docs, and reports neither its version nor its Node requirement", () => {
    const site = (docusaurus: string, ts: string, v: string): string =>
      pkg({
        name: "git-cliff-website",
        version: v,
        private: true,
        dependencies: { "@docusaurus/core": docusaurus },
        devDependencies: { typescript: ts },
        engines: { node: v === "0.0.0" ? ">=18.0" : ">=20.0" },
      });
    const diff = diffManifest("website/package.json", site("^3.8.1", "^5.8.3", "0.0.0"), site("^3.8.1", "^5.9.2", "0.0.1"), none);
    expect(deps(diff)).toEqual(["npm typescript [docs] upgraded ^5.8.3 -> ^5.9.2 @9"]);
    expect(diff!.versions).toEqual([]);
  });

  it("makes an example's dependencies dev", () => {
    const example = (v: string): string => pkg({ name: "hono-example", dependencies: { hono: v } });
    expect(deps(diffManifest("examples/basic/package.json", example("^4.5.0"), example("^4.6.0"), none))).toEqual([
      "npm hono [dev] upgraded ^4.5.0 -> ^4.6.0 @4",
    ]);
  });

  it("drops the version of a private package but keeps its dependencies", () => {
    const root = (v: string, vitest: string): string => pkg({ name: "monorepo", version: v, private: true, devDependencies: { vitest } });
    const diff = diffManifest("package.json", root("0.0.1", "^3.0.0"), root("0.0.2", "^4.0.0"), none);
    expect(diff!.versions).toEqual([]);
    expect(deps(diff)).toEqual(["npm vitest [dev] upgraded ^3.0.0 -> ^4.0.0 major @6"]);
  });

  it("takes pins moving in step with the package's own version for its sibling packages (git-cliff's platform binaries)", () => {
    const npm = (v: string, chalk: string): string =>
      pkg({
        name: "git-cliff",
        version: v,
        dependencies: { chalk },
        optionalDependencies: { "git-cliff-darwin-arm64": v, "git-cliff-linux-x64": v },
      });
    const diff = diffManifest("npm/git-cliff/package.json", npm("2.10.0-rc.0", "^5.3.0"), npm("2.10.0", "^5.4.1"), none);
    expect(deps(diff)).toEqual([
      "npm chalk [runtime] upgraded ^5.3.0 -> ^5.4.1 @5",
      "npm git-cliff-darwin-arm64 [optional internal] upgraded 2.10.0-rc.0 -> 2.10.0 @8",
      "npm git-cliff-linux-x64 [optional internal] upgraded 2.10.0-rc.0 -> 2.10.0 @9",
    ]);
  });

  it("needs a sibling's name as well as the versions in step: an npm scope counts, a chance match does not", () => {
    const core = (v: string): string => pkg({ name: "@acme/core", version: v, dependencies: { "@acme/types": v, "left-pad": v } });
    expect(deps(diffManifest("packages/core/package.json", core("1.4.0"), core("1.5.0"), none))).toEqual([
      "npm @acme/types [runtime internal] upgraded 1.4.0 -> 1.5.0 @5",
      "npm left-pad [runtime] upgraded 1.4.0 -> 1.5.0 @6",
    ]);
  });

  it("takes names from the context's own packages for internal", () => {
    const before = pkg({ dependencies: { "@acme/core": "^1.4.0" } });
    const after = pkg({ dependencies: { "@acme/core": "^1.5.0" } });
    expect(deps(diffManifest("apps/cli/package.json", before, after, { ownPackages: new Set(["@acme/core"]) }))).toEqual([
      "npm @acme/core [runtime internal] upgraded ^1.4.0 -> ^1.5.0 @3",
    ]);
  });

  it("does not report an entry that moved between tables with the same range", () => {
    const before = pkg({ dependencies: { vitest: "^4.1.12", zod: "^4.1.0" }, devDependencies: {} });
    const after = pkg({ dependencies: { zod: "^4.1.0" }, devDependencies: { vitest: "^4.1.12" } });
    expect(deps(diffManifest("package.json", before, after, none))).toEqual([]);
  });
});

describe("pyproject.toml", () => {
  const project = (o: { version: string; python: string; pydantic: string; pytest: string; ruff: string; sphinx: string; vllm: string; maturin: string }): string =>
    lines(
      "[build-system]",
      `requires = ["maturin${o.maturin}"]`,
      'build-backend = "maturin"',
      "",
      "[project]",
      'name = "ai-dynamo"',
      `version = "${o.version}"`,
      `requires-python = "${o.python}"`,
      "dependencies = [",
      `    "Pydantic_Core${o.pydantic}",`,
      '    "uvloop",',
      "    \"tomli>=1.1; python_version < '3.11'\",",
      "]",
      "",
      "[project.optional-dependencies]",
      "dev = [",
      `    "pytest${o.pytest}",`,
      `    "ruff${o.ruff}",`,
      "]",
      `docs = ["sphinx${o.sphinx}"]`,
      `vllm = ["vllm[runai]${o.vllm}"]`,
      `all = ["ai-dynamo[dev,vllm]", "vllm[runai]${o.vllm}"]`,
      "",
      "[tool.ruff.lint]",
      'select = ["E", "F"]',
    );
  const old = { version: "0.4.0", python: ">=3.9", pydantic: ">=2.0,<3", pytest: "==8.2.0", ruff: ">=0.5", sphinx: ">=7.0", vllm: "==0.10.1", maturin: ">=1.5,<2" };

  it("scopes runtime, optional and dev extras, and the build system; compares names by PEP 503", () => {
    const diff = diffManifest(
      "pyproject.toml",
      project(old),
      project({ version: "0.5.0", python: ">=3.10", pydantic: ">=2.7,<3", pytest: "==8.3.4", ruff: ">=0.6", sphinx: ">=8.0", vllm: "==0.11.0", maturin: ">=1.7,<2" }),
      none,
    );
    expect(deps(diff)).toEqual([
      "pypi maturin [build] upgraded >=1.5,<2 -> >=1.7,<2 @2",
      "pypi Pydantic_Core [runtime] upgraded >=2.0,<3 -> >=2.7,<3 @10",
      "pypi pytest [dev] upgraded ==8.2.0 -> ==8.3.4 @17",
      "pypi ruff [dev] upgraded >=0.5 -> >=0.6 major @18",
      "pypi sphinx [dev] upgraded >=7.0 -> >=8.0 major @20",
      // Listed in the `vllm` extra and again in `all`: told once.
      "pypi vllm [optional] upgraded ==0.10.1 -> ==0.11.0 major @21",
    ]);
    expect(versions(diff)).toEqual(["project-version version 0.4.0 -> 0.5.0 @7", "toolchain requires-python >=3.9 -> >=3.10 @8"]);
    expect(diff!.ownPackages).toEqual(["ai-dynamo"]);
  });

  it("matches a renamed spelling of the same project as one entry", () => {
    const before = lines("[project]", 'dependencies = ["pydantic_core>=2.0"]');
    const after = lines("[project]", 'dependencies = ["pydantic-core>=2.1"]');
    expect(deps(diffManifest("pyproject.toml", before, after, none))).toEqual(["pypi pydantic-core [runtime] upgraded >=2.0 -> >=2.1 @2"]);
  });

  it("reads PEP 735 dependency groups as dev, and the project's own extras as internal", () => {
    const before = lines("[project]", 'name = "nixl"', "", "[dependency-groups]", 'test = ["pytest>=8", {include-group = "lint"}]', 'lint = ["ruff>=0.5"]');
    const after = lines("[project]", 'name = "nixl"', "", "[dependency-groups]", 'test = ["pytest>=8.3", "nixl[cu12]", {include-group = "lint"}]', 'lint = ["ruff>=0.5"]');
    expect(deps(diffManifest("pyproject.toml", before, after, none))).toEqual([
      "pypi pytest [dev] upgraded >=8 -> >=8.3 @5",
      "pypi nixl [dev internal] added - -> * @5",
    ]);
  });

  it("reads Poetry tables: python is the toolchain, groups and dev-dependencies are dev, optional ones optional", () => {
    const poetry = (python: string, requests: string, black: string, mypy: string, redis: string): string =>
      lines(
        "[tool.poetry]",
        'name = "acme"',
        'version = "1.2.0"',
        "",
        "[tool.poetry.dependencies]",
        `python = "${python}"`,
        `requests = { version = "${requests}", extras = ["socks"] }`,
        `redis = { version = "${redis}", optional = true }`,
        'acme-core = { path = "../core", develop = true }',
        "",
        "[tool.poetry.group.lint.dependencies]",
        `black = "${black}"`,
        "",
        "[tool.poetry.dev-dependencies]",
        `mypy = "${mypy}"`,
      );
    const diff = diffManifest("pyproject.toml", poetry("^3.9", "^2.31", "^24.0", "^1.10", "^5.0"), poetry("^3.10", "^2.32", "^24.8", "^1.11", "^5.1"), none);
    expect(deps(diff)).toEqual([
      "pypi requests [runtime] upgraded ^2.31 -> ^2.32 @7",
      "pypi redis [optional] upgraded ^5.0 -> ^5.1 @8",
      "pypi black [dev] upgraded ^24.0 -> ^24.8 @12",
      "pypi mypy [dev] upgraded ^1.10 -> ^1.11 @15",
    ]);
    expect(versions(diff)).toEqual(["toolchain requires-python ^3.9 -> ^3.10 @6"]);
    expect(diff!.ownPackages).toEqual(["acme"]);
  });
});

describe("requirements files", () => {
  it("takes requirements-dev.txt for dev, with options, includes and comments passed over", () => {
    const before = lines("-r requirements.txt", "pytest==8.2.0", "pytest-asyncio>=0.21,<0.24", "numpy");
    const after = lines(
      "-r requirements.txt",
      "--extra-index-url https://download.pytorch.org/whl/cu124",
      "pytest==8.3.4  # keep in sync with CI",
      "pytest_asyncio>=0.23,<1 \\",
      "    --hash=sha256:abc",
      "# nats-py==2.9",
      "-e ./lib/bindings",
      "numpy",
    );
    expect(deps(diffManifest("requirements-dev.txt", before, after, none))).toEqual([
      "pypi pytest [dev] upgraded ==8.2.0 -> ==8.3.4 @3",
      "pypi pytest_asyncio [dev] upgraded >=0.21,<0.24 -> >=0.23,<1 major @4",
    ]);
  });

  it("takes requirements.txt for runtime and requirements/docs.txt for dev", () => {
    expect(deps(diffManifest("container/deps/requirements.txt", "uvicorn>=0.29\n", "uvicorn[standard]>=0.30\n", none))).toEqual([
      "pypi uvicorn [runtime] upgraded >=0.29 -> >=0.30 major @1",
    ]);
    expect(deps(diffManifest("requirements/docs.txt", "sphinx==7.4.0\n", "sphinx==8.0.2\n", none))).toEqual([
      "pypi sphinx [dev] upgraded ==7.4.0 -> ==8.0.2 major @1",
    ]);
    expect(deps(diffManifest("docs/requirements.txt", "furo==2024.5.6\n", "furo==2024.8.6\n", none))).toEqual([
      "pypi furo [docs] upgraded ==2024.5.6 -> ==2024.8.6 @1",
    ]);
  });
});

describe("go.mod", () => {
  const gomod = (go: string, toolchain: string, bubbles: string, net: string, cobra: string, sibling: string): string =>
    lines(
      "module github.com/go-task/task/v3",
      "",
      `go ${go}`,
      "",
      `toolchain ${toolchain}`,
      "",
      "require (",
      `\tcharm.land/bubbles/v2 ${bubbles}`,
      `\tgithub.com/go-task/task/v3/taskfile/ast ${sibling}`,
      "\tgithub.com/acme/localfork v1.0.0",
      ")",
      "",
      `require github.com/spf13/cobra ${cobra}`,
      "",
      "require (",
      `\tgolang.org/x/net ${net} // indirect`,
      ")",
      "",
      "replace github.com/acme/localfork => ../localfork",
      "",
      "exclude (",
      "\tgithub.com/bad/mod v1.0.0",
      ")",
    );

  it("reads require blocks and lines (indirect ones too), local replaces, and the go and toolchain directives", () => {
    const diff = diffManifest(
      "go.mod",
      gomod("1.22", "go1.22.5", "v2.1.0", "v0.24.0", "v1.8.0", "v3.0.0"),
      gomod("1.23", "go1.23.1", "v2.1.1", "v0.25.0", "v1.8.1", "v3.1.0"),
      none,
    );
    expect(deps(diff)).toEqual([
      "go charm.land/bubbles/v2 [runtime] upgraded v2.1.0 -> v2.1.1 @8",
      "go github.com/go-task/task/v3/taskfile/ast [runtime internal] upgraded v3.0.0 -> v3.1.0 @9",
      "go github.com/spf13/cobra [runtime] upgraded v1.8.0 -> v1.8.1 @13",
      "go golang.org/x/net [runtime] upgraded v0.24.0 -> v0.25.0 major @16",
    ]);
    expect(versions(diff)).toEqual(["toolchain go 1.22 -> 1.23 @3", "toolchain toolchain go1.22.5 -> go1.23.1 @5"]);
    expect(diff!.ownPackages).toEqual(["github.com/go-task/task/v3"]);
  });

  it("marks a module replaced by a folder internal", () => {
    const before = lines("module example.com/app", "require example.com/lib v1.0.0", "replace example.com/lib => ./lib");
    const after = lines("module example.com/app", "require example.com/lib v1.1.0", "replace example.com/lib => ./lib");
    expect(deps(diffManifest("go.mod", before, after, none))).toEqual(["go example.com/lib [runtime internal] upgraded v1.0.0 -> v1.1.0 @2"]);
  });
});

describe("toolchain files", () => {
  it("reads the channel of rust-toolchain.toml and of the legacy one-line rust-toolchain", () => {
    const toml = (channel: string): string => lines("[toolchain]", `channel = "${channel}"`, 'components = ["rustfmt"]');
    expect(versions(diffManifest("rust-toolchain.toml", toml("1.84.0"), toml("1.85.1"), none))).toEqual([
      "toolchain rust-toolchain 1.84.0 -> 1.85.1 @2",
    ]);
    expect(versions(diffManifest("rust-toolchain", "nightly-2024-08-01\n", "nightly-2024-09-01\n", none))).toEqual([
      "toolchain rust-toolchain nightly-2024-08-01 -> nightly-2024-09-01 @1",
    ]);
  });

  it("reads .nvmrc, .node-version and .python-version", () => {
    expect(versions(diffManifest(".nvmrc", "v20\n", "# LTS\nv22\n", none))).toEqual(["toolchain node v20 -> v22 @2"]);
    expect(versions(diffManifest(".node-version", "20.11.0\n", "20.11.0\n", none))).toEqual([]);
    expect(versions(diffManifest(".python-version", "3.11\n", "3.12\n3.11\n", none))).toEqual(["toolchain python 3.11 -> 3.12 3.11 @1"]);
  });
});

describe("whole files and failures", () => {
  it("reports every entry of an added manifest as added, and of a deleted one as removed", () => {
    const text = lines("[package]", 'name = "probe"', 'version = "0.1.0"', "", "[dependencies]", 'anyhow = "1"');
    expect(deps(diffManifest("crates/probe/Cargo.toml", undefined, text, none))).toEqual(["cargo anyhow [runtime] added - -> 1 @6"]);
    expect(versions(diffManifest("crates/probe/Cargo.toml", undefined, text, none))).toEqual(["project-version version - -> 0.1.0 @3"]);
    expect(deps(diffManifest("crates/probe/Cargo.toml", text, undefined, none))).toEqual(["cargo anyhow [runtime] removed 1 -> - @6"]);
  });

  it("returns undefined when a side does not parse, so that the caller reads the patch", () => {
    expect(diffManifest("package.json", '{ "dependencies": { "zod": "^3.0.0" } }', '{ "dependencies": { "zod": "^4.0.0", } ', none)).toBeUndefined();
    expect(diffManifest("Cargo.toml", '[dependencies]\ntokio = "1.38"\n', '[dependencies\ntokio = "1.40"\n', none)).toBeUndefined();
    expect(diffManifest("pyproject.toml", '[project]\ndependencies = ["a>=1"\n', '[project]\ndependencies = ["a>=2"]\n', none)).toBeUndefined();
    expect(diffManifest("go.mod", "module a\nrequire (\n\tb v1.0.0\n", "module a\nrequire b v1.1.0\n", none)).toBeUndefined();
    expect(diffManifest("package.json", "[1, 2]", "{}", none)).toBeUndefined();
  });

  it("returns undefined for files it does not read", () => {
    expect(diffManifest("Dockerfile", "FROM golang:1.22\n", "FROM golang:1.23\n", none)).toBeUndefined();
    expect(diffManifest("docs/notes.txt", "pytest==8.2.0\n", "pytest==8.3.4\n", none)).toBeUndefined();
  });

  it("knows its manifest paths", () => {
    for (const path of [
      "package.json",
      "web/package.json",
      "Cargo.toml",
      "pyproject.toml",
      "requirements.txt",
      "requirements-dev.txt",
      "constraints.txt",
      "requirements/test.txt",
      "go.mod",
      "rust-toolchain",
      "rust-toolchain.toml",
      ".nvmrc",
      ".node-version",
      ".python-version",
    ]) {
      expect(isManifestPath(path), path).toBe(true);
    }
    for (const path of ["Dockerfile", "go.sum", "Cargo.lock", "package-lock.json", "notes.txt", "setup.py"]) {
      expect(isManifestPath(path), path).toBe(false);
    }
  });
});
