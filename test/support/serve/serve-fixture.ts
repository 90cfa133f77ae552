/**
 * What the `serve` tests run against: a store made by the real CLI (`repo-digest report`, a
 * real process per report) over two real git repositories, one of them with a planted
 * environment variable, a bot, a dependency bump, a removed public function and a hostile
 * commit message; and `repo-digest serve` as a real process on a port the system chose.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeRepo, makeTempDir, type Identity } from "../../helpers/make-repo.js";
import { runCli } from "../../helpers/run-cli.js";

const MAIN = join(import.meta.dirname, "..", "..", "..", "src", "cli", "main.ts");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export const WIDGETS = "acme/widgets";
export const GADGETS = "acme/gadgets";
export const PLANTED_ENV = "ACME_PLANTED_CACHE_DIR";
export const PLANTED_FLAG = "--widget-verbose";
/** A title that would run script, load an image and break attributes, were it placed as HTML. */
export const HOSTILE_TITLE = `fix: <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> 'q' & "dq"`;
export const HOSTILE_BODY = `</pre></code><script>window.__pwned=3</script>\n<style>body{display:none}</style><a href="javascript:window.__pwned=4">click</a>`;

const GRACE: Identity = { name: "Grace Hopper", email: "grace@example.com" };
const BOT: Identity = { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" };

export interface PlannedCommit {
  repo: string;
  day: string;
  title: string;
  sha: string;
  author: string;
}

export interface ServeFixture {
  dataDir: string;
  /** Where the CLI wrote the reports (md, json, html) as files. */
  outDir: string;
  commits: PlannedCommit[];
  /** The report names the store holds, per repository. */
  reports: Record<string, string[]>;
  days: Record<string, string[]>;
  byTitle(title: string): PlannedCommit;
  cleanup(): void;
}

const WIDGET_DAYS = ["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16", "2026-01-17"];
const GADGET_DAYS = ["2026-01-16", "2026-01-17"];

/** Builds the repositories, then runs `report` for each day (zh-CN and en for widgets), two processes at a time. */
export async function buildServeFixture(): Promise<ServeFixture> {
  const dataDir = makeTempDir("repo-digest-serve-data-");
  const outDir = makeTempDir("repo-digest-serve-out-");
  const commits: PlannedCommit[] = [];
  const widgets = makeRepo();
  const gadgets = makeRepo();
  const commit = (repo: typeof widgets, name: string, day: string, time: string, title: string, options: { author?: Identity; body?: string } = {}) => {
    const sha = repo.commit({ message: options.body ? `${title}\n\n${options.body}` : title, date: `${day}T${time}:00+00:00`, ...(options.author ? { author: options.author } : {}) });
    commits.push({ repo: name, day, title, sha, author: (options.author ?? { name: "Ada Lovelace" }).name });
  };

  widgets.write("README.md", "# widgets\n");
  widgets.write("src/acme/__init__.py", "");
  widgets.write("src/acme/api.py", "def make_widget(name):\n    return {'name': name}\n\n\ndef list_widgets():\n    return []\n");
  commit(widgets, WIDGETS, "2026-01-12", "09:00", "feat(api): add the widget API");
  widgets.write("docs/guide.md", "# Guide\n\nHow to make widgets.\n");
  commit(widgets, WIDGETS, "2026-01-12", "15:00", "docs: a guide to widgets", { author: GRACE });

  widgets.write("src/acme/server.py", "import os\n\nCACHE = os.environ.get('ACME_PLANTED_CACHE_DIR', '/tmp')\n\n\ndef cache_dir():\n    return CACHE\n");
  commit(widgets, WIDGETS, "2026-01-13", "10:00", "feat(server): keep the cache where ACME_PLANTED_CACHE_DIR says");
  widgets.write("requirements.txt", "requests==2.32.0\n");
  commit(widgets, WIDGETS, "2026-01-13", "11:00", "build(deps): bump requests to 2.32.0", { author: BOT });

  widgets.write("src/acme/server.py", "import os\n\nCACHE = os.environ.get('ACME_PLANTED_CACHE_DIR', '/var/tmp')\n\n\ndef cache_dir():\n    return CACHE\n");
  commit(widgets, WIDGETS, "2026-01-14", "12:00", HOSTILE_TITLE, { body: HOSTILE_BODY });

  widgets.write("src/acme/api.py", "def make_widget(name):\n    return {'name': name}\n");
  commit(widgets, WIDGETS, "2026-01-15", "08:30", "refactor(api)!: remove list_widgets", { body: "BREAKING CHANGE: list_widgets is gone; keep your own list." });
  widgets.write("tests/test_api.py", "from acme.api import make_widget\n\n\ndef test_make_widget():\n    assert make_widget('a') == {'name': 'a'}\n");
  commit(widgets, WIDGETS, "2026-01-15", "16:00", "test: cover make_widget", { author: GRACE });

  widgets.write(
    "src/acme/cli.py",
    "import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n    parser.add_argument('--widget-verbose', action='store_true')\n    return parser.parse_args()\n",
  );
  commit(widgets, WIDGETS, "2026-01-16", "10:00", "feat(cli): add --widget-verbose");

  widgets.write("requirements.txt", "requests==2.32.0\nclick==8.1.7\n");
  commit(widgets, WIDGETS, "2026-01-17", "09:15", "build(deps): add click for the command line", { author: GRACE });
  widgets.write("src/acme/cli.py", "import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser(prog='widgets')\n    parser.add_argument('--widget-verbose', action='store_true')\n    return parser.parse_args()\n");
  commit(widgets, WIDGETS, "2026-01-17", "13:45", "fix(cli): name the program");

  gadgets.write("lib/gadget.py", "def gadget():\n    return 1\n");
  commit(gadgets, GADGETS, "2026-01-16", "10:00", "feat: a gadget");
  gadgets.write("lib/gadget.py", "def gadget():\n    return 2\n");
  commit(gadgets, GADGETS, "2026-01-17", "10:00", "fix: the gadget returns two");

  const runs: Array<{ repo: typeof widgets; name: string; day: string; lang: "zh-CN" | "en" }> = [
    ...WIDGET_DAYS.flatMap((day) => (["zh-CN", "en"] as const).map((lang) => ({ repo: widgets, name: WIDGETS, day, lang }))),
    ...GADGET_DAYS.map((day) => ({ repo: gadgets, name: GADGETS, day, lang: "zh-CN" as const })),
  ];
  // Runs of one repository one after another (the first reads git); the two side by side.
  const byRepo = [runs.filter((run) => run.name === WIDGETS), runs.filter((run) => run.name === GADGETS)];
  await Promise.all(
    byRepo.map(async (list) => {
      for (const run of list) {
        const result = await runCli(
          ["report", "--repo", run.repo.dir, "--name", run.name, "--date", run.day, "--tz", "UTC", "--lang", run.lang, "--out", outDir, "-f", "json", "-f", "html", "--no-fetch", "--analyzer", "rules", "--no-deliver"],
          { cwd: outDir, dataDir },
        );
        if (result.status !== 0) throw new Error(`report ${run.name} ${run.day} ${run.lang} exited ${result.status}: ${result.stderr}`);
      }
    }),
  );
  widgets.cleanup();
  gadgets.cleanup();
  const slug = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, "-");
  return {
    dataDir,
    outDir,
    commits,
    reports: {
      [WIDGETS]: WIDGET_DAYS.flatMap((day) => [`${day}--${slug(WIDGETS)}`, `${day}--${slug(WIDGETS)}.en`]),
      [GADGETS]: GADGET_DAYS.map((day) => `${day}--${slug(GADGETS)}`),
    },
    days: { [WIDGETS]: WIDGET_DAYS, [GADGETS]: GADGET_DAYS },
    byTitle(title) {
      const found = commits.find((entry) => entry.title === title);
      if (!found) throw new Error(`no planned commit titled ${title}`);
      return found;
    },
    cleanup() {
      for (const dir of [dataDir, outDir]) runCleanup(dir);
    },
  };
}

function runCleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

/** `repo-digest serve --port 0 …` as a real process; resolves once it printed the URL it listens on. */
export function startServe(dataDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, "serve", "--port", "0", ...args], {
    env: { ...process.env, REPO_DIGEST_DATA_DIR: dataDir, NO_COLOR: "1", REPO_DIGEST_SERVE_TOKEN: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s; stderr: ${stderr}`)), 20_000);
    // Ready when the URL is on stdout and, unless -q, the line saying where and how on stderr (two pipes: either may come first).
    const quiet = args.includes("-q") || args.includes("--quiet");
    const check = () => {
      const url = /^(http:\/\/\S+\/)$/m.exec(stdout)?.[1];
      if (url && (quiet || stderr.includes("repo-digest serve: listening on"))) {
        clearTimeout(timer);
        resolve({
          url,
          child,
          stdout: () => stdout,
          stderr: () => stderr,
          exited,
          stop: async () => {
            child.kill("SIGINT");
            return exited;
          },
        });
      }
    };
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code} before listening; stderr: ${stderr}`));
    });
  });
}

/** `repo-digest serve …` run to its end (for the refusals: no store, no token, a port in use). */
export function runServe(dataDir: string, args: string[], env: Record<string, string> = {}) {
  return runCli(["serve", ...args], { cwd: tmpdir(), dataDir, env: { REPO_DIGEST_SERVE_TOKEN: "", ...env } });
}
