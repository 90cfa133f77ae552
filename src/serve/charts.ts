/**
 * Charts as SVG drawn on the server: no script, no request anywhere. Horizontal positions are
 * percentages of the chart's width and heights are pixels, so a chart fills a phone or a
 * desktop without scaling its text; colours are CSS classes over the report's variables, so
 * they follow light and dark. Each mark has a <title> (its value on hover) and data-*
 * attributes, and each chart a data table beside it, so that no value is told by colour alone.
 */
import { html, type SafeHtml } from "./html.js";

export interface Series {
  key: string;
  label: string;
  /** The colour class: c-high, c-medium, c-low, c-added, c-removed, c-breaking, c-bar, c-bot. */
  colour: string;
}

const HEIGHT = 200;
const TOP = 14;
const BOTTOM = 22;
const PLOT = HEIGHT - TOP - BOTTOM;

function percent(value: number): string {
  return `${Number(value.toFixed(3))}%`;
}

function px(value: number): string {
  return Number(value.toFixed(2)).toString();
}

/** The top of the scale: the largest value, at least 1. */
function scaleMax(values: readonly number[]): number {
  return Math.max(1, ...values);
}

function shortDay(day: string): string {
  return day.slice(5);
}

/** Day labels under the bars: the first, the last, and the middle one when there is room. */
function dayAxis(days: readonly string[]): SafeHtml[] {
  if (days.length === 0) return [];
  const marks: Array<[number, string]> = [[0, "start"]];
  if (days.length > 2) marks.push([Math.floor((days.length - 1) / 2), "middle"]);
  if (days.length > 1) marks.push([days.length - 1, "end"]);
  return marks.map(([index, anchor]) => {
    const x = anchor === "start" ? 0 : anchor === "end" ? 100 : ((index + 0.5) / days.length) * 100;
    return html`<text class="axis" x="${percent(x)}" y="${HEIGHT - 6}" text-anchor="${anchor}">${shortDay(days[index]!)}</text>`;
  });
}

function legend(series: readonly Series[]): SafeHtml {
  return html`<ul class="legend">${series.map((item) => html`<li><span class="swatch ${item.colour.replace(/^c-/, "s-")}"></span>${item.label}</li>`)}</ul>`;
}

/**
 * Bars per day, each stacked from its series (first series at the bottom). `rows` hold one
 * number per series key, one row per day.
 */
export function stackedDayBars(options: { id: string; title: string; days: readonly string[]; series: readonly Series[]; rows: ReadonlyArray<Readonly<Record<string, unknown>>> }): SafeHtml {
  const { days, series, rows } = options;
  const valueOf = (row: Readonly<Record<string, unknown>> | undefined, key: string): number => (typeof row?.[key] === "number" ? (row[key] as number) : 0);
  const max = scaleMax(rows.map((row) => series.reduce((sum, item) => sum + valueOf(row, item.key), 0)));
  const slot = 100 / Math.max(1, days.length);
  const bars = days.map((day, index) => {
    let base = TOP + PLOT;
    const row = rows[index];
    return series.map((item) => {
      const value = valueOf(row, item.key);
      if (value === 0) return html``;
      const height = (value / max) * PLOT;
      base -= height;
      return html`<rect class="${item.colour}" x="${percent(index * slot + slot * 0.1)}" y="${px(base)}" width="${percent(slot * 0.8)}" height="${px(height)}" data-day="${day}" data-series="${item.key}" data-value="${value}"><title>${day} ${item.label}: ${value}</title></rect>`;
    });
  });
  return html`<figure class="chart" id="${options.id}">
<svg role="img" aria-labelledby="${options.id}-title" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
<title id="${options.id}-title">${options.title}</title>
<line class="grid" x1="0" x2="100%" y1="${TOP}" y2="${TOP}"/>
<line class="grid" x1="0" x2="100%" y1="${TOP + PLOT}" y2="${TOP + PLOT}"/>
<text class="axis" x="0" y="${TOP - 3}">${max}</text>
${bars}
${dayAxis(days)}
</svg>
${legend(series)}
</figure>`;
}

