import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scanUsage } from "../src/usage/scan/scan-usage.js";
import type { ProjectIdentity, Use } from "../src/usage/types.js";
import { makeRepo, makeTempDir, type TestRepo } from "./helpers/make-repo.js";

const IDENTITY: ProjectIdentity = {
  python: ["vllm", "nixl"],
  npm: ["hono", "@scope/kit"],
  crates: ["nixl_sys"],
  goModules: ["github.com/go-task/task/v3"],
  headers: ["nixl.h", "nixl/agent.h"],
  commands: ["vllm"],
};

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

async function scan(files: Record<string, string>, commit = true) {
  const repo = makeRepo();
  repos.push(repo);
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  if (commit) repo.commit("user code");
  const index = await scanUsage({ root: repo.dir, label: "../svc", identity: IDENTITY, now: () => new Date("2026-01-17T00:00:00Z") });
  return { repo, index };
}

const symbols = (uses: Use[]) => uses.filter((u) => u.kind === "symbol").map((u) => (u.kind === "symbol" ? `${u.site.file}:${u.site.line} ${u.how} ${u.module} ${u.path.join(".")}${u.namedArgs ? ` (${u.namedArgs.join(",")})` : ""}` : ""));
const others = (uses: Use[]) => uses.filter((u) => u.kind !== "symbol").map((u) => `${u.site.file}:${u.site.line} ${u.kind} ${u.name}${u.kind === "cli-flag" ? ` <${u.command}>` : ""} | ${u.site.text}`);

describe("python reader", () => {
  it("follows imports, aliases, calls with namedArgs and instances; not the user's own class, not getattr", async () => {
    const { index } = await scan({
      "svc/engine.py": [
        "import vllm",
        "import vllm.engine.arg_utils as au",
        "from vllm.engine.arg_utils import EngineArgs as EA",
        "from .local import helper",
        "import os, importlib",
        "",
        "class Group:",
        "    pass",
        "",
        "@vllm.decorate",
        "class Mine(EA):",
        "    def __init__(self, x: au.Config):",
        "        self.agent = vllm.Agent(name='a')",
        "",
        "    def go(self):",
        "        self.agent.connect(peer=1, retry=2)",
        "",
        "args = EA(model='m', foo=3)",
        "g = Group()",
        "g.add_command()",
        "eng = vllm.LLM()",
        "eng.generate(prompts=[])",
        "getattr(vllm, 'hidden')",
        "importlib.import_module('vllm.x')",
        "helper()",
        "vllm.core.Group.add_command(EA)",
        "",
      ].join("\n"),
    });
    expect(symbols(index.uses)).toEqual([
      "svc/engine.py:1 import vllm ",
      "svc/engine.py:2 import vllm.engine.arg_utils ",
      "svc/engine.py:3 import vllm.engine.arg_utils EngineArgs",
      "svc/engine.py:10 reference vllm decorate",
      "svc/engine.py:11 reference vllm.engine.arg_utils EngineArgs",
      "svc/engine.py:12 reference vllm.engine.arg_utils Config",
      "svc/engine.py:13 call vllm Agent (name)",
      "svc/engine.py:16 instance vllm Agent.connect (peer,retry)",
      "svc/engine.py:18 call vllm.engine.arg_utils EngineArgs (model,foo)",
      "svc/engine.py:21 call vllm LLM",
      "svc/engine.py:22 instance vllm LLM.generate (prompts)",
      "svc/engine.py:26 call vllm core.Group.add_command",
      "svc/engine.py:26 reference vllm.engine.arg_utils EngineArgs",
    ]);
    expect(index.skipped.dynamic).toBe(2);
    expect(index.languages).toEqual(["python"]);
  });

  it("records os.environ assignments with no value", async () => {
    const { index } = await scan({ "app.py": 'import os\nos.environ["VLLM_X"] = "secret-value"\nos.environ.setdefault("VLLM_Y", "v2")\nos.putenv("VLLM_Z", "v3")\n' });
    expect(others(index.uses)).toEqual([
      'app.py:2 env-var VLLM_X | os.environ["VLLM_X"] = …',
      'app.py:3 env-var VLLM_Y | os.environ.setdefault("VLLM_Y", …)',
      'app.py:4 env-var VLLM_Z | os.putenv("VLLM_Z", …)',
    ]);
  });
});

describe("typescript and javascript readers", () => {
  it("reads named, default, namespace and require bindings of the project's packages only", async () => {
    const { index } = await scan({
      "web/app.ts": [
        'import { Hono as H, type Context } from "hono";',
        'import jsx from "hono/jsx";',
        'import * as kit from "@scope/kit";',
        'import { Hono as Other } from "hono-like";',
        "const app = new H();",
        "function f(c: Context, k: kit.Options) { return jsx(c); }",
        "kit.tools.run();",
        "Other.x();",
      ].join("\n"),
      "web/old.cjs": 'const { serve } = require("hono/node");\nconst dyn = require(name);\nserve({ port: 1 });\n',
    });
    expect(symbols(index.uses)).toEqual([
      "web/app.ts:1 import hono ",
      "web/app.ts:2 import hono/jsx ",
      "web/app.ts:3 import @scope/kit ",
      "web/app.ts:5 call hono Hono",
      "web/app.ts:6 reference @scope/kit Options",
      "web/app.ts:6 reference hono Context",
      "web/app.ts:6 call hono/jsx default",
      "web/app.ts:7 call @scope/kit tools.run",
      "web/old.cjs:1 import hono/node ",
      "web/old.cjs:3 call hono/node serve",
    ]);
    expect(index.skipped.dynamic).toBe(1);
    expect(index.languages).toEqual(["javascript", "typescript"]);
  });
});

