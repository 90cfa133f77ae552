/**
 * The real PostgreSQL and Redis of the tests and benches (scripts/services.sh, started for each
 * `vitest run` by test/support/global-setup.ts). A test that needs them fails when they are not
 * there; it never skips.
 *
 * Isolation, so that test files can run in parallel on one server each:
 * - PostgreSQL: `freshDatabase()` creates an empty database of its own for each test.
 * - Redis: `freshRedisPrefix()` gives a unique key prefix, not a db index (16 of them would be
 *   shared by parallel files and FLUSHDB would wipe a neighbour's keys). Use it as ioredis'
 *   `keyPrefix: `${prefix}:`` or BullMQ's `prefix: prefix` (BullMQ adds the `:`); `clear()`
 *   deletes every key under it.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

export const DATABASE_URL_ENV = "REPO_DIGEST_TEST_DATABASE_URL";
export const REDIS_URL_ENV = "REPO_DIGEST_TEST_REDIS_URL";
/** Set by global-setup.ts when scripts/services.sh could not start: the reason, one line. */
export const SERVICES_ERROR_ENV = "REPO_DIGEST_TEST_SERVICES_ERROR";

export interface TestServices {
  /** `postgres://postgres@127.0.0.1:PORT/repo_digest_test`, a superuser with trust auth. */
  databaseUrl: string;
  /** `redis://127.0.0.1:PORT`. */
  redisUrl: string;
}

export interface FreshDatabase {
  url: string;
  /** Drops the database, closing connections still open on it. */
  drop(): Promise<void>;
}

export interface RedisNamespace {
  redisUrl: string;
  /** Unique to this call: `rd-test-<pid>-<hex>`, without a trailing `:`. */
  prefix: string;
  /** Deletes every key that starts with the prefix. */
  clear(): Promise<void>;
}

function readUrl(name: string, protocols: string[], env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) {
    const failure = env[SERVICES_ERROR_ENV];
    if (failure) throw new Error(`test services: PostgreSQL and Redis did not start for this run: ${failure}`);
    throw new Error(
      `test services: ${name} is not set: run the tests with vitest (test/support/global-setup.ts starts PostgreSQL and Redis), or export the lines of \`bash scripts/services.sh start\``,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`test services: ${name}=${value} is not a URL: use the line printed by \`bash scripts/services.sh start\``);
  }
  if (!protocols.includes(url.protocol)) {
    throw new Error(`test services: ${name}=${value} is not a ${protocols.join(" or ")} URL: use the line printed by \`bash scripts/services.sh start\``);
  }
  return value;
}

export async function testServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  return {
    databaseUrl: readUrl(DATABASE_URL_ENV, ["postgres:", "postgresql:"], env),
    redisUrl: readUrl(REDIS_URL_ENV, ["redis:"], env),
  };
}

/** `rd_test_<pid>_<hex>`: unique across parallel workers and repeated runs. */
function uniqueName(separator: string): string {
  return ["rd", "test", process.pid, randomBytes(6).toString("hex")].join(separator);
}

/** A new, empty database on the test server; `drop()` it when the test ends. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const { databaseUrl } = await testServices();
  const name = uniqueName("_");
  await withAdmin(databaseUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A key prefix of its own on the test Redis; `clear()` it when the test ends. */
export async function freshRedisPrefix(): Promise<RedisNamespace> {
  const { redisUrl } = await testServices();
  const prefix = uniqueName("-");
  return {
    redisUrl,
    prefix,
    async clear() {
      // A client without keyPrefix: ioredis does not prefix SCAN patterns.
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== "0");
      } finally {
        await redis.quit();
      }
    },
  };
}
