import { describe, expect, it } from "vitest";
import { codeSpan, escapeOwnText, escapeText, escapeUrl } from "./escape.js";

describe("escapeText", () => {
  it("keeps HTML as text", () => {
    expect(escapeText("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("stops Markdown formatting", () => {
    expect(escapeText("*bold* _it_ [x](y) `code` ~~gone~~ $x$ a\\b")).toBe(
      "\\*bold\\* \\_it\\_ \\[x\\](y) \\`code\\` \\~\\~gone\\~\\~ \\$x\\$ a\\\\b",
    );
  });

  it("leaves snake_case alone, where `_` cannot format", () => {
    expect(escapeText("sanity_check.py and __init__")).toBe("sanity_check.py and \\_\\_init\\_\\_");
  });

  it("keeps a table cell whole: pipes escaped, line breaks flattened", () => {
    expect(escapeText("a | b\r\nc\n\n  d")).toBe("a \\| b c d");
  });

  it("keeps entity-like text literal", () => {
    expect(escapeText("Q&A &lt; &#60;")).toBe("Q&A &amp;lt; &amp;#60;");
  });

  it("keeps a trailing # in a heading", () => {
    expect(escapeText("fix: issue #")).toBe("fix: issue \\#");
    expect(escapeText("fix #12")).toBe("fix #12");
  });

  it("drops control characters", () => {
    expect(escapeText("a\u0007b\u001bc")).toBe("abc");
  });
});

describe("escapeOwnText", () => {
  it("keeps the analysis's Markdown but not raw HTML, on one line", () => {
    expect(escapeOwnText("Adds <b>A</b> to **x**\nand more")).toBe("Adds &lt;b>A&lt;/b> to **x** and more");
  });

  it("makes no link of a quoted subject, and leaves brackets in code spans alone", () => {
    expect(escapeOwnText("The author's words: “[click me](javascript:alert(1))”")).toBe("The author's words: “\\[click me\\](javascript:alert(1))”");
    expect(escapeOwnText("![x](https://evil.example/p.png) and `a[0]`")).toBe("!\\[x\\](https://evil.example/p.png) and `a[0]`");
  });

  it("drops bidi overrides and isolates, which would reorder what the reader sees", () => {
    expect(escapeText("fix \u202Etxt.exe\u202C now")).toBe("fix txt.exe now");
    expect(escapeOwnText("a \u2066b\u2069 c")).toBe("a b c");
    expect(escapeText("שלום\u200F!")).toBe("שלום\u200F!");
  });

  it("leaves code spans as written, since an entity inside one would show literally", () => {
    expect(escapeOwnText("Implements `<RegDescList as Drop>` and <i>")).toBe("Implements `<RegDescList as Drop>` and &lt;i>");
    expect(escapeOwnText("``a`<b>`` then `<c>` <d>")).toBe("``a`<b>`` then `<c>` &lt;d>");
    expect(escapeOwnText("an unclosed ` <e>")).toBe("an unclosed ` &lt;e>");
  });

  it("keeps a bullet's text from opening a heading, quote or nested list", () => {
    expect(escapeOwnText("# of retries doubles")).toBe("\\# of retries doubles");
    expect(escapeOwnText(">50 connections")).toBe("\\>50 connections");
    expect(escapeOwnText("- nested")).toBe("\\- nested");
    expect(escapeOwnText("2. step")).toBe("2\\. step");
    expect(escapeOwnText("#5492 fixes it; -1 is fine; 2.5x faster")).toBe("#5492 fixes it; -1 is fine; 2.5x faster");
  });
});

describe("codeSpan", () => {
  it("fences text that holds backticks", () => {
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`x`")).toBe("`` `x` ``");
    expect(codeSpan("plain/path.ts")).toBe("`plain/path.ts`");
  });
});

describe("escapeUrl", () => {
  it("keeps a link destination from ending early", () => {
    expect(escapeUrl("https://x.org/a b/(c)<d>")).toBe("https://x.org/a%20b/%28c%29%3Cd%3E");
  });
});
