/**
 * node --import tsx bench/store-save.bench.ts [--rounds N] [--database-url postgres://…]
 *
 * `saveCommits` of a 1,000-commit history with its facts (4 files and 6 KB of patch a commit),
 * SQLite (a new file) against PostgreSQL (a new database on the server of --database-url,
 * default REPO_DIGEST_TEST_DATABASE_URL, e.g. from `bash scripts/services.sh start`): one call
 * of 1,000, and the pipeline's way, five calls of 200. Alternated rounds, medians.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openStore } from "../src/store/open-store.js";
import { openPostgresStore } from "../src/store/postgres/postgres-store.js";
import type { Store } from "../src/store/types.js";
import { makeCommit, makeFacts, makeFile, makeSha, makeTempDir } from "../test/support/store/fixtures.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, "database-url": { type: "string" } } });
const rounds = Number(values.rounds);
const adminUrl = values["database-url"] ?? process.env.REPO_DIGEST_TEST_DATABASE_URL;
if (!adminUrl) throw new Error("store-save bench: pass --database-url or set REPO_DIGEST_TEST_DATABASE_URL (bash scripts/services.sh start)");

const COMMITS = 1000;
const hunk = Array.from({ length: 30 }, (_, line) => `+const value${line} = compute(${line}, "some text to make a line");`).join("\n");
const history = Array.from({ length: COMMITS }, (_, index) => {
  const commit = makeCommit({
    sha: makeSha(10_000 + index),
    parents: [makeSha(10_000 + index - 1)],
    files: Array.from({ length: 4 }, (_, file) => makeFile({ path: `src/module${file}/file${index}.ts`, patch: `@@ -1,0 +1,30 @@\n${hunk}\n`, additions: 30, deletions: 0 })),
  });
  return { commit, facts: makeFacts(commit.sha) };
});

interface Place {
  open(): Promise<Store>;
  drop(): Promise<void>;
}

function sqlitePlace(): Place {
  const dir = makeTempDir();
  return { open: async () => openStore(path.join(dir, "bench.sqlite")), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function postgresPlace(round: number, batch: number): Promise<Place> {
  const name = `rd_bench_${process.pid}_${round}_${batch}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  return { open: () => openPostgresStore(url.toString()), drop: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) };
}

/** ms to save the history in calls of `batch` commits, on a new, migrated store. */
async function timeSave(place: Place, batch: number): Promise<number> {
  const store = await place.open();
  try {
    const repo = await store.upsertRepository("/bench", "bench");
    const start = performance.now();
    for (let from = 0; from < history.length; from += batch) await store.saveCommits(repo.id, history.slice(from, from + batch), "bench");
    const ms = performance.now() - start;
    const known = await store.knownCommits(repo.id, history.map((entry) => entry.commit.sha), "bench");
    if (known.size !== COMMITS) throw new Error(`store-save bench: ${known.size} of ${COMMITS} commits saved`);
    return ms;
  } finally {
    await store.close();
    await place.drop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const timings: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) {
  for (const batch of [COMMITS, 200]) {
    (timings[`sqlite ${batch}`] ??= []).push(await timeSave(sqlitePlace(), batch));
    (timings[`postgres ${batch}`] ??= []).push(await timeSave(await postgresPlace(round, batch), batch));
  }
}
for (const batch of [COMMITS, 200]) {
  const sqlite = median(timings[`sqlite ${batch}`]!);
  const postgres = median(timings[`postgres ${batch}`]!);
  console.log(
    `saveCommits of ${COMMITS} commits with facts, calls of ${batch}: SQLite ${sqlite.toFixed(0)} ms, PostgreSQL ${postgres.toFixed(0)} ms (${(postgres / sqlite).toFixed(2)}x), median of ${rounds}`,
  );
}
