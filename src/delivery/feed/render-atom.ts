import { escapeXml } from "./escape-xml.js";
import type { FeedEntry } from "./feed-state.js";

export interface FeedHead {
  id: string;
  title: string;
  lang: string;
  /** The feed's own published address, for `rel="self"`. */
  selfUrl?: string;
  generatorVersion: string;
}

const AUTHOR = "repo-digest";

/** An Atom 1.0 document (RFC 4287, https://www.rfc-editor.org/rfc/rfc4287), entries in the given order. */
export function renderAtom(head: FeedHead, entries: readonly FeedEntry[]): string {
  const updated = entries.reduce((latest, entry) => (Date.parse(entry.updated) > Date.parse(latest) ? entry.updated : latest), entries[0]?.updated ?? new Date(0).toISOString());
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(head.lang)}">`,
    `  <id>${escapeXml(head.id)}</id>`,
    `  <title>${escapeXml(head.title)}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    ...(head.selfUrl === undefined ? [] : [`  <link rel="self" type="application/atom+xml" href="${escapeXml(head.selfUrl)}"/>`]),
    `  <generator version="${escapeXml(head.generatorVersion)}">repo-digest</generator>`,
    ...entries.flatMap(renderEntry),
    "</feed>",
  ];
  return `${lines.join("\n")}\n`;
}

function renderEntry(entry: FeedEntry): string[] {
  return [
    "  <entry>",
    `    <id>${escapeXml(entry.id)}</id>`,
    `    <title>${escapeXml(entry.title)}</title>`,
    ...(entry.link === undefined ? [] : [`    <link rel="alternate" href="${escapeXml(entry.link)}"/>`]),
    `    <published>${escapeXml(entry.published)}</published>`,
    `    <updated>${escapeXml(entry.updated)}</updated>`,
    `    <author><name>${AUTHOR}</name></author>`,
    `    <summary>${escapeXml(entry.summary)}</summary>`,
    `    <content type="html">${escapeXml(entry.contentHtml)}</content>`,
    "  </entry>",
  ];
}