describe("rust, go and c readers", () => {
  it("reads use trees and qualified paths", async () => {
    const { index } = await scan({
      "src/main.rs": "use nixl_sys::{Agent as A, opt::{OptArgs, self}};\nuse other::Agent;\nfn main() {\n    let a = A::new(\"x\");\n    let o = OptArgs::default();\n    nixl_sys::Agent::new(\"y\");\n    a.make_connection();\n}\n",
    });
    expect(symbols(index.uses)).toEqual([
      "src/main.rs:1 import nixl_sys Agent",
      "src/main.rs:1 import nixl_sys opt.OptArgs",
      "src/main.rs:1 import nixl_sys opt",
      "src/main.rs:4 call nixl_sys Agent.new",
      "src/main.rs:5 call nixl_sys opt.OptArgs.default",
      "src/main.rs:6 call nixl_sys Agent.new",
    ]);
  });

  it("reads go selectors through the import's name and alias", async () => {
    const { index } = await scan({
      "main.go": 'package main\n\nimport (\n\t"fmt"\n\ttask "github.com/go-task/task/v3"\n\tast "github.com/go-task/task/v3/taskfile/ast"\n)\n\nfunc main() {\n\te := task.NewExecutor(nil)\n\tvar t ast.Task\n\tfmt.Println(e, t)\n}\n',
    });
    expect(symbols(index.uses)).toEqual([
      "main.go:5 import github.com/go-task/task/v3 ",
      "main.go:6 import github.com/go-task/task/v3/taskfile/ast ",
      "main.go:10 call github.com/go-task/task/v3 NewExecutor",
      "main.go:11 reference github.com/go-task/task/v3/taskfile/ast Task",
    ]);
  });

  it("reads c++ names only in files that include a project header, not the file's own", async () => {
    const { index } = await scan({
      "app.cpp": '#include <nixl.h>\n#include <vector>\nstruct Local { int x; };\nstatic void mine() {}\nint main() {\n  nixlAgent agent("a", cfg);\n  agent.registerMem(d);\n  nixl::Status s = nixlAgent::version();\n  Local l; mine();\n  std::vector<int> v;\n}\n',
      "other.cpp": "int main() { nixlAgent a; a.go(); }\n",
    });
    expect(symbols(index.uses)).toEqual([
      "app.cpp:1 import nixl.h ",
      "app.cpp:6 reference nixl.h nixlAgent",
      "app.cpp:7 instance nixl.h nixlAgent.registerMem",
      "app.cpp:8 reference nixl.h nixl.Status",
      "app.cpp:8 call nixl.h nixlAgent.version",
    ]);
  });
});

