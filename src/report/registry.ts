/**
 * The report renderers by format, one folder each. A format named in config or on the
 * command line is looked up here and nowhere else.
 */
import { ConfigError } from "../errors.js";
import { renderer as htmlRenderer } from "./html/renderer.js";
import { renderer as jsonRenderer } from "./json/renderer.js";
import { renderer as markdownRenderer } from "./markdown/renderer.js";
import type { Renderer, ReportFormat } from "./types.js";

export const renderers: ReadonlyMap<ReportFormat, Renderer> = new Map<ReportFormat, Renderer>(
  [markdownRenderer, jsonRenderer, htmlRenderer].map((renderer) => [renderer.id, renderer]),
);

export function getRenderer(format: string, key = "format"): Renderer {
  const renderer = renderers.get(format as ReportFormat);
  if (!renderer) throw new ConfigError(key, format, `one of ${[...renderers.keys()].join(", ")}`);
  return renderer;
}
