import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, InputError } from "../errors.js";
import { openConfiguredStore } from "./open-configured-store.js";
import { freshDatabase, type FreshDatabase } from "../../test/support/services.js";
import { makeTempDir } from "../../test/support/store/fixtures.js";

let dir: string;
let sqliteFile: string;

beforeEach(() => {
  dir = makeTempDir();
  sqliteFile = path.join(dir, "data", "repo-digest.sqlite");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("openConfiguredStore", () => {
  it("opens the SQLite file in the data directory when no URL is set", async () => {
    const store = await openConfiguredStore({ sqliteFile });
    expect(store.kind).toBe("sqlite");
    await store.upsertRepository("/src/app", "app");
    await store.close();
    expect(fs.existsSync(sqliteFile)).toBe(true);
  });

  it("opens the SQLite file read-only when asked: a missing one is refused, not created", async () => {
    await expect(openConfiguredStore({ sqliteFile, readOnly: true })).rejects.toThrow(InputError);
    expect(fs.existsSync(sqliteFile)).toBe(false);
    await (await openConfiguredStore({ sqliteFile })).close();
    const reader = await openConfiguredStore({ sqliteFile, readOnly: true });
    expect(await reader.listRepositories()).toEqual([]);
    await expect(reader.upsertRepository("/src/app", "app")).rejects.toThrow(/was opened read-only/);
    await reader.close();
  });

  describe("with a PostgreSQL URL", () => {
    let database: FreshDatabase;
    beforeEach(async () => {
      database = await freshDatabase();
    });
    afterEach(async () => {
      await database.drop();
    });

    it("opens the database for postgres:// and postgresql://, and leaves the SQLite file alone", async () => {
      for (const url of [database.url, database.url.replace(/^postgres:/, "postgresql:")]) {
        const store = await openConfiguredStore({ url, sqliteFile });
        expect(store.kind).toBe("postgres");
        expect((await store.upsertRepository("/src/app", "app")).id).toBe(1);
        await store.close();
      }
      expect(fs.existsSync(path.dirname(sqliteFile))).toBe(false);
    });

    it("opens the database read-only when asked: an empty one is refused, not migrated", async () => {
      await expect(openConfiguredStore({ url: database.url, sqliteFile, readOnly: true })).rejects.toThrow(/no repo-digest store in this database yet/);
      await (await openConfiguredStore({ url: database.url, sqliteFile })).close();
      const reader = await openConfiguredStore({ url: database.url, sqliteFile, readOnly: true });
      expect(reader.kind).toBe("postgres");
      await expect(reader.upsertRepository("/src/app", "app")).rejects.toThrow(/was opened read-only/);
      await reader.close();
    });
  });

  it("refuses any other URL in one line naming the accepted forms, without its password", async () => {
    for (const url of ["mysql://admin:hunter2@db.example.com/digest", "sqlite:///var/lib/digest.db", "admin:hun/ter2@db.example.com"]) {
      const error = await openConfiguredStore({ url, sqliteFile }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/^store: .* is not allowed; expected postgres:\/\/user:password@host:port\/database \(or postgresql:\/\/…\), or nothing for the SQLite file/);
      expect(message).not.toMatch(/hunter2|hun\/ter2/);
      expect(message).not.toContain("\n");
      expect((error as ConfigError).hint).toMatch(/`store:`.*REPO_DIGEST_DATABASE_URL/);
    }
  });
});
