/**
 * How each platform marks up bold text and links, and what its markup makes of the
 * characters in a commit title. Text from commits goes through `escape` so that a title
 * like "fix <T> *parsing*" reads as written and cannot ping a channel.
 */
import { stripInvisible } from "../../report/invisible-text.js";

export interface ChatMarkup {
  /** Plain text made safe for the platform's markup. */
  escape(text: string): string;
  /** `text` is already escaped. */
  bold(text: string): string;
  /** `text` is already escaped. */
  link(text: string, url: string): string;
  /** An inline code span; `text` is raw and holds no backtick. */
  code(text: string): string;
}

/**
 * Text from the analysis, where `identifiers` are written as code spans: the spans are
 * kept as code, the rest is escaped.
 */
export function formatInline(markup: ChatMarkup, text: string): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(/`([^`\n]+)`/g)) {
    result += markup.escape(text.slice(last, match.index)) + markup.code(match[1] ?? "");
    last = match.index + match[0].length;
  }
  return result + markup.escape(text.slice(last));
}

/** Every platform: text from commits loses what a reader cannot see (controls, bidi overrides) before its own escaping. */
function visibleOnly(markup: ChatMarkup): ChatMarkup {
  return { ...markup, escape: (text) => markup.escape(stripInvisible(text)), code: (text) => markup.code(stripInvisible(text)) };
}

const escapeEntities = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Characters a URL may not carry raw inside the link syntax, percent-encoded (they are never meaningful there). */
function encodeUrl(url: string, unsafe: RegExp): string {
  return url.replace(unsafe, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Slack mrkdwn: only &, < and > need escaping (https://api.slack.com/reference/surfaces/formatting#escaping). */
export const SLACK_MARKUP: ChatMarkup = visibleOnly({
  escape: escapeEntities,
  bold: (text) => `*${text}*`,
  link: (text, url) => `<${encodeUrl(url, /[|<>\s]/g)}|${text}>`,
  code: (text) => `\`${escapeEntities(text)}\``,
});

/** Discord markdown takes backslash escapes (https://support.discord.com/hc/en-us/articles/210298617). */
export const DISCORD_MARKUP: ChatMarkup = visibleOnly({
  escape: (text) => text.replace(/[\\*_~`|<>[\]()]/g, (char) => `\\${char}`),
  bold: (text) => `**${text}**`,
  link: (text, url) => `[${text}](${encodeUrl(url, /[()\s<>]/g)})`,
  code: (text) => `\`${text}\``,
});

/**
 * Feishu card markdown reads HTML entities for its special characters
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-components/content-components/rich-text).
 */
export const FEISHU_MARKUP: ChatMarkup = visibleOnly({
  escape: (text) =>
    text.replace(/[&<>*~_[\]`]/g, (char) => (char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : `&#${char.charCodeAt(0)};`)),
  bold: (text) => `**${text}**`,
  link: (text, url) => `[${text}](${encodeUrl(url, /[()\s<>]/g)})`,
  code: (text) => `\`${escapeEntities(text)}\``,
});

/**
 * DingTalk and WeCom render a small Markdown subset without documented escapes; the
 * characters that would open emphasis, a link or a tag are swapped for their full-width
 * look-alikes, which read the same. An underscore inside a word (`sanity_check.py`)
 * opens nothing and stays as written.
 */
export const ROBOT_MARKUP: ChatMarkup = visibleOnly({
  escape: (text) => text.replace(/[*[\]<>`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (char) => FULL_WIDTH[char] ?? char),
  bold: (text) => `**${text}**`,
  link: (text, url) => `[${text}](${encodeUrl(url, /[()\s<>]/g)})`,
  code: (text) => `\`${text.replace(/[<>]/g, (char) => FULL_WIDTH[char] ?? char)}\``,
});

const FULL_WIDTH: Record<string, string> = { "*": "＊", _: "＿", "[": "［", "]": "］", "<": "＜", ">": "＞", "`": "｀" };
