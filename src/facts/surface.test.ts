import { describe, expect, it } from "vitest";
import { fileChange } from "../../test/helpers/file-change.js";
import { extractSurfaceChanges } from "./surface.js";


function summarise(path: string, language: string | undefined, lines: string[]): string[] {
  return extractSurfaceChanges(fileChange(path, lines), language).map(
    (s) => `${s.kind} ${s.name} ${s.change} @${s.origin.line}`,
  );
}

describe("environment variables", () => {
  it("reads Python os.environ and os.getenv, across lines, and skips comments", () => {
    expect(
      summarise("components/src/dynamo/vllm/args.py", "Python", [
        "@@ -10,6 +10,10 @@ import os",
        '-    kv_store = os.environ["DYN_STORE_KV"]',
        '+    kv_store = os.environ.get("DYN_STORE_KV", "etcd")',
        '+    port = os.getenv("DYN_SYSTEM_PORT")',
        "+    namespace = os.environ.get(",
        '+        "DYN_NAMESPACE", "dynamo"',
        "+    )",
        '+    # os.environ["DYN_DEBUG"] is read by the runtime',
        '+    shell = "echo $HOME ${USER}"',
      ]),
    ).toEqual(["env-var DYN_SYSTEM_PORT added @11", "env-var DYN_NAMESPACE added @13"]);
  });

  it("reads JS/TS process.env in both forms", () => {
    expect(
      summarise("src/server.ts", "TypeScript", [
        "@@ -1,3 +1,4 @@",
        "-const port = Number(process.env.PORT ?? 3000);",
        '+const port = Number(process.env["APP_PORT"] ?? 3000);',
        "+const level = process.env.LOG_LEVEL;",
        " const url = `${BASE_URL}/api`;",
      ]),
    ).toEqual(["env-var PORT removed @1", "env-var APP_PORT added @1", "env-var LOG_LEVEL added @2"]);
  });

  it("reads Rust env::var and Go os.Getenv / os.LookupEnv, C getenv", () => {
    expect(
      summarise("lib/runtime/src/logging.rs", "Rust", [
        "@@ -50,3 +50,3 @@",
        '-    let jsonl = std::env::var("DYN_LOGGING_JSONL").is_ok();',
        '+    let jsonl = env::var_os("DYN_LOGGING_JSONL_FORMAT").is_some();',
      ]),
    ).toEqual(["env-var DYN_LOGGING_JSONL removed @50", "env-var DYN_LOGGING_JSONL_FORMAT added @50"]);
    expect(
      summarise("deploy/operator/main.go", "Go", [
        "@@ -20,2 +20,3 @@",
        '+\tns := os.Getenv("WATCH_NAMESPACE")',
        '+\tif v, ok := os.LookupEnv("LEADER_ELECT"); ok {',
        '+\tname := os.Getenv(envKey)',
      ]),
    ).toEqual(["env-var WATCH_NAMESPACE added @20", "env-var LEADER_ELECT added @21"]);
    expect(
      summarise("src/cuda/init.cu", "CUDA", ["@@ -8 +8 @@", '+  const char* dev = std::getenv("CUDA_VISIBLE_DEVICES");']),
    ).toEqual(["env-var CUDA_VISIBLE_DEVICES added @8"]);
  });

  it("counts constants holding an env-var name only in env/config files", () => {
    const constant = [
      "@@ -30,3 +30,6 @@",
      " /// Enable span events in JSONL logs",
      '+pub const DYN_LOGGING_SPAN_EVENTS: &str = "DYN_LOGGING_SPAN_EVENTS";',
      '+pub const DEFAULT_TARGET: &str = "DEFAULT";',
      '+const LOG_FORMAT: &str = "json_lines";',
    ];
    expect(summarise("lib/runtime/src/config/environment_names.rs", "Rust", constant)).toEqual([
      "env-var DYN_LOGGING_SPAN_EVENTS added @31",
    ]);
    expect(summarise("lib/runtime/src/pipeline.rs", "Rust", constant)).toEqual([]);
    expect(
      summarise("src/dynamo/common/config_env.py", "Python", ["@@ -1 +1,2 @@", '+ENV_KV_STORE = "DYN_STORE_KV"', '+LABEL = "NOT_AN_ENV_ASSIGNMENT" + x']),
    ).toEqual(["env-var DYN_STORE_KV added @1"]);
  });

  it("reads Dockerfile ENV lines with continuations, not $VAR uses", () => {
    expect(
      summarise("container/Dockerfile", "Dockerfile", [
        "@@ -40,4 +40,7 @@",
        "-ENV VLLM_USE_V1 1",
        "+ENV VLLM_USE_V1=1 \\",
        "+    DYN_HTTP_PORT=8000 \\",
        "+    PATH=$VIRTUAL_ENV/bin:$PATH",
        " RUN echo $HOME",
        "+RUN export FOO=bar",
      ]),
    ).toEqual(["env-var DYN_HTTP_PORT added @41", "env-var PATH added @42"]);
  });

  it("reads names from .env.example but not from other dotfiles", () => {
    expect(summarise(".env.example", undefined, ["@@ -1 +1,2 @@", "+HF_TOKEN=", "+# OLD_TOKEN="])).toEqual([
      "env-var HF_TOKEN added @1",
    ]);
    expect(summarise(".envrc", undefined, ["@@ -1 +1 @@", "+HF_TOKEN=abc"])).toEqual([]);
  });
});

