/**
 * The pure parts of search (src/store/search.ts): the SQL narrowing of path globs, checked
 * against picomatch itself on a real SQLite table, and snippets. What the stores answer is
 * tested on both databases in test/store-contract.test.ts.
 */
import Database from "better-sqlite3";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { SNIPPET_CHARS, createParams, makeSnippet, splitTerms, toPathFilter } from "./search.js";

describe("toPathFilter", () => {
  const paths = [
    "README.md",
    "src/index.ts",
    "src/sched/retry.ts",
    "src/sched/deep/er/x.ts",
    "src/schedule.ts",
    "src0/x.ts",
    "src.ts",
    "SRC/upper.ts",
    ".github/workflows/ci.yml",
    "docs/a_b%c.md",
    "docs/guide/intro.md",
    "lib/x.py",
    "tools/gen.py",
    "x.ts",
    "a/b",
    "packages/@scope/pkg/index.js",
    "中文/路径/文件.ts",
    "src/[id]/page.tsx",
  ];
  const globs = [
    "src/**",
    "src/**/*.ts",
    "src/sched/retry.ts",
    "src/sched*",
    "./src/*.ts",
    "**/*.py",
    "**/x.ts",
    "*.ts",
    "**/*.yml",
    "a/**/b",
    "docs/a_b%c.md",
    "docs/*_b%*",
    "{docs,lib}/**",
    "src/{sched,other}/**",
    "src/[s]ched/**",
    "!src/**",
    "src/\\[id\\]/*",
    "packages/@scope/**",
    "中文/**/*.ts",
    "**/文件.ts",
    "?rc/*.ts",
    "**",
  ];

  it("lets through in SQL every path picomatch matches (and picomatch then decides)", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (name TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO t (name) VALUES (?)");
    for (const path of paths) insert.run(path);
    for (const glob of globs) {
      const params = createParams("sqlite");
      const filter = toPathFilter(glob, params.param);
      const narrowed = new Set((db.prepare(`SELECT name FROM t WHERE ${filter.narrowing}`).all(params.values() as object) as Array<{ name: string }>).map((row) => row.name));
      const matching = paths.filter((path) => picomatch(glob.replace(/^\.\//, ""), { dot: true })(path));
      expect({ glob, missing: matching.filter((path) => !narrowed.has(path)) }).toEqual({ glob, missing: [] });
      expect(paths.filter((path) => filter.matches(path))).toEqual(matching);
    }
    db.close();
  });

  it("narrows by the glob's literal head or its longest literal run", () => {
    const count = (glob: string) => {
      const db = new Database(":memory:");
      db.exec("CREATE TABLE t (name TEXT NOT NULL)");
      for (const path of paths) db.prepare("INSERT INTO t (name) VALUES (?)").run(path);
      const params = createParams("sqlite");
      const { narrowing } = toPathFilter(glob, params.param);
      const rows = db.prepare(`SELECT count(*) AS n FROM t WHERE ${narrowing}`).get(params.values() as object) as { n: number };
      db.close();
      return rows.n;
    };
    // src/index.ts, src/sched/retry.ts, src/sched/deep/er/x.ts, src/schedule.ts, src/[id]/page.tsx,
    // and src.ts (the range [src, src0) holds it; picomatch then leaves it out); not src0/x.ts.
    expect(count("src/**/*.ts")).toBe(6);
    expect(count("src/sched/retry.ts")).toBe(1);
    expect(count("**/*.py")).toBe(2);
    // Braces and negation: picomatch alone.
    expect(count("{docs,lib}/**")).toBe(paths.length);
    expect(count("!src/**")).toBe(paths.length);
  });
});

describe("splitTerms", () => {
  it("splits on white space, keeps quoted phrases whole, drops duplicates", () => {
    expect(splitTerms('  retry  "the  scheduler" retry 调度\t"" x')).toEqual(["retry", "the scheduler", "调度", "x"]);
    expect(splitTerms(undefined)).toEqual([]);
  });
});

describe("makeSnippet", () => {
  const row = { title: "fix: retry", body: "", pr_title: null, pr_body: null, analysis_text: "" };

  it("prefers the body, the PR and the analysis to the titles, and falls back to the start", () => {
    expect(makeSnippet({ ...row, body: "the body says retry", analysis_text: "analysis" }, ["retry"])).toBe("the body says retry");
    expect(makeSnippet({ ...row, pr_body: "pr says retry" }, ["retry"])).toBe("pr says retry");
    expect(makeSnippet({ ...row, analysis_text: "Analysis." }, ["retry"])).toBe("fix: retry");
    expect(makeSnippet({ ...row, analysis_text: "Analysis.", body: "Body." }, ["nowhere"])).toBe("Analysis.");
    expect(makeSnippet({ ...row, body: "Body." }, [])).toBe("Body.");
    expect(makeSnippet(row, [])).toBe("fix: retry");
  });

  it("keeps a match near the end inside, as long a snippet as it may be", () => {
    const text = `${"word ".repeat(60)}the end matches`;
    const snippet = makeSnippet({ ...row, body: text }, ["matches"]);
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet.endsWith("the end matches")).toBe(true);
    expect([...snippet].length).toBe(SNIPPET_CHARS);
  });

  it("counts characters, not UTF-16 units, and never splits one", () => {
    const emoji = "😀".repeat(300);
    const snippet = makeSnippet({ ...row, body: `${emoji}找到${emoji}` }, ["找到"]);
    expect([...snippet].length).toBe(SNIPPET_CHARS);
    expect(snippet).toContain("找到");
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
