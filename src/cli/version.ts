import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package version, from the nearest package.json above this file: dist/ in the
 * published bundle, src/cli/ in development.
 */
export const VERSION: string = readOwnVersion(dirname(fileURLToPath(import.meta.url)));

function readOwnVersion(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "repo-digest" && manifest.version) return manifest.version;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of repo-digest above ${start}`);
  }
}
