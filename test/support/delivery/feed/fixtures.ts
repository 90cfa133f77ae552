/**
 * A strict XML parser for the feed tests: Chromium's DOMParser, which rejects a
 * document that is not well-formed (unescaped `<` or `&`, unbalanced tags, forbidden
 * characters) with a <parsererror> instead of repairing it as an HTML parser would.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { requireChromium } from "../../../helpers/find-chromium.js";

export interface ParsedEntry {
  id: string;
  title: string;
  link: string | null;
  published: string;
  updated: string;
  author: string;
  summary: string;
  contentType: string | null;
  content: string;
}

export interface ParsedFeed {
  id: string;
  title: string;
  updated: string;
  selfLink: string | null;
  entries: ParsedEntry[];
}

export interface XmlParser {
  parse(xml: string): Promise<ParsedFeed>;
  close(): Promise<void>;
}

export async function startXmlParser(): Promise<XmlParser> {
  // Without a browser the feed tests fail with the one line saying how to get one.
  const browser: Browser = await chromium.launch({ executablePath: requireChromium() });
  const page: Page = await browser.newPage();
  return {
    async parse(xml) {
      const result = (await page.evaluate(`(${READ_FEED})(${JSON.stringify(xml)})`)) as { error: string } | { feed: ParsedFeed };
      if ("error" in result) throw new Error(`not well-formed Atom: ${result.error}`);
      return result.feed;
    },
    close: () => browser.close(),
  };
}

// Runs in the page, so plain JavaScript: the project's type-check has no DOM types.
const READ_FEED = `(source) => {
  const ATOM = "http://www.w3.org/2005/Atom";
  const doc = new DOMParser().parseFromString(source, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error) return { error: error.textContent || "parser error" };
  const root = doc.documentElement;
  if (root.namespaceURI !== ATOM || root.localName !== "feed") return { error: "root is " + root.localName + " in " + root.namespaceURI };
  const child = (parent, name) => [...parent.children].find((element) => element.namespaceURI === ATOM && element.localName === name);
  const text = (parent, name) => (child(parent, name) ? child(parent, name).textContent : "");
  const self = [...root.children].find((element) => element.localName === "link" && element.getAttribute("rel") === "self");
  return {
    feed: {
      id: text(root, "id"),
      title: text(root, "title"),
      updated: text(root, "updated"),
      selfLink: self ? self.getAttribute("href") : null,
      entries: [...root.children]
        .filter((element) => element.localName === "entry")
        .map((entry) => ({
          id: text(entry, "id"),
          title: text(entry, "title"),
          link: child(entry, "link") ? child(entry, "link").getAttribute("href") : null,
          published: text(entry, "published"),
          updated: text(entry, "updated"),
          author: child(entry, "author") ? text(child(entry, "author"), "name") : "",
          summary: text(entry, "summary"),
          contentType: child(entry, "content") ? child(entry, "content").getAttribute("type") : null,
          content: text(entry, "content"),
        })),
    },
  };
}`;