describe("command-line flags", () => {
  it("reports an argparse flag rename that keeps the old spelling as an alias", () => {
    expect(
      summarise("deploy/sanity_check.py", "Python", [
        "@@ -1890,8 +1890,9 @@ def main():",
        "     parser.add_argument(",
        '-        "--runtime-check",',
        '+        "--runtime-check-only",',
        '+        "--runtime-check",',
        '         action="store_true",',
        "     )",
        '+    parser.add_argument("-t", "--thorough-check", action="store_true")',
        '+    parser.add_argument("model_path", help="--not-a-flag in help text")',
        '-    parser.add_argument("-q")',
      ]),
    ).toEqual(["cli-flag --runtime-check-only added @1891", "cli-flag -q removed @1894", "cli-flag --thorough-check added @1895"]);
  });

  it("reports click options and Go flags", () => {
    expect(
      summarise("cli.py", "Python", [
        "@@ -3,2 +3,3 @@",
        '+@click.option("--shout/--no-shout", default=False)',
        '+@click.option("--count", "-c", default=1)',
        '+@other.option("--ignored")',
      ]),
    ).toEqual(["cli-flag --shout added @3", "cli-flag --count added @4"]);
    expect(
      summarise("cmd/main.go", "Go", [
        "@@ -10,2 +10,4 @@",
        '+\taddr := flag.String("metrics-addr", ":8080", "")',
        '+\tflag.BoolVar(&enableLeader, "leader-elect", false, "")',
        '+\tcmd.Flags().StringVarP(&cfg.Name, "name", "n", "", "")',
        '+\tflags := map[string]string{"x": "y"}',
      ]),
    ).toEqual(["cli-flag -metrics-addr added @10", "cli-flag -leader-elect added @11", "cli-flag --name added @12"]);
  });

  it("reports C++ gflags and Abseil flags, not other DEFINE_ macros", () => {
    expect(
      summarise("benchmark/nixlbench/src/utils/utils.cpp", "C++", [
        "@@ -20,2 +20,5 @@",
        '+DEFINE_string(filenames, "", "Comma-separated list of file names");',
        "+ABSL_FLAG(std::vector<std::string>, hosts, {}, \"Hosts to reach\");",
        '+DEFINE_int32(num_threads, 1, "Threads");',
        "+DEFINE_MUTEX(lock_name, other);",
      ]),
    ).toEqual(["cli-flag --filenames added @20", "cli-flag --hosts added @21", "cli-flag --num_threads added @22"]);
  });

  it("reports clap long flags, named or taken from the field, and clap env", () => {
    expect(
      summarise("launch/dynamo-run/src/flags.rs", "Rust", [
        "@@ -20,9 +20,12 @@ pub struct Flags {",
        "     /// HTTP port",
        "     #[arg(long, default_value = \"8080\")]",
        "-    pub http_port: u16,",
        "+    pub http_listen_port: u16,",
        " ",
        "+    #[arg(long = \"kv-overlap\", env = \"DYN_KV_OVERLAP\")]",
        "+    pub overlap: f32,",
        " ",
        "+    #[arg(short)]",
        "+    pub verbose: bool,",
      ]),
    ).toEqual([
      "cli-flag --http-port removed @22",
      "cli-flag --http-listen-port added @22",
      "env-var DYN_KV_OVERLAP added @24",
      "cli-flag --kv-overlap added @24",
    ]);
  });

  it("reports commander and yargs options, not regex exec or other calls", () => {
    expect(
      summarise("src/cli/main.ts", "TypeScript", [
        "@@ -5,2 +5,5 @@",
        '+  .option("-p, --port <number>", "port to listen on")',
        '+  .requiredOption("--repo <path>")',
        '+  .option("verbose", { type: "boolean" })',
        '+  select.option("Choose one of many")',
      ]),
    ).toEqual(["cli-flag --port added @5", "cli-flag --repo added @6", "cli-flag --verbose added @7"]);
  });
});

describe("config keys", () => {
  it("reads explicit reads on config-named variables, not writes or other dicts", () => {
    expect(
      summarise("app/settings_loader.py", "Python", [
        "@@ -1,2 +1,6 @@",
        '+    ttl = config.get("cache_ttl", 60)',
        '+    url = self.settings["database.url"]',
        '+    config["written"] = 1',
        '+    value = options.get("not_config")',
        '+    if config["mode"] == "fast":',
      ]),
    ).toEqual(["config-key cache_ttl added @1", "config-key database.url added @2", "config-key mode added @5"]);
  });

  it("reads leaf keys of YAML settings files with a path it can see, not Kubernetes manifests", () => {
    const lines = [
      "@@ -3,6 +3,8 @@",
      " logging:",
      "   level: info",
      "+  span_events: false",
      " server:",
      "-  port: 8000",
      "+  port: 8080",
      "+  workers:",
      "+    - name: a",
    ];
    expect(summarise("config/default.yaml", "YAML", lines)).toEqual(["config-key logging.span_events added @5"]);
    expect(summarise("deploy/k8s/deployment.yaml", "YAML", lines)).toEqual([]);
  });

  it("reads TOML settings keys only under a visible table", () => {
    expect(
      summarise("config/settings.toml", "TOML", [
        "@@ -10,2 +10,4 @@",
        "+orphan = 1",
        " [http]",
        "+timeout_ms = 500",
      ]),
    ).toEqual(["config-key http.timeout_ms added @12"]);
  });
});

describe("moves", () => {
  it("does not report a name removed and added in the same file", () => {
    expect(
      summarise("src/config.ts", "TypeScript", [
        "@@ -1,2 +1,2 @@",
        "-const a = process.env.TOKEN;",
        " const b = 1;",
        "+const a = process.env.TOKEN || '';",
      ]),
    ).toEqual([]);
  });
});
