/**
 * Cost of the usage index (issue 14): a generated 100k-line user repository (Python, TS,
 * YAML, shell; committed with git) and, when present, a real tree (`USAGE_BENCH_TREE`,
 * default /tmp/nixl-wt, a checkout of ai-dynamo/nixl). Target: ≤ 10 s each on 2 cores.
 *
 *   node --import tsx bench/usage-scan.bench.ts
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { scanUsage } from "../src/usage/scan/scan-usage.js";
import type { ProjectIdentity } from "../src/usage/types.js";

const IDENTITY: ProjectIdentity = { python: ["vllm", "nixl"], npm: ["hono"], crates: ["nixl_sys"], goModules: [], headers: ["nixl.h", "nixl_types.h"], commands: ["vllm", "nixlbench"] };

function pythonFile(i: number): string {
  const body = [`import os\nimport vllm\nfrom vllm.engine.arg_utils import EngineArgs as EA\n\nos.environ["VLLM_X_${i}"] = "1"\n`];
  for (let f = 0; f < 20; f++) body.push(`class Worker${f}:\n    def __init__(self):\n        self.engine = vllm.LLM(model="m", seed=${f})\n\n    def run(self, prompts):\n        out = self.engine.generate(prompts, max_tokens=8)\n        args = EA(model="m", tensor_parallel_size=${f})\n        return [o.text for o in out if o]\n\n`);
  return body.join("");
}
function tsFile(i: number): string {
  const body = [`import { Hono } from "hono";\nimport { helper } from "./local";\nconst app = new Hono();\n`];
  for (let f = 0; f < 25; f++) body.push(`export function handler${i}_${f}(x: number): number {\n  app.get("/p${f}", (c) => c.text("ok"));\n  return helper(x) + ${f};\n}\n\n`);
  return body.join("");
}
function yamlFile(i: number): string {
  return `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: c${i}\n      command: ["vllm", "serve"]\n      args: ["--model", "m", "--port", "80${i % 10}"]\n      env:\n${Array.from({ length: 20 }, (_, k) => `        - name: VLLM_K${k}\n          value: "${k}"\n`).join("")}`;
}
function shellFile(i: number): string {
  return Array.from({ length: 30 }, (_, k) => `export VAR_${i}_${k}=${k}\nvllm serve m --port ${k} \\\n  --seed ${k} | grep -v x\n`).join("");
}

function makeUserRepo(): { dir: string; lines: number } {
  const dir = mkdtempSync(join(tmpdir(), "usage-bench-"));
  let lines = 0;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    lines += text.split("\n").length - 1;
  };
  for (let i = 0; lines < 100_000; i++) {
    write(`svc/pkg${i % 20}/mod${i}.py`, pythonFile(i));
    write(`web/src/h${i}.ts`, tsFile(i));
    if (i % 3 === 0) write(`deploy/pod${i}.yaml`, yamlFile(i));
    if (i % 4 === 0) write(`scripts/run${i}.sh`, shellFile(i));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "-m", "bench");
  return { dir, lines };
}

async function time(label: string, root: string, identity: ProjectIdentity): Promise<void> {
  const start = performance.now();
  const index = await scanUsage({ root, label, identity });
  const ms = performance.now() - start;
  console.log(`${label}: ${index.files} files, ${index.lines} lines, ${index.uses.length} uses, dynamic ${index.skipped.dynamic}, ${(ms / 1000).toFixed(2)} s`);
}

const { dir, lines } = makeUserRepo();
console.log(`generated ${lines} lines in ${dir}`);
try {
  await time("generated", dir, IDENTITY);
  await time("generated (second run, grammars loaded)", dir, IDENTITY);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const real = process.env.USAGE_BENCH_TREE ?? "/tmp/nixl-wt";
if (existsSync(real)) await time(real, real, IDENTITY);
