import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { EnvironmentError, ExitCode, InputError, InternalError } from "./errors.js";
import { fromOsError, withOsErrors } from "./os-errors.js";

describe("fromOsError", () => {
  it("turns a directory where a file belongs into an input error naming the path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "os-errors-"));
    try {
      const error = await readFile(dir).catch((caught: unknown) => caught);
      const known = fromOsError(error, { doing: "reading the config", path: dir });
      expect(known).toBeInstanceOf(InputError);
      expect(known!.message).toBe(`reading the config: is a directory, not a file (${dir})`);
      expect(known!.exitCode).toBe(ExitCode.usage);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("turns a full disk into an environment error with the fix", () => {
    const error = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    const known = fromOsError(error, { doing: "writing the report", path: "/out/r.md" });
    expect(known).toBeInstanceOf(EnvironmentError);
    expect(known!.message).toBe("writing the report: no space left on the device (/out/r.md)");
    expect(known!.hint).toMatch(/free space/);
    expect(known!.exitCode).toBe(ExitCode.external);
  });

  it("turns a damaged SQLite file into an environment error", () => {
    const dir = mkdtempSync(join(tmpdir(), "os-errors-"));
    const file = join(dir, "store.sqlite");
    writeFileSync(file, "this is not a database, just text long enough to have a header page".repeat(100));
    try {
      let caught: unknown;
      try {
        new Database(file).pragma("journal_mode = WAL");
      } catch (error) {
        caught = error;
      }
      const known = fromOsError(caught, { doing: "opening the store", path: file });
      expect(known).toBeInstanceOf(EnvironmentError);
      expect(known!.message).toBe(`opening the store: the file is not an SQLite database (${file})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves known errors as they are and anything else to the caller", async () => {
    const known = new InternalError("x");
    expect(fromOsError(known)).toBe(known);
    expect(fromOsError(new TypeError("bug"))).toBeUndefined();
    await expect(withOsErrors({ doing: "x" }, () => Promise.reject(new TypeError("bug")))).rejects.toBeInstanceOf(TypeError);
  });
});
