/**
 * The report's one stylesheet, inlined so that the file stands alone: system fonts, no
 * url(), light and dark from the reader's setting. Importance always has a text label
 * beside its colour. Long paths and code wrap; wide tables scroll inside their own box,
 * so a phone never scrolls the page sideways.
 */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1f2328;
  --muted: #59636e;
  --border: #d1d9e0;
  --surface: #f6f8fa;
  --link: #0969da;
  --code-bg: rgba(129, 139, 152, 0.16);
  --high: #cf222e;
  --high-bg: #ffebe9;
  --medium: #9a6700;
  --medium-bg: #fff8c5;
  --low: #1a7f37;
  --low-bg: #dafbe1;
  --banner-bg: #fff8c5;
  --banner-border: #d4a72c;
  --target: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117;
    --fg: #e6edf3;
    --muted: #9198a1;
    --border: #3d444d;
    --surface: #151b23;
    --link: #4493f8;
    --code-bg: rgba(101, 108, 118, 0.3);
    --high: #ff7b72;
    --high-bg: rgba(248, 81, 73, 0.15);
    --medium: #e3b341;
    --medium-bg: rgba(187, 128, 9, 0.15);
    --low: #56d364;
    --low-bg: rgba(46, 160, 67, 0.15);
    --banner-bg: rgba(187, 128, 9, 0.15);
    --banner-border: #9e6a03;
    --target: #4493f8;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; scroll-behavior: auto; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans", "Liberation Sans", Arial, sans-serif, "Apple Color Emoji",
    "Segoe UI Emoji", "Noto Color Emoji";
  font-size: 16px;
  line-height: 1.6;
  overflow-wrap: break-word;
}
.page { max-width: 920px; margin: 0 auto; padding: 24px 16px 48px; }
h1, h2, h3, h4, h5 { line-height: 1.3; margin: 0; overflow-wrap: anywhere; }
h1 { font-size: 1.75rem; padding-bottom: 12px; border-bottom: 1px solid var(--border); margin-bottom: 16px; }
h2 { font-size: 1.4rem; margin: 40px 0 8px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.15rem; margin: 24px 0 8px; }
h4 { font-size: 1.05rem; margin: 16px 0 6px; }
h5 { font-size: 0.95rem; margin: 14px 0 4px; }
p, ul, ol, dl { margin: 6px 0; }
ul, ol { padding-left: 1.4em; }
li { margin: 2px 0; }
li > ul { margin: 2px 0; }
a { color: var(--link); text-decoration: none; }
a:hover, a:focus-visible { text-decoration: underline; }
code, pre {
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.875em;
}
code { background: var(--code-bg); border-radius: 4px; padding: 0.1em 0.35em; overflow-wrap: anywhere; word-break: break-word; }
pre {
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 6px;
  padding: 10px 12px;
  margin: 6px 0;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.muted { color: var(--muted); }
.banner {
  background: var(--banner-bg);
  border: 1px solid var(--banner-border);
  border-left-width: 4px;
  border-radius: 6px;
  padding: 8px 12px;
  margin: 10px 0;
}
.badge {
  display: inline-block;
  border: 1px solid currentColor;
  border-radius: 999px;
  padding: 0 0.55em;
  font-size: 0.82em;
  font-weight: 600;
  line-height: 1.5;
  white-space: nowrap;
  vertical-align: 0.08em;
}
.imp-high { --imp: var(--high); --imp-bg: var(--high-bg); }
.imp-medium { --imp: var(--medium); --imp-bg: var(--medium-bg); }
.imp-low { --imp: var(--low); --imp-bg: var(--low-bg); }
.badge.imp-high, .badge.imp-medium, .badge.imp-low { color: var(--imp); background: var(--imp-bg); }
.chip {
  display: inline-block;
  border: 1px solid var(--border);
  border-radius: 999px;
  padding: 0 0.5em;
  font-size: 0.8em;
  color: var(--muted);
  white-space: nowrap;
}
.counts { display: inline-flex; flex-wrap: wrap; gap: 6px; vertical-align: middle; }
.table-wrap { overflow-x: auto; margin: 8px 0; border: 1px solid var(--border); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
th { background: var(--surface); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
.commit-table td.message { min-width: 16em; }
details > summary { cursor: pointer; list-style: none; }
details > summary::-webkit-details-marker { display: none; }
details > summary::before {
  content: "▸";
  display: inline-block;
  width: 1.1em;
  color: var(--muted);
  font-size: 0.9em;
}
details[open] > summary::before { content: "▾"; }
summary > h3, summary > h4 { display: inline; margin: 0; }
details.block { margin: 24px 0 8px; }
details.block > summary { margin-bottom: 6px; }
.toc ul { list-style: none; padding-left: 1.1em; }
.toc > details > ul { padding-left: 1.1em; }
.toc li { margin: 3px 0; }
.toc code { font-size: 0.8em; }
.group > summary { margin: 28px 0 8px; }
.commit {
  border: 1px solid var(--border);
  border-left: 4px solid var(--imp);
  border-radius: 8px;
  padding: 10px 14px;
  margin: 14px 0;
  scroll-margin-top: 12px;
}
.commit:target { box-shadow: 0 0 0 2px var(--target); }
.commit > details > summary { display: block; }
.commit > details > summary::before { margin-left: -0.1em; }
.commit-title { display: inline; font-size: 1.05rem; margin: 0 0.3em 0 0; }
.meta { color: var(--muted); font-size: 0.9em; display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 8px 0; }
.meta > span { min-width: 0; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
.kv dt { font-weight: 600; }
.kv dd { margin: 0; min-width: 0; }
.reasons { font-size: 0.92em; color: var(--muted); }
.insight-dimension { font-weight: 600; }
.pr { background: var(--surface); border-radius: 6px; padding: 6px 12px; margin: 10px 0; }
.pr h5 { margin-top: 4px; }
.footnote {
  border-left: 3px solid var(--border);
  color: var(--muted);
  font-size: 0.9em;
  padding: 2px 10px;
  margin: 12px 0 6px;
}
.message > summary { color: var(--muted); font-size: 0.9em; margin-top: 8px; }
.to-contents { text-align: right; font-size: 0.85em; margin: 6px 0 0; }
.overview-facts { list-style: none; padding-left: 0; }
.byline { color: var(--muted); font-size: 0.88em; font-style: italic; }
.activity-list { list-style: none; padding-left: 0; }
.activity-list > li { padding: 4px 0; border-bottom: 1px dashed var(--border); }
.activity-list > li:last-child { border-bottom: 0; }
.release-highlights { font-size: 0.92em; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.88em; }
@media (max-width: 600px) {
  .page { padding: 16px 12px 40px; }
  h1 { font-size: 1.4rem; }
  h2 { font-size: 1.2rem; }
  .commit { padding: 8px 10px; }
  .kv { grid-template-columns: 1fr; gap: 0; }
  .kv dd { margin-bottom: 6px; }
}
@media print {
  details > summary::before { content: none; }
  .to-contents { display: none; }
  .commit { break-inside: avoid; }
}
`;