describe("text readers", () => {
  it("keeps a .env secret out of the index: the name only", async () => {
    const { index } = await scan({ ".env": "# keys\nOPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEF\nexport VLLM_PORT=8000\n" });
    expect(others(index.uses)).toEqual([".env:2 env-var OPENAI_API_KEY | OPENAI_API_KEY=…", ".env:3 env-var VLLM_PORT | export VLLM_PORT=…"]);
    expect(JSON.stringify(index)).not.toContain("sk-proj");
    expect(JSON.stringify(index)).not.toContain("8000");
  });

  it("reads Dockerfile ENV (not ARG), RUN and CMD flags of the project's command", async () => {
    const { index } = await scan({
      Dockerfile: 'FROM python:3.12\nARG BUILD_ONLY=1\nENV VLLM_A=1 VLLM_B="two words"\nENV LEGACY some value\nRUN pip install vllm && \\\n    vllm serve m --port 8000 \\\n      --tensor-parallel-size 2 | grep --color x\nCMD ["python", "-m", "vllm.entrypoints.api_server", "--host", "0.0.0.0"]\n',
    });
    expect(others(index.uses)).toEqual([
      'Dockerfile:3 env-var VLLM_A | ENV VLLM_A=… VLLM_B=…',
      'Dockerfile:3 env-var VLLM_B | ENV VLLM_A=… VLLM_B=…',
      "Dockerfile:4 env-var LEGACY | ENV LEGACY …",
      "Dockerfile:6 cli-flag --port <vllm> | vllm serve m --port 8000 \\",
      "Dockerfile:7 cli-flag --tensor-parallel-size <vllm> | --tensor-parallel-size 2 | grep --color x",
      'Dockerfile:8 cli-flag --host <python -m vllm.entrypoints.api_server> | CMD ["python", "-m", "vllm.entrypoints.api_server", "--host", "0.0.0.0"]',
    ]);
  });

  it("reads shell exports, prefix assignments and flags; not a bare assignment nor another command's flags", async () => {
    const { index } = await scan({
      "run.sh": "#!/bin/sh\nexport HF_TOKEN=hf_secret\nLOCAL=1\nVLLM_LOG=debug uv run vllm serve m --max-model-len=4096 -q\nls --all\nvllm serve m | grep --color x\n",
    });
    expect(others(index.uses)).toEqual([
      "run.sh:2 env-var HF_TOKEN | export HF_TOKEN=…",
      "run.sh:4 env-var VLLM_LOG | VLLM_LOG=… uv run vllm serve m --max-model-len=4096 -q",
      "run.sh:4 cli-flag --max-model-len <vllm> | VLLM_LOG=… uv run vllm serve m --max-model-len=4096 -q",
      "run.sh:4 cli-flag -q <vllm> | VLLM_LOG=… uv run vllm serve m --max-model-len=4096 -q",
    ]);
  });

  it("reads Kubernetes, Compose and CI YAML, and config keys of the user's own config only", async () => {
    const { index } = await scan({
      "deploy/k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: llm\n          command: [\"vllm\", \"serve\"]\n          args:\n            - --model\n            - m\n          env:\n            - name: VLLM_K8S\n              value: \"1\"\n",
      "docker-compose.yml": "services:\n  llm:\n    command: vllm serve m --dtype half\n    environment:\n      - VLLM_COMPOSE=1\n      - OTHER\n",
      ".github/workflows/ci.yml": "on: push\nenv:\n  CI_TOKEN: abc\njobs:\n  t:\n    steps:\n      - run: |\n          echo hi\n          vllm bench --seed 1\n",
      "config/app.yaml": "logging:\n  level: debug\nmodels: [a, b]\n",
      "settings.toml": "top = 1\n[db]\nurl = \"postgres://u:p@h/x\"\nlist = [\n  1,\n]\n",
    });
    expect(others(index.uses)).toEqual([
      ".github/workflows/ci.yml:3 env-var CI_TOKEN | CI_TOKEN: …",
      ".github/workflows/ci.yml:9 cli-flag --seed <vllm> | vllm bench --seed 1",
      "config/app.yaml:2 config-key logging.level | level: …",
      "config/app.yaml:3 config-key models | models: …",
      "deploy/k8s.yaml:10 cli-flag --model <vllm> | - --model",
      "deploy/k8s.yaml:13 env-var VLLM_K8S | - name: VLLM_K8S",
      "docker-compose.yml:3 cli-flag --dtype <vllm> | command: vllm serve m --dtype half",
      "docker-compose.yml:5 env-var VLLM_COMPOSE | - VLLM_COMPOSE=…",
      "docker-compose.yml:6 env-var OTHER | - OTHER",
      "settings.toml:1 config-key top | top = …",
      "settings.toml:3 config-key db.url | url = …",
      "settings.toml:4 config-key db.list | list = …",
    ]);
    expect(index.kinds).toEqual(["cli-flag", "config-key", "env-var"]);
  });
});

describe("the pass over the tree", () => {
  it("does not read .gitignore'd, vendored or large files, nor follow a symlink out of root; two scans are equal", async () => {
    const outside = makeTempDir();
    writeFileSync(join(outside, "leak.py"), "import vllm\n");
    const { repo, index } = await scan({
      ".gitignore": "ignored/\n",
      "ignored/a.py": "import vllm\n",
      "node_modules/x/b.py": "import vllm\n",
      "big.py": `import vllm\n${"#".repeat(1100 * 1024)}\n`,
      "ok.py": "import vllm\n",
    });
    symlinkSync(outside, join(repo.dir, "link"));
    symlinkSync(join(outside, "leak.py"), join(repo.dir, "leak.py"));
    const again = await scanUsage({ root: repo.dir, label: "../svc", identity: IDENTITY, now: () => new Date("2026-01-17T00:00:00Z") });
    expect(again.uses.map((u) => u.site.file)).toEqual(["ok.py"]);
    expect(again.skipped.tooLarge).toBe(1);
    expect(again.head).toBe(repo.head());
    expect(JSON.stringify(again)).toBe(JSON.stringify(index));
  });

  it("walks a folder outside git honouring .gitignore files and not following links", async () => {
    const dir = makeTempDir();
    const outside = makeTempDir();
    writeFileSync(join(outside, "leak.py"), "import vllm\n");
    mkdirSync(join(dir, "sub/gen"), { recursive: true });
    writeFileSync(join(dir, "sub/.gitignore"), "gen/\n*.tmp.py\n");
    writeFileSync(join(dir, "sub/gen/a.py"), "import vllm\n");
    writeFileSync(join(dir, "sub/x.tmp.py"), "import vllm\n");
    writeFileSync(join(dir, "sub/ok.py"), "import vllm\n");
    symlinkSync(outside, join(dir, "link"));
    const index = await scanUsage({ root: dir, label: "dir", identity: IDENTITY });
    expect(index.uses.map((u) => u.site.file)).toEqual(["sub/ok.py"]);
    expect(index.head).toBeUndefined();
    expect(index.files).toBe(1);
  });
});
