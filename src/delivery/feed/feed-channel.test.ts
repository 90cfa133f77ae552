import { mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { makeRepo, makeReport, type CommitSpec } from "../../../test/support/report/fixtures.js";
import type { Report } from "../../report/types.js";
import type { Delivery, RenderedReport } from "../types.js";
import { createFeedChannel } from "./feed-channel.js";
import { feedConfigSchema, type FeedConfigInput } from "./feed-config.js";
import { startXmlParser, type XmlParser } from "../../../test/support/delivery/feed/fixtures.js";

let xml: XmlParser;
beforeAll(async () => {
  xml = await startXmlParser();
});
afterAll(async () => {
  await xml.close();
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "repo-digest-feed-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const REPO = "acme/widgets";

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function reportFor(day: string, options: { generatedAt?: string; commits?: Array<Partial<CommitSpec>>; lang?: "zh-CN" | "en" } = {}): Report {
  const commits = (options.commits ?? [{ subject: "feat: add the widget API", importance: "high" }]).map((commit, index) => ({
    sha: `${index + 1}abc`,
    date: `${day}T09:00:00+08:00`,
    subject: "chore: tidy",
    ...commit,
  }));
  const period = { label: day, since: `${day}T00:00:00+08:00`, until: `${nextDay(day)}T00:00:00+08:00`, timezone: "Asia/Shanghai" };
  const report = makeReport([makeRepo(REPO, commits)], { period, lang: options.lang ?? "zh-CN" });
  return { ...report, generatedAt: options.generatedAt ?? `${day}T23:30:00.000Z` };
}

function deliveryOf(report: Report, files: Array<Pick<RenderedReport, "format" | "content">> = [], fullReportUrl?: string): Delivery {
  const name = `${report.period.label}--acme-widgets`;
  return {
    report,
    rendered: files.map((file) => ({ name, extension: file.format, ...file })),
    ...(fullReportUrl === undefined ? {} : { fullReportUrl }),
  };
}

function channelFor(config: Partial<FeedConfigInput> = {}) {
  return createFeedChannel(feedConfigSchema.parse(config), { dir });
}

async function readFeed(path = join(dir, "feed.atom")) {
  return xml.parse(readFileSync(path, "utf8"));
}

describe("the Atom feed channel", () => {
  it("adds one entry per day, newest period first, and says where the feed is", async () => {
    const channel = channelFor({ title: "Widgets digest" });

    await channel.deliver(deliveryOf(reportFor("2026-01-17")));
    const results = await channel.deliver(deliveryOf(reportFor("2026-01-18")));
    // A day run late (a backfill) still goes in its place by period.
    await channel.deliver(deliveryOf(reportFor("2026-01-16", { generatedAt: "2026-01-19T01:00:00.000Z" })));

    expect(results).toEqual([{ channel: "feed", target: join(dir, "feed.atom"), format: "atom" }]);
    const feed = await readFeed();
    expect(feed.title).toBe("Widgets digest");
    expect(feed.entries.map((entry) => entry.title)).toEqual(["每日更新报告（2026-01-18）", "每日更新报告（2026-01-17）", "每日更新报告（2026-01-16）"]);
    expect(new Set(feed.entries.map((entry) => entry.id)).size).toBe(3);
    for (const entry of feed.entries) {
      expect(entry.id).toMatch(/^tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:[0-9a-f]{12}\/\d{4}-\d{2}-\d{2}\/acme%2Fwidgets$/);
      expect(entry.author).toBe("repo-digest");
    }
    expect(feed.updated).toBe("2026-01-19T01:00:00.000Z");
    expect(feed.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });

  it("updates the entry in place when the same day is run again: same id, new content and <updated>", async () => {
    const channel = channelFor();
    await channel.deliver(deliveryOf(reportFor("2026-01-17")));
    await channel.deliver(deliveryOf(reportFor("2026-01-18")));
    const before = await readFeed();

    const rerun = reportFor("2026-01-17", {
      generatedAt: "2026-01-18T08:00:00.000Z",
      commits: [{ subject: "feat: add the widget API", importance: "high" }, { subject: "fix: widget crash on empty input", importance: "high" }],
    });
    await channel.deliver(deliveryOf(rerun));
    const after = await readFeed();

    expect(after.entries).toHaveLength(2);
    const [old, updated] = [before.entries[1]!, after.entries[1]!];
    expect(updated.id).toBe(old.id);
    expect(updated.published).toBe(old.published);
    expect(updated.updated).toBe("2026-01-18T08:00:00.000Z");
    expect(old.updated).toBe("2026-01-17T23:30:00.000Z");
    expect(old.summary).not.toContain("widget crash");
    expect(updated.summary).toContain("fix: widget crash on empty input");
    expect(updated.summary).toContain("共 2 个提交");
    expect(after.entries[0]).toEqual(before.entries[0]);
  });

  it("keeps at most maxEntries, dropping the oldest periods", async () => {
    const channel = channelFor({ maxEntries: 3 });
    for (const day of ["2026-01-14", "2026-01-15", "2026-01-16", "2026-01-17", "2026-01-18"]) {
      await channel.deliver(deliveryOf(reportFor(day)));
    }

    const feed = await readFeed();
    expect(feed.entries.map((entry) => entry.title)).toEqual(["每日更新报告（2026-01-18）", "每日更新报告（2026-01-17）", "每日更新报告（2026-01-16）"]);
  });

  it("escapes hostile text so the feed stays well-formed and shows it verbatim", async () => {
    const hostile = "feat: <script>alert('x')</script> & \"quotes\" ]]> done";
    const markdown = `# Report\n\n${hostile}\n`;
    await channelFor({ title: "A & B <feed>" }).deliver(
      deliveryOf(reportFor("2026-01-17", { commits: [{ subject: `${hostile}\u001b[31m`, importance: "high" }] }), [{ format: "md", content: markdown }]),
    );

    const raw = readFileSync(join(dir, "feed.atom"), "utf8");
    expect(raw).not.toContain("<script>");
    expect(raw).not.toContain("]]>");
    expect(raw).not.toContain("\u001b");
    const feed = await readFeed();
    expect(feed.title).toBe("A & B <feed>");
    const [entry] = feed.entries;
    expect(entry?.summary).toContain(`${hostile}[31m`);
    // type="html": the element's text is the HTML, which itself shows the Markdown as text.
    expect(entry?.contentType).toBe("html");
    expect(entry?.content).toBe(`<pre># Report\n\nfeat: &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quotes&quot; ]]&gt; done\n</pre>`);
  });

  it("carries the body of the rendered HTML report as the entry's content", async () => {
    const html = '<!DOCTYPE html><html><head><style>h1{color:red}</style></head><body class="report">\n<h1>每日更新报告</h1><p>A &amp; B</p>\n</body></html>';
    await channelFor().deliver(deliveryOf(reportFor("2026-01-17"), [{ format: "md", content: "# md\n" }, { format: "html", content: html }]));

    const [entry] = (await readFeed()).entries;
    expect(entry?.content).toBe("<h1>每日更新报告</h1><p>A &amp; B</p>");
  });

  it("links each entry to the report file beside the feed, under baseUrl, or to fullReportUrl", async () => {
    const files = [{ format: "md", content: "# md\n" }, { format: "html", content: "<p>x</p>" }];
    await channelFor({ path: "feeds/digest.xml" }).deliver(deliveryOf(reportFor("2026-01-17"), files));
    expect((await readFeed(join(dir, "feeds", "digest.xml"))).entries[0]?.link).toBe("../2026-01-17--acme-widgets.html");

    await channelFor({ baseUrl: "https://example.com/digest" }).deliver(deliveryOf(reportFor("2026-01-17"), [{ format: "md", content: "# md\n" }]));
    const published = await readFeed();
    expect(published.entries[0]?.link).toBe("https://example.com/digest/2026-01-17--acme-widgets.md");
    expect(published.selfLink).toBe("https://example.com/digest/feed.atom");
    expect(published.id).toBe("https://example.com/digest/feed.atom");
    expect(published.entries[0]?.id).toMatch(/^tag:example\.com,/);

    await channelFor({ baseUrl: "https://example.com/digest" }).deliver(
      deliveryOf(reportFor("2026-01-18"), files, "https://wiki.example.com/reports/latest?x=1&y=2"),
    );
    expect((await readFeed()).entries[0]?.link).toBe("https://wiki.example.com/reports/latest?x=1&y=2");
  });

  it("replaces the feed file whole: a reader holding the old file still reads all of it", async () => {
    const channel = channelFor();
    await channel.deliver(deliveryOf(reportFor("2026-01-17")));
    const path = join(dir, "feed.atom");
    const oldText = readFileSync(path, "utf8");
    const oldInode = statSync(path).ino;
    const reader = openSync(path, "r");
    try {
      await channel.deliver(deliveryOf(reportFor("2026-01-18")));

      expect(statSync(path).ino).not.toBe(oldInode);
      const buffer = Buffer.alloc(Buffer.byteLength(oldText) + 100);
      const read = readSync(reader, buffer, 0, buffer.length, 0);
      expect(buffer.subarray(0, read).toString("utf8")).toBe(oldText);
    } finally {
      closeSync(reader);
    }
    expect((await readFeed()).entries).toHaveLength(2);
    expect(existsSync(join(dir, "feed.entries.json"))).toBe(true);
  });

  it("two runs delivering at once both land in the feed", async () => {
    await Promise.all(["2026-01-15", "2026-01-16", "2026-01-17"].map((day) => channelFor().deliver(deliveryOf(reportFor(day)))));

    expect((await readFeed()).entries).toHaveLength(3);
  });

  it("refuses to write over a feed file whose entry list is missing", async () => {
    const path = join(dir, "feed.atom");
    writeFileSync(path, "<feed>someone else's</feed>\n");

    const error = await channelFor().deliver(deliveryOf(reportFor("2026-01-17"))).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("feed.entries.json");
    expect(readFileSync(path, "utf8")).toBe("<feed>someone else's</feed>\n");
  });

  it("reports a damaged entry list instead of starting over", async () => {
    mkdirSync(join(dir, "out"));
    await channelFor({ path: "out" }).deliver(deliveryOf(reportFor("2026-01-17")));
    writeFileSync(join(dir, "out", "feed.entries.json"), "{ not json");

    const error = await channelFor({ path: "out" }).deliver(deliveryOf(reportFor("2026-01-18"))).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).hint).toMatch(/delete it/);
  });

  it("writes English titles and summaries for an English report", async () => {
    await channelFor().deliver(deliveryOf(reportFor("2026-01-17", { lang: "en" })));

    const feed = await readFeed();
    expect(feed.title).toBe("repo-digest daily reports");
    expect(feed.entries[0]?.title).toBe("Daily update report (2026-01-17)");
    expect(feed.entries[0]?.summary).toBe("acme/widgets: 1 commit (high 1, medium 0, low 0). High importance: feat: add the widget API.");
  });
});
