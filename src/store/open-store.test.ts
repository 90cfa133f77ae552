import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EnvironmentError, InputError, InternalError } from "../errors.js";
import { MIGRATIONS, SCHEMA_VERSION, migrateDatabase, readUserVersion } from "./migrations.js";
import { BUSY_TIMEOUT_MS, openDatabase, openStore } from "./open-store.js";
import { makeTempDir } from "../../test/support/store/fixtures.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, "data", "nested", "repo-digest.sqlite");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("openDatabase", () => {
  it("creates the parent folder and applies every migration to a new file", () => {
    const db = openDatabase(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(readUserVersion(db)).toBe(SCHEMA_VERSION);
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => (row as { name: string }).name);
    // search_text is the FTS5 table; SQLite keeps its index in the four search_text_* tables.
    expect(tables).toEqual([
      "analyses",
      "cache",
      "commits",
      "daemon_attempts",
      "daemon_days",
      "deliveries",
      "facts",
      "files",
      "report_models",
      "reports",
      "repositories",
      "runs",
      "search_churn",
      "search_entries",
      "search_terms",
      "search_text",
      "search_text_config",
      "search_text_data",
      "search_text_docsize",
      "search_text_idx",
    ]);
    db.close();
  });

  it("sets WAL, foreign keys and a busy timeout", () => {
    const db = openDatabase(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(BUSY_TIMEOUT_MS);
    db.close();
  });

  it("re-opens an existing file without migrating it again and keeps its data", async () => {
    const first = openStore(file);
    const repo = await first.upsertRepository("/src/app", "app");
    await first.close();

    const db = openDatabase(file);
    expect(readUserVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    const second = openStore(file);
    expect(await second.upsertRepository("/src/app", "app")).toEqual(repo);
    await second.close();
  });

  it("refuses a database written by a newer version, naming the file", () => {
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    let caught: unknown;
    try {
      openStore(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.message).toContain(file);
    expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(error.message).not.toContain("\n");
    expect(error.hint).toMatch(/upgrade repo-digest/i);
  });

  it("refuses a file that is not a SQLite database with an environment error (exit 3)", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "this is not a database, just text that is long enough to fill a header".repeat(10));
    expect(() => openStore(file)).toThrow(EnvironmentError);
  });

  it("opens an in-memory database", async () => {
    const store = openStore(":memory:");
    expect((await store.upsertRepository("/a", "a")).id).toBe(1);
    await store.close();
  });
});

describe("openStore read-only (the web app)", () => {
  const refusal = (open: () => unknown): InputError => {
    try {
      open();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).not.toContain("\n");
      return error as InputError;
    }
    throw new Error("opening read-only succeeded");
  };

  it("creates nothing where there is no store: no file, no folder", () => {
    const error = refusal(() => openStore(file, { readonly: true }));
    expect(error.message).toBe(`opening the store: no store at ${file} yet`);
    expect(error.hint).toMatch(/run `repo-digest report` once/);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it("opens a store whose writer has closed (no -wal or -shm left), and leaves its schema and mode alone", async () => {
    const writer = openStore(file);
    await writer.upsertRepository("/src/app", "app");
    await writer.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const before = fs.readFileSync(file);

    const reader = openStore(file, { readonly: true });
    expect(await reader.listRepositories()).toEqual([{ id: 1, location: "/src/app", name: "app" }]);
    await reader.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses a store of an older or a newer schema, migrating nothing", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const raw = new Database(file);
    migrateDatabase(raw, file, MIGRATIONS.slice(0, SCHEMA_VERSION - 1));
    raw.close();
    const older = refusal(() => openStore(file, { readonly: true }));
    expect(older.message).toBe(`${file}: the store's schema is version ${SCHEMA_VERSION - 1}, older than this repo-digest's (${SCHEMA_VERSION})`);
    const check = new Database(file, { readonly: true });
    expect(readUserVersion(check)).toBe(SCHEMA_VERSION - 1);
    check.close();

    openDatabase(file).close();
    const newer = new Database(file);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    expect(refusal(() => openStore(file, { readonly: true })).message).toMatch(/schema version \d+ is newer than this repo-digest knows/);
  });

  it("refuses an in-memory store, which would be empty", () => {
    expect(() => openStore(":memory:", { readonly: true })).toThrow(InternalError);
  });
});

describe("migrateDatabase", () => {
  it("applies only the migrations a database lacks", () => {
    const db = new Database(path.join(dir, "partial.sqlite"));
    migrateDatabase(db, "partial.sqlite", MIGRATIONS);
    migrateDatabase(db, "partial.sqlite", [...MIGRATIONS, "CREATE TABLE extra (id INTEGER PRIMARY KEY);"]);
    expect(readUserVersion(db)).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT count(*) AS n FROM extra").get()).toEqual({ n: 0 });
    db.close();
  });

  it("rolls a failing migration back, version included", () => {
    const db = new Database(path.join(dir, "failing.sqlite"));
    migrateDatabase(db, "failing.sqlite", MIGRATIONS);
    const broken = [...MIGRATIONS, "CREATE TABLE half (id INTEGER); INSERT INTO missing VALUES (1);"];
    expect(() => migrateDatabase(db, "failing.sqlite", broken)).toThrow(/missing/);
    expect(readUserVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });
});

describe("two processes on one data directory", () => {
  it("waits for another process's write lock instead of failing", async () => {
    openDatabase(file).close();
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const holdMs = 600;
    // A separate process holds the write lock for a while, as a second `repo-digest run` would.
    const script = `
      const Database = require(process.argv[1]);
      const db = new Database(process.argv[2]);
      db.exec("BEGIN IMMEDIATE");
      db.prepare("INSERT INTO repositories (location, name) VALUES ('/held', 'held')").run();
      process.stdout.write("locked\\n");
      setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${holdMs});
    `;
    const child = spawn(process.execPath, ["-e", script, driver, file], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("locked")) resolve();
      });
      child.on("exit", () => reject(new Error("child exited before taking the lock")));
    });

    const started = Date.now();
    const store = openStore(file);
    await store.upsertRepository("/waiting", "waiting");
    expect(Date.now() - started).toBeGreaterThanOrEqual(holdMs / 2);
    expect((await store.upsertRepository("/held", "held")).id).toBe(1);
    await store.close();
    expect(await exited).toBe(0);
  });
});
