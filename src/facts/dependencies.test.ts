import { describe, expect, it } from "vitest";
import { fileChange } from "../../test/helpers/file-change.js";
import { compareSpecs, extractDependencyChanges } from "./dependencies.js";


function summarise(path: string, lines: string[]): string[] {
  return extractDependencyChanges(fileChange(path, lines)).map(
    (d) => `${d.ecosystem} ${d.name} ${d.change} ${d.from ?? "-"} -> ${d.to ?? "-"}${d.major ? " major" : ""} @${d.origin.line}`,
  );
}

describe("package.json", () => {
  it("reports dependencies in a hunk that also changes the version and a script", () => {
    const changes = summarise("web/package.json", [
      "@@ -1,16 +1,16 @@",
      " {",
      '   "name": "@acme/web",',
      '-  "version": "1.4.0",',
      '+  "version": "1.5.0",',
      '   "scripts": {',
      '-    "build": "tsc -p tsconfig.build.json",',
      '+    "build": "tsc -p tsconfig.json",',
      '     "test": "vitest run"',
      "   },",
      '   "dependencies": {',
      '-    "zod": "^3.23.8",',
      '+    "zod": "^4.1.0",',
      '     "yaml": "^2.4.0",',
      '+    "luxon": "~3.7.2"',
      "   },",
      '   "devDependencies": {',
      '-    "typescript": "5.9.2"',
      '+    "typescript": "5.8.0"',
      "   }",
    ]);
    expect(changes).toEqual([
      "npm zod upgraded ^3.23.8 -> ^4.1.0 major @9",
      "npm luxon added - -> ~3.7.2 @11",
      "npm typescript downgraded 5.9.2 -> 5.8.0 @14",
    ]);
  });

  it("accepts only version-range values when the hunk shows no section, and never metadata keys", () => {
    const changes = summarise("package.json", [
      "@@ -30,6 +30,6 @@",
      '     "commander": "^14.0.0",',
      '-    "pino": "^9.0.0",',
      '+    "pino": "^10.4.0",',
      '-    "lint": "eslint src",',
      '+    "lint": "eslint src test",',
      '-    "node": ">=18"',
      '+    "node": ">=20"',
    ]);
    expect(changes).toEqual(["npm pino upgraded ^9.0.0 -> ^10.4.0 major @31"]);
  });

  it("does not report an entry that moved between sections with the same range", () => {
    expect(
      summarise("package.json", [
        "@@ -5,7 +5,7 @@",
        '   "dependencies": {',
        '-    "vitest": "^4.1.12",',
        '     "zod": "^4.1.0"',
        "   },",
        '   "devDependencies": {',
        '+    "vitest": "^4.1.12",',
        '     "tsx": "^4.0.0"',
      ]),
    ).toEqual([]);
  });
});

describe("Cargo.toml", () => {
  it("reads plain and inline-table entries under a visible dependencies header", () => {
    const changes = summarise("lib/runtime/Cargo.toml", [
      "@@ -20,9 +20,10 @@ license.workspace = true",
      " [dependencies]",
      "-tokio = { version = \"1.38\", features = [\"full\"] }",
      "+tokio = { version = \"1.40\", features = [\"full\"] }",
      "-axum = \"0.6\"",
      "+axum = \"0.7.5\"",
      " serde = { workspace = true }",
      "+dynamo-config = { path = \"../config\" }",
      "+tracing.workspace = true",
      " ",
      " [dev-dependencies]",
      "-rstest = \"0.18\"",
    ]);
    expect(changes).toEqual([
      "cargo tokio upgraded 1.38 -> 1.40 @21",
      "cargo axum upgraded 0.6 -> 0.7.5 major @22",
      'cargo dynamo-config added - -> path = "../config" @24',
      "cargo tracing added - -> workspace @25",
      "cargo rstest removed 0.18 -> - @26",
    ]);
  });

  it("reads [workspace.dependencies] and [dependencies.name] tables", () => {
    const changes = summarise("Cargo.toml", [
      "@@ -40,6 +40,6 @@",
      " [workspace.dependencies]",
      "-async-nats = { version = \"0.35.1\" }",
      "+async-nats = { version = \"0.40.0\" }",
      " ",
      " [dependencies.prometheus]",
      "-version = \"0.13\"",
      "+version = \"0.14\"",
    ]);
    expect(changes).toEqual([
      "cargo async-nats upgraded 0.35.1 -> 0.40.0 major @41",
      "cargo prometheus upgraded 0.13 -> 0.14 major @44",
    ]);
  });

  it("ignores [package] fields and non-dependency tables", () => {
    expect(
      summarise("Cargo.toml", [
        "@@ -1,6 +1,6 @@",
        " [package]",
        ' name = "dynamo-runtime"',
        '-version = "0.7.0"',
        '+version = "0.8.0"',
        '-rust-version = "1.82"',
        '+rust-version = "1.85"',
        "@@ -60,3 +60,3 @@",
        " [profile.release]",
        '-lto = "thin"',
        '+lto = "fat"',
      ]),
    ).toEqual([]);
  });

  it("without a visible header takes version-shaped entries but not package metadata", () => {
    expect(
      summarise("Cargo.toml", [
        "@@ -30,4 +30,4 @@",
        ' anyhow = "1"',
        '-version = "0.7.0"',
        '+version = "0.8.0"',
        '-thiserror = "1.0.61"',
        '+thiserror = "2.0.3"',
      ]),
    ).toEqual(["cargo thiserror upgraded 1.0.61 -> 2.0.3 major @32"]);
  });
});

