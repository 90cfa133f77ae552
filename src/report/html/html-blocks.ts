/** Building blocks shared by the parts of the HTML report. Cells and items are HTML already. */
import type { AnchorPlan } from "../markdown/anchors.js";
import type { Labels } from "../markdown/labels.js";
import type { Report } from "../types.js";
import { escapeHtml } from "./escape-html.js";
import type { HtmlLabels } from "./labels.js";

export interface HtmlContext {
  report: Report;
  labels: Labels;
  html: HtmlLabels;
  anchors: AnchorPlan;
  isRange: boolean;
}

/** Labels of a pull request or issue, as small tags. */
export function renderChips(texts: readonly string[]): string {
  return texts.map((text) => `<span class="chip">${escapeHtml(text)}</span>`).join(" ");
}

export function renderList(itemsHtml: readonly string[], tag: "ul" | "ol" = "ul", className?: string): string {
  const open = className ? `<${tag} class="${className}">` : `<${tag}>`;
  return [open, ...itemsHtml.map((item) => `<li>${item}</li>`), `</${tag}>`].join("\n");
}

/** A table inside its own scrolling box; `classes` per column ("num" aligns right). Cells are HTML already. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, classes: readonly string[], tableClass?: string): string {
  const cell = (tag: "th" | "td", content: string, index: number): string => {
    const className = classes[index];
    return className ? `<${tag} class="${className}">${content}</${tag}>` : `<${tag}>${content}</${tag}>`;
  };
  return [
    '<div class="table-wrap">',
    tableClass ? `<table class="${tableClass}">` : "<table>",
    `<thead><tr>${header.map((text, index) => cell("th", escapeHtml(text), index)).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((row) => `<tr>${row.map((content, index) => cell("td", content, index)).join("")}</tr>`),
    "</tbody>",
    "</table>",
    "</div>",
  ].join("\n");
}
