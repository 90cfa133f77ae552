/**
 * HTML built by a tagged template that escapes every value it is given: a commit title, an
 * author or a path becomes text, whatever it holds. Only markup made by this template (or by
 * {@link trusted}, for the report renderer's own output) goes in as it is, so a page cannot
 * forget to escape a value: leaving it unescaped takes a visible call.
 */
import { escapeHtml } from "../report/html/escape-html.js";

/** Markup that {@link html} puts in as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A value a page may interpolate: text (escaped), numbers, markup, or lists of them; nothing for null, undefined or false. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function place(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(place).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += place(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Markup this program made itself (the report renderer's page, an SVG chart), taken as it is. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
