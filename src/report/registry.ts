/**
 * The report renderers by format, one folder each. A format named in config or on the
 * command line is looked up here and nowhere else.
 */
import { createRegistry } from "../registry.js";
import { renderer as htmlRenderer } from "./html/renderer.js";
import { renderer as jsonRenderer } from "./json/renderer.js";
import { renderer as markdownRenderer } from "./markdown/renderer.js";
import type { RenderedReport } from "../delivery/types.js";
import type { Renderer, Report, ReportFormat } from "./types.js";

export const RENDERERS = createRegistry<Renderer, ReportFormat>(
  "format",
  [markdownRenderer, jsonRenderer, htmlRenderer].map((renderer) => [renderer.id, renderer] as const),
);

export function getRenderer(format: string, key = "format"): Renderer {
  return RENDERERS.get(format, key);
}

/** Each of these formats rendered once, in this order; all of them when `formats` is undefined. */
export function renderFormats(report: Report, name: string, formats: Iterable<ReportFormat> = RENDERERS.ids): RenderedReport[] {
  return [...new Set(formats)].map((format) => {
    const renderer = getRenderer(format);
    return { name, format, extension: renderer.extension, content: renderer.render(report) };
  });
}
