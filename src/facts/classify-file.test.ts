import { describe, expect, it } from "vitest";
import { classifyFile } from "./classify-file.js";
import type { FileKind } from "./types.js";

function kindOf(path: string): FileKind {
  return classifyFile(path).kind;
}

describe("classifyFile", () => {
  it.each([
    // Tests are known by folder and name before their language.
    ["tests/test_router.py", "test"],
    ["components/planner/foo_test.py", "test"],
    ["lib/llm/test_utils.py", "test"],
    ["conftest.py", "test"],
    ["src/bindings/rust/src/tests.rs", "test"],
    ["src/test.rs", "test"],
    ["src/testing.rs", "source"],
    ["app/tests.py", "test"],
    ["pkg/router/router_test.go", "test"],
    ["src/report/render.test.ts", "test"],
    ["web/app.spec.js", "test"],
    ["web/Button.test.tsx", "test"],
    ["src/__tests__/x.ts", "test"],
    ["src/test/java/org/acme/RouterTest.java", "test"],
    ["core/src/main/java/org/acme/RouterTests.java", "test"],
    ["lib/runtime/tests/soak.rs", "test"],
    ["spec/models/user_spec.rb", "test"],
    ["csrc/kernels/attention_test.cu", "test"],
    ["pkg/parser/testdata/input.json", "test"],
  ])("%s is a test", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it.each([
    ["src/testing.ts", "source"],
    ["src/facts/tests-changed.ts", "source"],
    ["lib/runtime/benches/throughput.rs", "benchmark"],
    ["benchmark/kvbench/main.py", "benchmark"],
    ["examples/python/basic.py", "example"],
    ["lib/llm/src/protocols/openai.rs", "source"],
    ["components/src/dynamo/vllm/main.py", "source"],
    ["lib/attestation.py", "source"],
    ["src/auth/security.py", "source"],
    ["csrc/attention.cu", "source"],
    ["include/engine.hpp", "source"],
    ["scripts/install.sh", "tooling"],
    ["install.sh", "source"],
    ["proto/api.proto", "source"],
  ])("%s is source", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it.each([
    ["package-lock.json", "lockfile"],
    ["yarn.lock", "lockfile"],
    ["web/pnpm-lock.yaml", "lockfile"],
    ["Cargo.lock", "lockfile"],
    ["poetry.lock", "lockfile"],
    ["uv.lock", "lockfile"],
    ["deploy/operator/go.sum", "lockfile"],
    ["Gemfile.lock", "lockfile"],
    ["composer.lock", "lockfile"],
  ])("%s is a lockfile", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it.each([
    ["api/v1/router.pb.go", "generated"],
    ["python/router_pb2.py", "generated"],
    ["python/router_pb2_grpc.py", "generated"],
    ["src/schema.generated.ts", "generated"],
    ["static/app.min.js", "generated"],
    ["packages/ui/dist/index.js", "generated"],
    ["ATTRIBUTIONS-Rust.md", "generated"],
    ["container/ATTRIBUTIONS-container-sglang-runtime.md", "generated"],
    ["ATTRIBUTIONS.txt", "generated"],
    ["THIRD_PARTY_NOTICES.txt", "generated"],
    ["ThirdPartyNotices.txt", "generated"],
    ["vendor/github.com/pkg/errors/errors.go", "vendored"],
    ["third_party/cutlass/include/gemm.h", "vendored"],
    ["web/node_modules/left-pad/index.js", "vendored"],
    ["external/googletest/src/gtest.cc", "vendored"],
    ["3rdparty/cutlass", "vendored"],
    // Vendored wins over test and lockfile: it is not this project's code.
    ["vendor/lib/foo_test.go", "vendored"],
    ["third_party/proj/Cargo.lock", "vendored"],
  ])("%s is %s", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it.each([
    [".github/workflows/ci.yml", "ci"],
    [".github/actions/setup/action.yml", "ci"],
    [".gitlab-ci.yml", "ci"],
    [".circleci/config.yml", "ci"],
    ["Jenkinsfile", "ci"],
    [".buildkite/pipeline.yml", "ci"],
    ["azure-pipelines.yml", "ci"],
    [".github/dependabot.yml", "tooling"],
  ])("%s is %s", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it.each([
    ["package.json", "manifest"],
    ["lib/runtime/Cargo.toml", "manifest"],
    ["pyproject.toml", "manifest"],
    ["requirements.txt", "manifest"],
    ["requirements-dev.txt", "manifest"],
    ["requirements/cuda.txt", "manifest"],
    ["deploy/operator/go.mod", "manifest"],
    ["setup.py", "manifest"],
    ["setup.cfg", "manifest"],
    ["Gemfile", "manifest"],
    ["pom.xml", "manifest"],
    ["app/build.gradle.kts", "manifest"],
    ["build.gradle", "manifest"],
    ["container/Dockerfile", "build"],
    ["container/Dockerfile.vllm", "build"],
    ["Makefile", "build"],
    ["CMakeLists.txt", "build"],
    ["cmake/FindCUDA.cmake", "build"],
    ["lib/bindings/build.rs", "build"],
    ["BUILD.bazel", "build"],
    ["tools/BUILD", "tooling"],
    ["src/tools/BUILD", "build"],
    ["meson.build", "build"],
    ["defs.bzl", "build"],
  ])("%s is %s", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it.each([
    ["README.md", "docs"],
    ["docs/planner/sla_planner_quickstart.md", "docs"],
    ["docs/conf.py", "docs"],
    ["guide.rst", "docs"],
    ["manual.adoc", "docs"],
    ["LICENSE", "docs"],
    ["LICENSE-APACHE", "docs"],
    ["CHANGELOG.md", "docs"],
    ["CHANGELOG", "docs"],
    ["deploy/values.yaml", "config"],
    ["config/settings.toml", "config"],
    ["tsconfig.json", "config"],
    ["setup.ini", "config"],
    [".env.example", "config"],
    [".eslintrc", "tooling"],
    [".env.example", "config"],
    [".pre-commit-config.yaml", "tooling"],
    [".gitignore", "tooling"],
    ["CODEOWNERS", "tooling"],
    ["rust-toolchain.toml", "tooling"],
    ["deno_dist/mod.ts", "generated"],
    ["website/src/pages/index.tsx", "docs"],
    [".gitlab/test_python.sh", "ci"],
    [".github/CODEOWNERS", "tooling"],
    ["vitest.config.ts", "config"],
    ["assets/logo.png", "asset"],
    ["web/fonts/inter.woff2", "asset"],
    ["media/demo.mp4", "asset"],
    ["data/words.csv", "other"],
    ["bin/run", "other"],
  ])("%s is %s", (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });

  it("sets the language of any file whose language is known, whatever its kind", () => {
    expect(classifyFile("tests/test_router.py")).toEqual({ kind: "test", language: "Python" });
    expect(classifyFile("lib/llm/src/lib.rs")).toEqual({ kind: "source", language: "Rust" });
    expect(classifyFile("web/App.tsx")).toEqual({ kind: "source", language: "TypeScript" });
    expect(classifyFile("web/index.mjs")).toEqual({ kind: "source", language: "JavaScript" });
    expect(classifyFile("csrc/kernel.cuh")).toEqual({ kind: "source", language: "CUDA" });
    expect(classifyFile("src/main.cc")).toEqual({ kind: "source", language: "C++" });
    expect(classifyFile("src/main.c")).toEqual({ kind: "source", language: "C" });
    expect(classifyFile("App.kt")).toEqual({ kind: "source", language: "Kotlin" });
    expect(classifyFile("Main.java")).toEqual({ kind: "source", language: "Java" });
    expect(classifyFile("cmd/server/main.go")).toEqual({ kind: "source", language: "Go" });
    expect(classifyFile(".github/workflows/ci.yml")).toEqual({ kind: "ci", language: "YAML" });
    expect(classifyFile("container/Dockerfile.vllm")).toEqual({ kind: "build", language: "Dockerfile" });
    expect(classifyFile("Makefile")).toEqual({ kind: "build", language: "Makefile" });
    expect(classifyFile("package.json")).toEqual({ kind: "manifest", language: "JSON" });
    expect(classifyFile("README.md")).toEqual({ kind: "docs", language: "Markdown" });
    expect(classifyFile("LICENSE")).toEqual({ kind: "docs" });
    expect(classifyFile("bin/run")).toEqual({ kind: "other" });
  });

  it("reads paths with a leading ./ or backslashes the same way", () => {
    expect(classifyFile("./tests/test_a.py")).toEqual(classifyFile("tests/test_a.py"));
    expect(classifyFile("src\\__tests__\\a.ts")).toEqual({ kind: "test", language: "TypeScript" });
  });
});