/** Added above the axis, removed below it, and a mark over the day for breaking commits. */
export function divergingDayBars(options: {
  id: string;
  title: string;
  days: readonly string[];
  rows: ReadonlyArray<{ added: number; removed: number; breaking: number }>;
  series: { added: Series; removed: Series; breaking: Series };
}): SafeHtml {
  const { days, rows, series } = options;
  const max = scaleMax(rows.flatMap((row) => [row.added, row.removed]));
  const half = PLOT / 2 - 8;
  const axis = TOP + 8 + half;
  const slot = 100 / Math.max(1, days.length);
  const marks = days.map((day, index) => {
    const row = rows[index] ?? { added: 0, removed: 0, breaking: 0 };
    const x = percent(index * slot + slot * 0.1);
    const width = percent(slot * 0.8);
    const up = (row.added / max) * half;
    const down = (row.removed / max) * half;
    return [
      row.added > 0
        ? html`<rect class="${series.added.colour}" x="${x}" y="${px(axis - up)}" width="${width}" height="${px(up)}" data-day="${day}" data-series="added" data-value="${row.added}"><title>${day} ${series.added.label}: ${row.added}</title></rect>`
        : "",
      row.removed > 0
        ? html`<rect class="${series.removed.colour}" x="${x}" y="${px(axis)}" width="${width}" height="${px(down)}" data-day="${day}" data-series="removed" data-value="${row.removed}"><title>${day} ${series.removed.label}: ${row.removed}</title></rect>`
        : "",
      row.breaking > 0
        ? html`<circle class="${series.breaking.colour}" cx="${percent(index * slot + slot / 2)}" cy="${TOP + 3}" r="4" data-day="${day}" data-series="breaking" data-value="${row.breaking}"><title>${day} ${series.breaking.label}: ${row.breaking}</title></circle>`
        : "",
    ];
  });
  return html`<figure class="chart" id="${options.id}">
<svg role="img" aria-labelledby="${options.id}-title" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
<title id="${options.id}-title">${options.title}</title>
<line class="grid" x1="0" x2="100%" y1="${px(axis)}" y2="${px(axis)}"/>
<text class="axis" x="100%" y="${px(axis - half - 2)}" text-anchor="end">+${max}</text>
<text class="axis" x="100%" y="${px(axis + half + 12)}" text-anchor="end">−${max}</text>
${marks}
${dayAxis(days)}
</svg>
${legend([series.added, series.removed, series.breaking])}
</figure>`;
}

/** Labels are clipped to what a phone shows on one line; the bar's <title> and the data table hold them whole. */
const LABEL_CHARACTERS = 36;

function clip(label: string): string {
  const characters = [...label];
  return characters.length <= LABEL_CHARACTERS ? label : `${characters.slice(0, LABEL_CHARACTERS - 1).join("")}…`;
}

/** One bar per row, its label and value above it: long module paths and names wrap nothing sideways. */
export function horizontalBars(options: { id: string; title: string; rows: ReadonlyArray<{ label: string; value: number; valueText: string; colour: string; key: string }> }): SafeHtml {
  const { rows } = options;
  const row = 38;
  const height = Math.max(1, rows.length) * row;
  const max = scaleMax(rows.map((item) => item.value));
  const bars = rows.map((item, index) => {
    const top = index * row;
    return html`<text class="label" x="0" y="${top + 14}">${clip(item.label)}<tspan class="value"> · ${item.valueText}</tspan></text>
<rect class="${item.colour}" x="0" y="${top + 20}" width="${percent(Math.max(0.5, (item.value / max) * 100))}" height="10" rx="2" data-key="${item.key}" data-value="${item.value}"><title>${item.label}: ${item.valueText}</title></rect>`;
  });
  return html`<figure class="chart" id="${options.id}">
<svg role="img" aria-labelledby="${options.id}-title" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${options.id}-title">${options.title}</title>
${bars}
</svg>
</figure>`;
}
