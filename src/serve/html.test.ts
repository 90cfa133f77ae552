import { describe, expect, it } from "vitest";
import { html, trusted } from "./html.js";

describe("the html template", () => {
  it("escapes every value it is given, lists included, and drops what cannot be shown", () => {
    const title = `<script>alert(1)</script>"'&\u202E`;
    expect(html`<p title="${title}">${title}</p>`.value).toBe(
      "<p title=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</p>",
    );
    expect(html`<ul>${(["<a>", 2, undefined, null, false] as const).map((item) => html`<li>${item}</li>`)}</ul>`.value).toBe("<ul><li>&lt;a&gt;</li><li>2</li><li></li><li></li><li></li></ul>");
  });

  it("takes markup as it is only when made by the template or named trusted", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe("<p><b>&lt;i&gt;</b></p>");
    expect(html`${trusted("<svg></svg>")}`.value).toBe("<svg></svg>");
    // A string that looks like markup is still a string.
    expect(html`${inner.value}`.value).toBe("&lt;b&gt;&amp;lt;i&amp;gt;&lt;/b&gt;");
  });
});
