/**
 * npm run bench:startup [-- --rounds 7] [--cpu-prof <dir>] [--dist <dir>]
 *
 * What a user waits for before any work: Node itself (`node -e 0`), the bundle answering
 * `--version`, and the smallest real job, a one-day report of one small repository with the
 * rules analyser, from a new data dir (cold: store created, mirror registered) and again on
 * that store (warm). Rounds alternate the order so that the machine's drift hits all alike;
 * medians of wall time are compared with the targets: `--version` ≤ 3x `node -e 0`, the
 * report ≤ 0.5 s. CPU time (user + system, git's included) is printed beside them: on a busy
 * machine it moves far less than wall time.
 * With --cpu-prof, one more cold report writes a V8 CPU profile there (open it in Chrome's
 * DevTools or speedscope) to see what loads or runs needlessly.
 *
 * Measures dist/ (or the bundle built into --dist) and builds it first when it is missing.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { makeRepo } from "../test/helpers/make-repo.js";

const { values: options } = parseArgs({ options: { rounds: { type: "string", default: "7" }, "cpu-prof": { type: "string" }, dist: { type: "string" } } });
const rounds = Number(options.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`bench: --rounds ${options.rounds}: give a whole number of at least 1\n`);
  process.exit(2);
}

const root = resolve(import.meta.dirname, "..");
const dist = resolve(options.dist ?? join(root, "dist"));
const cli = join(dist, "main.js");
if (!existsSync(cli)) {
  process.stderr.write(`bench: ${cli} is missing; building it\n`);
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--outdir", dist], { stdio: "inherit" });
}

// A day of a small project: a few commits of code the structural pass reads, a manifest, docs.
const DAY = "2026-01-16";
const repo = makeRepo();
repo.write("README.md", "# widgets\n").write("pyproject.toml", '[project]\nname = "widgets"\nversion = "1.0.0"\n').commit({ message: "chore: start", date: "2026-01-15T09:00:00+00:00" });
repo.write("widgets/api.py", "def get_widget(widget_id):\n    return {'id': widget_id}\n").commit({ message: "feat: get a widget", date: `${DAY}T09:00:00+00:00` });
repo.write("web/client.ts", "export function fetchWidget(id: string): Promise<Response> {\n  return fetch(`/widgets/${id}`);\n}\n").commit({ message: "feat(web): fetch a widget", date: `${DAY}T11:00:00+00:00` });
repo.write("pyproject.toml", '[project]\nname = "widgets"\nversion = "1.1.0"\ndependencies = ["requests>=2.32"]\n').commit({ message: "build: depend on requests", date: `${DAY}T14:00:00+00:00` });
repo.write("widgets/api.py", "def get_widget(widget_id, *, fields=None):\n    return {'id': widget_id, 'fields': fields}\n").commit({ message: "feat!: fields of a widget", date: `${DAY}T16:00:00+00:00` });

interface Run {
  ms: number;
  /** CPU time (user + system) of the process and its children (git): steadier than wall time on a busy machine. */
  cpuMs: number;
  code: number | null;
  stderr: string;
}

// bash's `times` prints the CPU time of the shell's children: Node itself cannot see a child's.
const WITH_TIMES = '"$@" >/dev/null; status=$?; times; exit $status';

function time(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn("bash", ["-c", WITH_TIMES, "bench", process.execPath, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      const ms = performance.now() - start;
      // Second line of `times`: the children's user and system time, e.g. "0m0.412s 0m0.061s".
      const seconds = [...(stdout.trim().split("\n")[1] ?? "").matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
      done({ ms, cpuMs: seconds.reduce((sum, value) => sum + value, 0) * 1000, code, stderr });
    });
  });
}

async function checked(what: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const run = await time(args, env);
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}: ${run.stderr.trim()}`);
  return run;
}

function reportArgs(out: string): string[] {
  return [cli, "report", "--repo", repo.dir, "--date", DAY, "--tz", "UTC", "--out", out, "--analyzer", "rules", "--no-fetch", "-q"];
}

const samples = { node: [] as Run[], version: [] as Run[], cold: [] as Run[], warm: [] as Run[] };
const work = mkdtempSync(join(tmpdir(), "repo-digest-startup-"));
try {
  for (let round = 0; round < rounds; round++) {
    const data = join(work, `data-${round}`);
    const out = join(work, `out-${round}`);
    const steps = [
      async () => samples.node.push(await checked("node -e 0", ["-e", "0"])),
      async () => samples.version.push(await checked("--version", [cli, "--version"])),
      // The warm run needs the cold run's store, so the two stay one step.
      async () => {
        samples.cold.push(await checked("cold report", reportArgs(out), { REPO_DIGEST_DATA_DIR: data }));
        samples.warm.push(await checked("warm report", reportArgs(out), { REPO_DIGEST_DATA_DIR: data }));
      },
    ];
    // Each round starts one step later than the last, so no measurement always runs first.
    for (let step = 0; step < steps.length; step++) await steps[(round + step) % steps.length]!();
  }
  if (options["cpu-prof"]) {
    const dir = resolve(options["cpu-prof"]);
    await checked("profiled report", ["--cpu-prof", "--cpu-prof-dir", dir, ...reportArgs(join(work, "out-profile"))], { REPO_DIGEST_DATA_DIR: join(work, "data-profile") });
    process.stderr.write(`bench: CPU profile of a cold report written to ${dir}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  repo.cleanup();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => Math.round(value);
const wall = (runs: Run[]) => median(runs.map((run) => run.ms));
const cpu = (runs: Run[]) => median(runs.map((run) => run.cpuMs));
const figure = (runs: Run[], limitMs: number, target: string) => ({
  medianMs: ms(wall(runs)),
  bestMs: ms(Math.min(...runs.map((run) => run.ms))),
  medianCpuMs: ms(cpu(runs)),
  target,
  met: wall(runs) <= limitMs,
});
const nodeMs = wall(samples.node);
const result = {
  rounds,
  node: { medianMs: ms(nodeMs), bestMs: ms(Math.min(...samples.node.map((run) => run.ms))), medianCpuMs: ms(cpu(samples.node)) },
  version: {
    ...figure(samples.version, 3 * nodeMs, `≤ 3x node -e 0 (${ms(3 * nodeMs)} ms)`),
    ratio: +(wall(samples.version) / nodeMs).toFixed(2),
    cpuRatio: +(cpu(samples.version) / cpu(samples.node)).toFixed(2),
  },
  oneDayReport: { cold: figure(samples.cold, 500, "≤ 500 ms"), warm: figure(samples.warm, 500, "≤ 500 ms") },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
