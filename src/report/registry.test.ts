import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { getRenderer, RENDERERS } from "./registry.js";
import { sampleReport } from "../../test/support/report/fixtures.js";
import type { Renderer } from "./types.js";

describe("renderer registry", () => {
  it("registers the renderer of every folder under src/report/", async () => {
    const folders = readdirSync(new URL(".", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("__"))
      .map((entry) => entry.name);
    expect(folders).toEqual(expect.arrayContaining(["json", "markdown"]));
    for (const folder of folders) {
      const module = (await import(`./${folder}/renderer.ts`)) as { renderer: Renderer };
      expect(getRenderer(module.renderer.id)).toBe(module.renderer);
    }
    expect(RENDERERS.ids.length).toBe(folders.length);
  });

  it("renders the sample report in every format", () => {
    for (const [, renderer] of RENDERERS.entries()) {
      expect(renderer.render(sampleReport("en")).length).toBeGreaterThan(0);
      expect(renderer.extension).toMatch(/^[a-z]+$/);
    }
  });

  it("rejects an unknown format, naming the known ones", () => {
    expect(() => getRenderer("pdf")).toThrow(ConfigError);
    expect(() => getRenderer("pdf")).toThrow(/md, json, html/);
  });
});
