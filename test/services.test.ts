/**
 * The real PostgreSQL and Redis of the tests (scripts/services.sh, test/support/global-setup.ts,
 * test/support/services.ts): the URLs reach the workers and answer, both servers listen on
 * 127.0.0.1 only, each test gets an empty database and a key prefix of its own, and the script
 * itself starts idempotently, recovers from a killed server, stops cleanly and refuses a
 * folder it did not make.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { DATABASE_URL_ENV, freshDatabase, freshRedisPrefix, REDIS_URL_ENV, SERVICES_ERROR_ENV, testServices } from "./support/services.js";

const SCRIPT = resolve(import.meta.dirname, "..", "scripts", "services.sh");
const PG_BIN = "/usr/lib/postgresql/15/bin";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    return await run(redis);
  } finally {
    await redis.quit();
  }
}

/** Resolves with the connection's error code, or "connected". */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      done("timeout");
    });
    socket.once("connect", () => {
      socket.destroy();
      done("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** This machine's addresses that are not loopback: nothing of the tests may answer there. */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.internal && info.family === "IPv4")
    .map((info) => info!.address);
}

describe("the services of this run", () => {
  it("reach the test workers through the environment, and answer", async () => {
    const { databaseUrl, redisUrl } = await testServices();
    expect(process.env[DATABASE_URL_ENV]).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/repo_digest_test$/);
    expect(process.env[REDIS_URL_ENV]).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await query<{ one: number }>(databaseUrl, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    const [version] = await query<{ server_version_num: string }>(databaseUrl, "SHOW server_version_num");
    expect(Number(version!.server_version_num)).toBeGreaterThanOrEqual(150000);
    expect(await withRedis(redisUrl, (redis) => redis.ping())).toBe("PONG");
  });

  it("listen on 127.0.0.1 only", async () => {
    const { databaseUrl, redisUrl } = await testServices();
    expect(await query(databaseUrl, "SHOW listen_addresses")).toEqual([{ listen_addresses: "127.0.0.1" }]);
    expect(await query(databaseUrl, "SHOW unix_socket_directories")).toEqual([{ unix_socket_directories: "" }]);
    const config = await withRedis(redisUrl, async (redis) => [await redis.config("GET", "bind"), await redis.config("GET", "protected-mode")]);
    expect(config).toEqual([
      ["bind", "127.0.0.1"],
      ["protected-mode", "yes"],
    ]);
    // And, where this machine has another address, nothing answers on it.
    for (const address of externalAddresses()) {
      for (const port of [Number(new URL(databaseUrl).port), Number(new URL(redisUrl).port)]) {
        expect(await tryConnect(address, port), `${address}:${port}`).not.toBe("connected");
      }
    }
  });

  it("give each test an empty database of its own, dropped by drop()", async () => {
    // At once, as parallel test files do.
    const [first, second, ...others] = await Promise.all(Array.from({ length: 6 }, () => freshDatabase()));
    if (!first || !second) throw new Error("unreachable");
    await Promise.all(others.map((database) => database.drop()));
    try {
      expect(new Set([first, second, ...others].map((database) => database.url)).size).toBe(6);
      const tables = "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')";
      expect(await query(first.url, tables)).toEqual([{ n: 0 }]);
      expect(await query(second.url, tables)).toEqual([{ n: 0 }]);
      await query(first.url, "CREATE TABLE only_in_first (id int)");
      expect(await query(first.url, tables)).toEqual([{ n: 1 }]);
      expect(await query(second.url, tables)).toEqual([{ n: 0 }]);
    } finally {
      // A connection still open on it does not stop the drop.
      const lingering = new pg.Client({ connectionString: first.url });
      await lingering.connect();
      lingering.on("error", () => undefined);
      await first.drop();
      await second.drop();
      await lingering.end().catch(() => undefined);
    }
    const { databaseUrl } = await testServices();
    const names = (await query<{ datname: string }>(databaseUrl, "SELECT datname FROM pg_database")).map((row) => row.datname);
    expect(names).not.toContain(new URL(first.url).pathname.slice(1));
    expect(names).not.toContain(new URL(second.url).pathname.slice(1));
  });

  it("give each test a key prefix of its own, cleared by clear()", async () => {
    const first = await freshRedisPrefix();
    const second = await freshRedisPrefix();
    expect(first.prefix).not.toBe(second.prefix);
    const key = (prefix: string, n: number) => `${prefix}:key-${n}`;
    await withRedis(first.redisUrl, async (redis) => {
      // More keys than one SCAN page.
      for (let n = 0; n < 1200; n++) await redis.set(key(first.prefix, n), "1");
      await redis.set(key(second.prefix, 0), "2");
    });
    await first.clear();
    const left = await withRedis(first.redisUrl, async (redis) => [await redis.exists(key(first.prefix, 0), key(first.prefix, 1199)), await redis.get(key(second.prefix, 0))]);
    expect(left).toEqual([0, "2"]);
    await second.clear();
    expect(await withRedis(second.redisUrl, (redis) => redis.exists(key(second.prefix, 0)))).toBe(0);
  });
});

describe("test/support/services.ts without services", () => {
  it("fails, naming the variable, when the URLs are missing", async () => {
    await expect(testServices({})).rejects.toThrow(`test services: ${DATABASE_URL_ENV} is not set`);
    await expect(testServices({ [DATABASE_URL_ENV]: "postgres://127.0.0.1:1/x" })).rejects.toThrow(`${REDIS_URL_ENV} is not set`);
    await expect(testServices({ [DATABASE_URL_ENV]: "http://x", [REDIS_URL_ENV]: "redis://x" })).rejects.toThrow("is not a postgres: or postgresql: URL");
  });

  it("fails with the reason the services did not start", async () => {
    await expect(testServices({ [SERVICES_ERROR_ENV]: "services: initdb failed: disk full" })).rejects.toThrow(
      "test services: PostgreSQL and Redis did not start for this run: services: initdb failed: disk full",
    );
  });
});

describe("scripts/services.sh", () => {
  const parents: string[] = [];
  afterAll(() => {
    for (const parent of parents) {
      spawnSync("bash", [SCRIPT, "stop"], { env: { ...process.env, REPO_DIGEST_SERVICES_DIR: join(parent, "services") } });
      rmSync(parent, { recursive: true, force: true });
    }
  });

  /** A new state folder path (not created), in a parent that the postgres user can enter. */
  function folder(): string {
    const parent = mkdtempSync(join(tmpdir(), "repo-digest-services-test-"));
    chmodSync(parent, 0o755);
    parents.push(parent);
    return join(parent, "services");
  }

  function services(command: string, dir: string, env: Record<string, string> = {}) {
    return spawnSync("bash", [SCRIPT, command], { env: { ...process.env, REPO_DIGEST_SERVICES_DIR: dir, ...env }, encoding: "utf8" });
  }

  /** The two lines of `start`, read the way a shell's `set -a; . env` reads them. */
  async function urls(stdout: string): Promise<{ databaseUrl: string; redisUrl: string }> {
    const env = Object.fromEntries(stdout.trim().split("\n").map((line) => line.split(/=(.*)/, 2) as [string, string]));
    expect(Object.keys(env)).toEqual([DATABASE_URL_ENV, REDIS_URL_ENV]);
    return testServices(env);
  }

  async function expectAnswers({ databaseUrl, redisUrl }: { databaseUrl: string; redisUrl: string }): Promise<void> {
    expect(await query(databaseUrl, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(await withRedis(redisUrl, (redis) => redis.ping())).toBe("PONG");
  }

  it("starts once, restarts what was killed, and stops removing its folder", async () => {
    const dir = folder();
    const started = services("start", dir);
    expect(started.stderr).toBe("");
    expect(started.status).toBe(0);
    await expectAnswers(await urls(started.stdout));

    // Already running: the same services, the same lines.
    const again = services("start", dir);
    expect([again.status, again.stdout]).toEqual([0, started.stdout]);
    expect(services("env", dir).stdout).toBe(started.stdout);
    expect(readFileSync(join(dir, "env"), "utf8")).toBe(started.stdout);

    // A server that died is not "running": start brings both up again.
    const redisPid = /^REDIS_PID=(\d+)$/m.exec(readFileSync(join(dir, "state"), "utf8"))![1]!;
    execFileSync("kill", ["-9", redisPid]);
    expect(services("env", dir).status).toBe(1);
    const restarted = services("start", dir);
    expect(restarted.status).toBe(0);
    const after = await urls(restarted.stdout);
    await expectAnswers(after);

    const stopped = services("stop", dir);
    expect(stopped.status).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    expect(await tryConnect("127.0.0.1", Number(new URL(after.databaseUrl).port))).toBe("ECONNREFUSED");
    expect(await tryConnect("127.0.0.1", Number(new URL(after.redisUrl).port))).toBe("ECONNREFUSED");
    const env = services("env", dir);
    expect([env.status, env.stderr.trim()]).toEqual([1, `services: no services are running in ${dir}: run: bash scripts/services.sh start`]);
    // Stopping what is stopped is not an error.
    expect(services("stop", dir).status).toBe(0);
  });

  it("stops what it started when a start fails half-way, and says why in one line", () => {
    // A redis-server that cannot start (the way a bad build or a broken config fails), first on PATH.
    const dir = folder();
    const bin = join(dir, "..", "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "redis-server"), '#!/bin/sh\necho "redis-server: cannot start" >&2\nexit 1\n', { mode: 0o755 });
    const result = services("start", dir, { PATH: `${bin}:${process.env.PATH}` });
    expect([result.status, result.stdout]).toEqual([1, ""]);
    expect(result.stderr.trim().split("\n")).toEqual([`services: Redis did not start: redis-server: cannot start (log: ${dir}/redis/server.log)`]);
    // PostgreSQL had started first: it was stopped.
    const pgPort = Number(/^PG_PORT=(\d+)$/m.exec(readFileSync(join(dir, "state"), "utf8"))![1]);
    expect(spawnSync(join(PG_BIN, "pg_isready"), ["-h", "127.0.0.1", "-p", String(pgPort)]).status).toBe(2);
    expect(existsSync(join(dir, "pg", "data", "postmaster.pid"))).toBe(false);
  });

  it("refuses a folder it did not make, and leaves it alone", () => {
    const dir = folder();
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    for (const command of ["start", "stop"]) {
      const result = services(command, dir);
      expect([result.status, result.stderr.trim()]).toEqual([1, `services: ${dir} is not empty and was not made by this script: set REPO_DIGEST_SERVICES_DIR to a new folder`]);
    }
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
  });

  it("install says in one line that it needs root when the servers are missing", () => {
    // A copy `nobody` can read, and a PostgreSQL folder that does not exist.
    const dir = folder();
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const copy = join(dir, "services.sh");
    copyFileSync(SCRIPT, copy);
    const result = spawnSync("runuser", ["-u", "nobody", "--", "bash", copy, "install"], {
      env: { ...process.env, REPO_DIGEST_PG_BIN: join(dir, "no-postgres") },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "services: PostgreSQL 15 or Redis is missing and only root can install them: run as root: apt-get install -y postgresql-15 redis-server (or set REPO_DIGEST_PG_BIN to the folder of initdb)",
    ]);
  });

  it("install does nothing when both are there", () => {
    const result = spawnSync("bash", [SCRIPT, "install"], { encoding: "utf8" });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "", ""]);
  });
});
