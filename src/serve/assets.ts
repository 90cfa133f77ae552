/**
 * The app's one stylesheet, served from its own address so that the pages need no inline
 * style at all (the Content-Security-Policy allows 'self' only): the report's stylesheet,
 * so that the app looks like the reports, and after it what only the app has (navigation,
 * forms, the calendar, the charts), in the same colours, light and dark.
 */
import { createHash } from "node:crypto";
import { STYLES } from "../report/html/styles.js";

const APP_STYLES = `
.skip { position: absolute; left: -10000px; top: 0; }
.skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; border: 2px solid var(--link); z-index: 1; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 2px solid var(--link);
  outline-offset: 2px;
}
.app-nav { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; padding-bottom: 8px; border-bottom: 1px solid var(--border); margin-bottom: 16px; }
.app-nav .brand { font-weight: 700; color: var(--fg); }
.app-nav .lang { margin-left: auto; }
.crumbs { color: var(--muted); font-size: 0.9em; margin: 0 0 8px; }
.error-line { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
form.search { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px 14px; margin: 12px 0 16px; }
form.search .wide { grid-column: 1 / -1; }
form.search label { display: flex; flex-direction: column; gap: 2px; font-size: 0.9em; color: var(--muted); min-width: 0; }
form.search details { grid-column: 1 / -1; }
form.search details > div { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px 14px; margin-top: 8px; }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 4px 8px; min-width: 0; max-width: 100%; }
button { background: var(--surface); cursor: pointer; font-weight: 600; }
form.search .actions { display: flex; align-items: flex-end; gap: 12px; }
.hits { list-style: none; padding-left: 0; }
.hits > li { border: 1px solid var(--border); border-left: 4px solid var(--imp, var(--border)); border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
.hits .hit-title { font-weight: 600; overflow-wrap: anywhere; }
.hits .snippet { margin: 4px 0 0; color: var(--muted); font-size: 0.92em; overflow-wrap: anywhere; }
mark { background: var(--medium-bg); color: inherit; border-radius: 3px; padding: 0 0.1em; }
.pager { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; margin: 16px 0; }
.calendars { display: flex; flex-wrap: wrap; gap: 16px; }
table.calendar { width: auto; border-collapse: collapse; font-size: 0.88em; font-variant-numeric: tabular-nums; }
table.calendar caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
table.calendar th, table.calendar td { text-align: center; padding: 3px 6px; border: 0; min-width: 2.2em; }
table.calendar th { background: transparent; color: var(--muted); font-weight: 400; }
table.calendar td.has a { display: block; border-radius: 6px; background: var(--low-bg); color: var(--low); font-weight: 700; }
table.calendar td.none { color: var(--muted); }
.chart { margin: 10px 0 24px; }
.chart svg { display: block; width: 100%; overflow: hidden; }
.chart .grid { stroke: var(--border); stroke-width: 1; }
.chart .axis { fill: var(--muted); font-size: 12px; }
.chart .label { fill: var(--fg); font-size: 13px; }
.chart .value { fill: var(--muted); font-size: 12px; }
.c-high { fill: var(--high); }
.c-medium { fill: var(--medium); }
.c-low { fill: var(--low); }
.c-added { fill: var(--low); }
.c-removed { fill: var(--medium); }
.c-breaking { fill: var(--high); }
.c-bar { fill: var(--link); }
.c-bot { fill: var(--muted); }
.legend { list-style: none; padding-left: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.88em; color: var(--muted); margin: 4px 0; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.35em; vertical-align: -0.05em; }
.swatch.s-high, .swatch.s-breaking { background: var(--high); }
.swatch.s-medium, .swatch.s-removed { background: var(--medium); }
.swatch.s-low, .swatch.s-added { background: var(--low); }
.swatch.s-bar { background: var(--link); }
.swatch.s-bot { background: var(--muted); }
.facts dd code { margin-right: 0.3em; }
.facts dd a { overflow-wrap: anywhere; }
`;

export const APP_CSS = `${STYLES}${APP_STYLES}`;

const cssHash = createHash("sha256").update(APP_CSS).digest("hex").slice(0, 12);
/** The stylesheet's address: its content hash in the name, so a browser may keep it for good. */
export const STYLESHEET_PATH = `/assets/app-${cssHash}.css`;

/** The hash of the report renderer's inline stylesheet, the only inline style a report page may apply. */
export const REPORT_STYLE_HASH = createHash("sha256").update(STYLES).digest("base64");
