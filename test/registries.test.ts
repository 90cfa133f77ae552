/**
 * Every adapter registry has one shape (src/registry.ts) and lists exactly the adapters of
 * its stage's folder: an adapter added without registering it, or registered without a
 * folder of its own, fails here.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ANALYZERS } from "../src/analysis/registry.js";
import { CHANNELS, CONFIGURED_CHANNEL_TYPES } from "../src/delivery/registry.js";
import { CONTEXT_PROVIDERS } from "../src/enrich/registry.js";
import { ConfigError } from "../src/errors.js";
import type { Registry } from "../src/registry.js";
import { RENDERERS } from "../src/report/registry.js";
import { SOURCES } from "../src/sources/registry.js";

const SRC = join(import.meta.dirname, "..", "src");

/** Each stage's registries, the folder its adapters live in, and the folders that hold shared code. */
const KINDS: Array<{ stage: string; registries: Array<Registry<unknown>>; shared?: string[]; folderOf?: (id: string) => string }> = [
  { stage: "sources", registries: [SOURCES] },
  { stage: "enrich", registries: [CONTEXT_PROVIDERS] },
  { stage: "analysis", registries: [ANALYZERS] },
  // Formats are named for their file extension's reader: md lives in markdown/.
  { stage: "report", registries: [RENDERERS], folderOf: (id) => (id === "md" ? "markdown" : id) },
  { stage: "delivery", registries: [CHANNELS, CONFIGURED_CHANNEL_TYPES], shared: ["chat"] },
];

function adapterFolders(stage: string, shared: readonly string[] = []): string[] {
  return readdirSync(join(SRC, stage), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !shared.includes(entry.name))
    .map((entry) => entry.name)
    .sort();
}

describe("adapter registries", () => {
  it.each(KINDS)("$stage: one adapter per folder, each registered by its id", ({ stage, registries, shared, folderOf }) => {
    const ids = registries.flatMap((registry) => [...registry.ids]).map(folderOf ?? ((id) => id));
    expect(ids.sort()).toEqual(adapterFolders(stage, shared));
  });

  it.each(KINDS)("$stage: an unknown id is a config error naming the known ones", ({ registries }) => {
    for (const registry of registries) {
      let error: unknown;
      try {
        registry.get("no-such-adapter");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain("no-such-adapter");
      for (const id of registry.ids) expect((error as ConfigError).allowed).toContain(id);
    }
  });
});
