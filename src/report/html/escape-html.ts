/**
 * Placing text in HTML. Everything from the model is text: commit messages, names and
 * paths show literally; the analysis' own texts keep their code spans (`name`), which
 * become <code>, and nothing else. Links go only to http(s) addresses.
 * Spec: https://html.spec.whatwg.org/multipage/syntax.html#escapingString,
 * https://spec.commonmark.org/0.31.2/#code-spans
 */

import { stripInvisible } from "../invisible-text.js";

const HTML_SPECIAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text shown literally, in element content or in a quoted attribute value. */
export function escapeHtml(text: string): string {
  // Controls are not allowed in an HTML document at all; bidi overrides would reorder what is shown.
  return stripInvisible(text).replace(HTML_SPECIAL, (char) => ENTITIES[char] ?? char);
}

// A run of backticks opens a code span that the next run of the same length closes.
const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

/** Text the analysis wrote: escaped, with its Markdown code spans shown as code. */
export function renderOwnText(text: string): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    html += escapeHtml(text.slice(last, match.index));
    html += codeHtml(stripSpanPadding(match[2] ?? ""));
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

// CommonMark drops one space on each side when both are there, so that a span can start or end with a backtick.
function stripSpanPadding(content: string): string {
  const flat = content.replace(/[\r\n]+/g, " ");
  return flat.length > 2 && flat.startsWith(" ") && flat.endsWith(" ") && flat.trim() !== "" ? flat.slice(1, -1) : flat;
}

export function codeHtml(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** The address as it may stand in an href, or undefined for anything that is not an absolute http(s) URL. */
export function safeHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  return escapeHtml(parsed.href);
}

/** A link to an outside page when the address is safe; the label alone when it is not. */
export function externalLink(labelHtml: string, url: string | undefined): string {
  const href = safeHref(url);
  return href === undefined ? labelHtml : `<a href="${href}" rel="noopener noreferrer">${labelHtml}</a>`;
}

/** A link within the page; ids come from the anchor plan and are ASCII slugs, escaped all the same. */
export function anchorLink(labelHtml: string, id: string): string {
  return `<a href="#${escapeHtml(id)}">${labelHtml}</a>`;
}

const SLOT = "\uE000";

/**
 * A label written for plain text, with HTML put into its slots: the label is called
 * with placeholders, escaped whole, and the placeholders replaced in order. Labels stay
 * shared with the Markdown report while the values carry markup (code, links).
 */
export function fillLabel<A extends unknown[]>(label: (...args: A) => string, ...args: { [K in keyof A]: A[K] | Html }): string {
  const html: string[] = [];
  const plain = args.map((arg) => {
    if (arg instanceof Html) {
      html.push(arg.value);
      return SLOT;
    }
    return arg;
  }) as A;
  let index = 0;
  return escapeHtml(label(...plain)).replaceAll(SLOT, () => html[index++] ?? "");
}

/** Markup that {@link fillLabel} puts in a slot as it is. */
export class Html {
  constructor(readonly value: string) {}
}

export const markup = (value: string): Html => new Html(value);