describe("pyproject.toml", () => {
  it("reads PEP 508 strings in dependencies and optional-dependencies arrays", () => {
    const changes = summarise("pyproject.toml", [
      "@@ -14,16 +14,16 @@ requires-python = \">=3.10\"",
      " dependencies = [",
      '-    "pydantic>=2.0,<3",',
      '+    "pydantic>=2.7,<3",',
      '     "uvloop",',
      '+    "tomli>=1.1; python_version < \'3.11\'",',
      " ]",
      " ",
      " [project.optional-dependencies]",
      " vllm = [",
      '-    "vllm[runai]==0.10.1",',
      '+    "vllm[runai]==0.11.0",',
      " ]",
      " ",
      " [tool.ruff.lint]",
      '-select = ["E", "F"]',
      '+select = ["E", "F", "B"]',
      '+extend-ignore = ["E501"]',
    ]);
    expect(changes).toEqual([
      "pypi pydantic upgraded >=2.0,<3 -> >=2.7,<3 @15",
      "pypi tomli added - -> >=1.1 @17",
      "pypi vllm upgraded ==0.10.1 -> ==0.11.0 major @22",
    ]);
  });

  it("reads Poetry tables but not [project] fields with version-shaped values", () => {
    const changes = summarise("pyproject.toml", [
      "@@ -1,12 +1,12 @@",
      " [project]",
      '-version = "0.3.0"',
      '+version = "0.4.0"',
      '-requires-python = ">=3.9"',
      '+requires-python = ">=3.10"',
      " ",
      " [tool.poetry.dependencies]",
      '-python = "^3.9"',
      '+python = "^3.10"',
      '-requests = "^2.31"',
      '+requests = { version = "^2.32", extras = ["socks"] }',
    ]);
    expect(changes).toEqual(["pypi requests upgraded ^2.31 -> ^2.32 @7"]);
  });

  it("without a visible array takes only quoted lines that pin a version", () => {
    expect(
      summarise("pyproject.toml", [
        "@@ -40,4 +40,5 @@",
        '     "httpx>=0.27",',
        '+    "E501",',
        '+    "Programming Language :: Python :: 3.12",',
        '+    "aiofiles>=23.2",',
      ]),
    ).toEqual(["pypi aiofiles added - -> >=23.2 @43"]);
  });
});

describe("requirements.txt", () => {
  it("reads pins, ranges and extras; skips comments, options and includes", () => {
    const changes = summarise("container/deps/requirements.test.txt", [
      "@@ -1,8 +1,9 @@",
      " # test dependencies",
      "--r requirements.txt",
      "+-r requirements.in",
      "-pytest==8.2.0",
      "+pytest==8.3.4  # keep in sync with CI",
      "-pytest-asyncio>=0.21,<0.24",
      "+pytest_asyncio>=0.23,<1",
      "+uvicorn[standard]>=0.30",
      "+--extra-index-url https://download.pytorch.org/whl/cu124",
      "+# nats-py==2.9",
      " numpy",
    ]);
    expect(changes).toEqual([
      "pypi pytest upgraded ==8.2.0 -> ==8.3.4 @3",
      "pypi pytest_asyncio upgraded >=0.21,<0.24 -> >=0.23,<1 major @4",
      "pypi uvicorn added - -> >=0.30 @5",
    ]);
  });

  it("is not applied to other .txt files", () => {
    expect(summarise("docs/notes.txt", ["@@ -1 +1 @@", "-pytest==8.2.0", "+pytest==8.3.4"])).toEqual([]);
  });
});

