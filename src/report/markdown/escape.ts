/**
 * Placing text in Markdown. Text from outside (commit messages, author names, paths)
 * must show literally wherever it lands: in a heading, a list item, a link label or a
 * table cell. Text the analysis wrote is ours and keeps its Markdown (code spans,
 * emphasis), but no raw HTML.
 * Spec: https://spec.commonmark.org/0.31.2/#backslash-escapes, https://github.github.com/gfm/#tables-extension-
 */
import { stripInvisible } from "../invisible-text.js";

// Characters that start inline formatting in CommonMark and GFM: emphasis, code, links,
// strikethrough, table cells, and GitHub's `$` math.
const INLINE_ACTIVE = /[\\`*[\]|~$]/g;
// `_` between two letters or digits can neither open nor close emphasis
// (https://spec.commonmark.org/0.31.2/#left-flanking-delimiter-run), so `snake_case` stays unescaped.
const ACTIVE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// An `&` that would start an entity reference (`&lt;`, `&#60;`) must stay an ampersand.
const ENTITY_START = /&(?=#?[A-Za-z0-9]+;)/g;
// A run of `#` at the end of a heading is its closing sequence and would vanish.
const TRAILING_HASHES = /(^|\s)(#+)(\s*)$/;

/** One line of text: line breaks and the blanks around them become one space. */
export function flattenLines(text: string): string {
  return stripInvisible(text).replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
}

/** Text from outside, shown literally on one line in any inline context, table cells included. */
export function escapeText(text: string): string {
  return flattenLines(text)
    .replace(ENTITY_START, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(INLINE_ACTIVE, "\\$&")
    .replace(ACTIVE_UNDERSCORE, "\\_")
    .replace(TRAILING_HASHES, "$1\\$2$3");
}

// A marker at the start of a list item's text would open a heading, a quote or a nested
// list inside it (https://spec.commonmark.org/0.31.2/#list-items).
const LEADING_BLOCK_MARKER = /^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$))/;
const LEADING_ORDERED_MARKER = /^(\d{1,9})([.)])(?=\s|$)/;

// A code span: a backtick run, then anything up to the same run not touching another backtick
// (https://spec.commonmark.org/0.31.2/#code-spans). Its content is shown literally, so an
// entity written there would show as `&lt;`.
const CODE_SPAN = /(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;

// A link or an image in the analysis's text would come from the commit it quotes or from a
// model: `[click me](javascript:…)` must not become a live link. Brackets outside code spans
// are shown as written.
const LINK_BRACKETS = /[[\]]/g;

/** Text the analysis wrote: its code spans and emphasis stay; raw HTML, links and block structure do not, and it stays on one line. */
export function escapeOwnText(text: string): string {
  return outsideCodeSpans(flattenLines(text), (prose) => prose.replace(/</g, "&lt;").replace(LINK_BRACKETS, "\\$&"))
    .replace(LEADING_BLOCK_MARKER, "\\$&")
    .replace(LEADING_ORDERED_MARKER, "$1\\$2");
}

/** Applies `edit` to the text between code spans; the spans themselves stay as written. */
function outsideCodeSpans(text: string, edit: (prose: string) => string): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    result += edit(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + edit(text.slice(last));
}

/** A code span that holds any text, backticks included (https://spec.commonmark.org/0.31.2/#code-spans). */
export function codeSpan(text: string): string {
  const flat = flattenLines(text);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A link destination that cannot end the link early or break out of it. */
export function escapeUrl(url: string): string {
  return url.replace(/[\s<>()"`\\]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

export function link(label: string, url: string): string {
  return `[${label}](${escapeUrl(url)})`;
}
