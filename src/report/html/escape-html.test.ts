import { describe, expect, it } from "vitest";
import { escapeHtml, externalLink, fillLabel, markup, renderOwnText, safeHref } from "./escape-html.js";

describe("escapeHtml", () => {
  it("escapes the five characters that can end text or an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  });

  it("drops control characters that HTML does not allow", () => {
    expect(escapeHtml("a\u0000b\u0008c\td")).toBe("abc\td");
  });
});

describe("renderOwnText", () => {
  it("shows code spans as code and everything else as text", () => {
    expect(renderOwnText("Adds `DYN_X` and `<b>` <i>")).toBe("Adds <code>DYN_X</code> and <code>&lt;b&gt;</code> &lt;i&gt;");
  });

  it("handles spans that hold backticks and leaves an unmatched backtick as text", () => {
    expect(renderOwnText("run `` a`b `` now")).toBe("run <code>a`b</code> now");
    expect(renderOwnText("a ` b")).toBe("a ` b");
  });
});

describe("safeHref", () => {
  it("keeps http(s) addresses", () => {
    expect(safeHref("https://github.com/o/r/commit/abc")).toBe("https://github.com/o/r/commit/abc");
    expect(safeHref("http://git.example.org/o/r")).toBe("http://git.example.org/o/r");
  });

  it.each(["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\nscript:alert(1)", "data:text/html,x", "/relative", "#top", "file:///etc/passwd", "", "not a url"])(
    "refuses %j",
    (url) => {
      expect(safeHref(url)).toBeUndefined();
    },
  );

  it("cannot be used to leave the attribute", () => {
    expect(safeHref('https://x.org/a" onclick="alert(1)')).toBe("https://x.org/a%22%20onclick=%22alert(1)");
  });

  it("links only safe addresses", () => {
    expect(externalLink("label", "javascript:alert(1)")).toBe("label");
    expect(externalLink("label", undefined)).toBe("label");
    expect(externalLink("label", "https://x.org/")).toBe('<a href="https://x.org/" rel="noopener noreferrer">label</a>');
  });
});

describe("fillLabel", () => {
  it("escapes the label and its plain arguments but keeps markup in its slots", () => {
    const label = (count: number, names: string, who: string) => `${count} files <read> (${names}) by ${who}`;
    expect(fillLabel(label, 2, markup("<code>a</code>"), "<me>")).toBe("2 files &lt;read&gt; (<code>a</code>) by &lt;me&gt;");
  });
});
