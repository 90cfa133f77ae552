/**
 * Runs the CLI on a real pseudo-terminal, as a user at a shell does: python3's pty module
 * forks the process with a terminal of the given size as its stdin, stdout and stderr
 * (one stream, as a terminal shows them). Output is capped so that a runaway redraw
 * fails the test instead of filling the disk.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const MAX_OUTPUT = 2 * 1024 * 1024;
/** What Node's `getColorDepth` and `is-interactive` read to detect a CI runner. */
const CI_VARIABLES = ["CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID", "GITHUB_ACTIONS", "GITLAB_CI", "TRAVIS", "CIRCLECI", "APPVEYOR", "BUILDKITE", "DRONE", "TEAMCITY_VERSION", "CI_NAME"];

const PTY_SCRIPT = String.raw`
import fcntl, os, pty, struct, sys, termios
rows, cols, limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(sys.argv[4], sys.argv[4:])
total = 0
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    total += len(chunk)
    if total > limit:
        os.kill(pid, 9)
        sys.stdout.buffer.write(b"\n[run-in-terminal: output over the limit, killed]\n")
        break
    sys.stdout.buffer.write(chunk)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
`;

export interface TerminalRun {
  status: number | null;
  /** stdout and stderr as the terminal showed them, escape sequences included. */
  output: string;
}

export function runInTerminal(
  args: string[],
  options: { cwd: string; dataDir: string; env?: Record<string, string | undefined>; columns?: number },
): Promise<TerminalRun> {
  // A user's shell, not the CI runner's: `CI` (and the CI vendors' markers) make Node report
  // no colours and ora treat the terminal as non-interactive, so they are cleared unless a
  // test sets them.
  const ciMarkers = Object.fromEntries(CI_VARIABLES.map((name) => [name, undefined]));
  const env: Record<string, string | undefined> = { ...process.env, ...ciMarkers, REPO_DIGEST_DATA_DIR: options.dataDir, TERM: "xterm-256color", ...options.env };
  // The test runner's own settings must not decide what the terminal shows.
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise((resolve) => {
    const child = spawn(
      "python3",
      ["-c", PTY_SCRIPT, "40", String(options.columns ?? 120), String(MAX_OUTPUT), process.execPath, "--import", TSX_LOADER, MAIN, ...args],
      { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (status) => resolve({ status, output }));
  });
}
