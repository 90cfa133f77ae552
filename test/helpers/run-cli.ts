/**
 * Runs the CLI as a user does: a real Node process on src/cli/main.ts (through tsx),
 * asynchronously, so that local servers in the test process can answer it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
// Resolved here, not by node from the child's cwd: tests run the CLI from temporary folders.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd: string; dataDir: string; env?: Record<string, string>; onChild?: (child: ChildProcess) => void },
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, REPO_DIGEST_DATA_DIR: options.dataDir, NO_COLOR: "1", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    options.onChild?.(child);
  });
}