describe("go.mod", () => {
  it("reads require blocks and lines, and strips // indirect", () => {
    const changes = summarise("deploy/operator/go.mod", [
      "@@ -5,10 +5,10 @@ go 1.24",
      " require (",
      "-\tgithub.com/go-logr/logr v1.4.1",
      "+\tgithub.com/go-logr/logr v1.4.2",
      "-\tk8s.io/api v0.29.3",
      "+\tk8s.io/api v0.31.0",
      "-\tgolang.org/x/net v0.24.0 // indirect",
      "+\tgolang.org/x/net v0.23.0 // indirect",
      " )",
      "-require github.com/onsi/gomega v1.32.0",
      "+require github.com/onsi/gomega v2.0.0",
      " replace (",
      "-\tgithub.com/foo/bar v1.0.0 => ../bar",
      "+\tgithub.com/foo/bar v1.1.0 => ../bar",
      " )",
      "-go 1.23",
    ]);
    expect(changes).toEqual([
      "go github.com/go-logr/logr upgraded v1.4.1 -> v1.4.2 @6",
      "go k8s.io/api upgraded v0.29.3 -> v0.31.0 major @7",
      "go golang.org/x/net downgraded v0.24.0 -> v0.23.0 major @8",
      "go github.com/onsi/gomega upgraded v1.32.0 -> v2.0.0 major @10",
    ]);
  });
});

describe("Dockerfile", () => {
  it("reads base images with platform flags, stages, registries with ports and digests", () => {
    const changes = summarise("container/Dockerfile.vllm", [
      "@@ -1,12 +1,12 @@",
      " ARG BASE_TAG=25.01-cuda12.8",
      "-FROM --platform=linux/amd64 nvcr.io/nvidia/cuda-dl-base:25.01-cuda12.8-devel-ubuntu24.04 AS base",
      "+FROM --platform=linux/amd64 nvcr.io/nvidia/cuda-dl-base:25.03-cuda12.8-devel-ubuntu24.04 AS base",
      "-FROM localhost:5000/tools:1.2 AS tools",
      "+FROM localhost:5000/tools@sha256:4f1c AS tools",
      "+FROM python:${PYTHON_VERSION}-slim AS runtime",
      "-FROM base",
      "+FROM base AS dev",
      "+FROM scratch",
    ]);
    expect(changes).toEqual([
      "docker nvcr.io/nvidia/cuda-dl-base upgraded 25.01-cuda12.8-devel-ubuntu24.04 -> 25.03-cuda12.8-devel-ubuntu24.04 @2",
      "docker localhost:5000/tools changed 1.2 -> @sha256:4f1c @3",
      "docker python added - -> ${PYTHON_VERSION}-slim @4",
    ]);
  });

  it("skips a stage named in another hunk, but reports an untagged image", () => {
    expect(
      summarise("Dockerfile", [
        "@@ -1,2 +1,2 @@",
        "-FROM golang:1.22 AS builder",
        "+FROM golang:1.23 AS builder",
        "@@ -30,2 +30,3 @@",
        "+FROM builder",
        "+FROM alpine",
      ]),
    ).toEqual(["docker golang upgraded 1.22 -> 1.23 @1", "docker alpine added - -> latest @31"]);
  });

  it("is not applied to files that only mention FROM", () => {
    expect(summarise("docs/build.md", ["@@ -1 +1 @@", "-FROM ubuntu:22.04", "+FROM ubuntu:24.04"])).toEqual([]);
  });
});

describe("compareSpecs", () => {
  it("compares the lowest version each specifier allows", () => {
    expect(compareSpecs("~=1.2", ">=1.3", "pypi")).toEqual({ change: "upgraded", major: false });
    expect(compareSpecs("^1.2.3", "~1.2.3", "npm")).toEqual({ change: "changed", major: false });
    expect(compareSpecs("0.6", "0.7", "cargo")).toEqual({ change: "upgraded", major: true });
    expect(compareSpecs("main", "v2", "docker")).toEqual({ change: "changed", major: false });
    expect(compareSpecs("v0.0.0-20240101000000-abcdef", "v0.0.0-20240301000000-123456", "go")).toEqual({
      change: "upgraded",
      major: false,
    });
  });
});

