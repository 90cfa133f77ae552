/**
 * vitest globalSetup: real PostgreSQL and Redis for this `vitest run` (scripts/services.sh).
 *
 * Each run gets services of its own, in a fresh state folder, stopped in teardown: two runs at
 * once (two checkouts, two engineers in one checkout) never share, and never stop each other's.
 * A caller that exports both REPO_DIGEST_TEST_*_URL (say from `bash scripts/services.sh start`)
 * keeps its own services: nothing is started or stopped.
 *
 * The URLs reach the tests through process.env: vitest builds the workers' environment from
 * process.env after globalSetup has run (vitest 4, `pool.ts`: `{ ...process.env, ...env }`).
 * If the services cannot start, the run goes on and the tests that need them fail with the
 * reason (test/support/services.ts), like the browser tests without a browser.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DATABASE_URL_ENV, REDIS_URL_ENV, SERVICES_ERROR_ENV } from "./services.js";

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "..", "..", "scripts", "services.sh");
/** `repo-digest-services-vitest-<pid of the vitest process>-XXXXXX`, under the temp dir. */
const RUN_DIR_PREFIX = "repo-digest-services-vitest-";

async function services(command: "start" | "stop", dir: string): Promise<string> {
  const { stdout } = await run("bash", [SCRIPT, command], {
    env: { ...process.env, REPO_DIGEST_SERVICES_DIR: dir },
    timeout: 120_000,
  });
  return stdout;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Stops the services of runs that were killed before their teardown (Ctrl-C twice, kill -9). */
async function stopAbandonedRuns(): Promise<void> {
  const abandoned = readdirSync(tmpdir()).filter((name) => {
    const pid = Number(/^repo-digest-services-vitest-(\d+)-[^.]+$/.exec(name)?.[1]);
    return pid > 0 && pid !== process.pid && !isAlive(pid);
  });
  await Promise.all(abandoned.map((name) => services("stop", join(tmpdir(), name)).catch(() => undefined)));
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[DATABASE_URL_ENV] && process.env[REDIS_URL_ENV]) return undefined;
  await stopAbandonedRuns();
  const dir = mkdtempSync(join(tmpdir(), `${RUN_DIR_PREFIX}${process.pid}-`));
  let stdout: string;
  try {
    stdout = await services("start", dir);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    const reason = stderr.split("\n").at(-1) || String(error);
    process.env[SERVICES_ERROR_ENV] = reason;
    process.stderr.write(`global-setup: PostgreSQL and Redis did not start (${reason}); the tests that need them will fail\n`);
    await services("stop", dir).catch(() => undefined);
    return undefined;
  }
  for (const line of stdout.split("\n")) {
    const match = /^(REPO_DIGEST_TEST_[A-Z_]+_URL)=(.+)$/.exec(line.trim());
    if (match) process.env[match[1]!] = match[2]!;
  }
  return async () => {
    await services("stop", dir);
  };
}