describe("scope and internal", () => {
  function scoped(path: string, lines: string[]): string[] {
    return extractDependencyChanges(fileChange(path, lines)).map(
      (d) => `${d.name} [${d.scope}${d.internal ? " internal" : ""}] ${d.change}${d.major ? " major" : ""}`,
    );
  }

  it("takes the scope from the package.json section seen, runtime when none is", () => {
    expect(
      scoped("package.json", [
        "@@ -5,12 +5,12 @@",
        '   "dependencies": {',
        '-    "zod": "^3.23.8",',
        '+    "zod": "^4.1.0",',
        '-    "@acme/core": "workspace:^1.4.0"',
        '+    "@acme/core": "workspace:^1.5.0"',
        "   },",
        '   "devDependencies": {',
        '-    "@types/node": "^20.11.0"',
        '+    "@types/node": "^22.5.0"',
        "   },",
        '   "peerDependencies": {',
        '-    "react": "^18.0.0"',
        '+    "react": "^19.0.0"',
        "   },",
        '   "optionalDependencies": {',
        '+    "fsevents": "2.3.3"',
        "@@ -40,2 +40,2 @@",
        '-    "pino": "^9.0.0",',
        '+    "pino": "^10.4.0",',
      ]),
    ).toEqual([
      "zod [runtime] upgraded major",
      "@acme/core [runtime internal] upgraded",
      "@types/node [dev] upgraded major",
      "react [peer] upgraded major",
      "fsevents [optional] added",
      "pino [runtime] upgraded major",
    ]);
  });

  it("makes every entry of a docs site's or an example's manifest docs or dev", () => {
    const bump = ["@@ -3,3 +3,3 @@", '   "dependencies": {', '-    "react": "^18.3.1"', '+    "react": "^19.0.0"'];
    expect(scoped("website/package.json", bump)).toEqual(["react [docs] upgraded major"]);
    expect(scoped("examples/basic/package.json", bump)).toEqual(["react [dev] upgraded major"]);
  });

  it("scopes Cargo tables; a path dependency is internal; a git rev change is no upgrade", () => {
    expect(
      scoped("git-cliff/Cargo.toml", [
        "@@ -50,14 +50,14 @@",
        " [dependencies]",
        '-git-cliff-core = { version = "2.9.1", path = "../git-cliff-core" }',
        '+git-cliff-core = { version = "2.10.0", path = "../git-cliff-core" }',
        '-gix = { git = "https://github.com/Byron/gitoxide", rev = "abc123" }',
        '+gix = { git = "https://github.com/Byron/gitoxide", rev = "def456" }',
        " ",
        " [dependencies.tokio]",
        '-version = "1.38"',
        '+version = "1.40"',
        " ",
        " [dev-dependencies]",
        '-pretty_assertions = "1.4.0"',
        '+pretty_assertions = "1.4.1"',
        " ",
        " [build-dependencies]",
        '-cc = "1.0"',
        '+cc = "1.1"',
      ]),
    ).toEqual([
      "git-cliff-core [runtime internal] upgraded",
      "gix [runtime] changed",
      "tokio [runtime] upgraded",
      "pretty_assertions [dev] upgraded",
      "cc [build] upgraded",
    ]);
  });

  it("scopes pyproject arrays and Poetry groups, and requirements files by name", () => {
    expect(
      scoped("pyproject.toml", [
        "@@ -1,20 +1,20 @@",
        " [build-system]",
        '-requires = ["maturin>=1.5,<2"]',
        '+requires = ["maturin>=1.7,<2"]',
        " [project]",
        " dependencies = [",
        '-    "pydantic>=2.0",',
        '+    "pydantic>=2.7",',
        " ]",
        " [project.optional-dependencies]",
        '-dev = ["pytest==8.2.0"]',
        '+dev = ["pytest==8.3.4"]',
        '-vllm = ["vllm==0.10.1"]',
        '+vllm = ["vllm==0.11.0"]',
        " [dependency-groups]",
        '-lint = ["ruff>=0.5"]',
        '+lint = ["ruff>=0.6"]',
        " [tool.poetry.group.docs.dependencies]",
        '-sphinx = "^7.0"',
        '+sphinx = "^8.0"',
      ]),
    ).toEqual([
      "maturin [build] upgraded",
      "pydantic [runtime] upgraded",
      "pytest [dev] upgraded",
      "vllm [optional] upgraded major",
      "ruff [dev] upgraded major",
      "sphinx [dev] upgraded major",
    ]);
    expect(scoped("requirements-dev.txt", ["@@ -1 +1 @@", "-pytest==8.2.0", "+pytest==8.3.4"])).toEqual(["pytest [dev] upgraded"]);
    expect(scoped("requirements.txt", ["@@ -1 +1 @@", "-numpy==1.26.4", "+numpy==2.0.0"])).toEqual(["numpy [runtime] upgraded major"]);
  });
});

describe("C and C++ build dependencies", () => {
  it("reads Meson dependency() and CMake find_package()", () => {
    const meson = extractDependencyChanges(
      fileChange("src/plugins/hf3fs/meson.build", ["@@ -1,1 +1,2 @@", " project('x')", "+hf3fs_dep = dependency('hf3fs_api_shared', version: '>=1.2', required: false)"]),
    );
    expect(meson).toEqual([expect.objectContaining({ ecosystem: "meson", name: "hf3fs_api_shared", to: ">=1.2", change: "added", scope: "runtime" })]);
    const cmake = extractDependencyChanges(fileChange("CMakeLists.txt", ["@@ -1,1 +1,1 @@", "-find_package(CUDAToolkit 12.0 REQUIRED)", "+find_package(CUDAToolkit 13.0 REQUIRED)"]));
    expect(cmake).toEqual([expect.objectContaining({ ecosystem: "cmake", name: "CUDAToolkit", from: "12.0", to: "13.0", change: "upgraded", major: true })]);
  });
});
