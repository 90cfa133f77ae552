import Database from "better-sqlite3";
import { createParams, prepareSearch, type Dialect } from "../src/store/search.js";
import type { SearchQuery } from "../src/store/types.js";
const q = JSON.parse(process.argv[2]!) as SearchQuery;
const params = createParams("sqlite");
const dialect: Dialect = { param: params.param, oneOf: (c, v) => `${c} IN (SELECT value FROM json_each(${params.param(JSON.stringify(v))}))`, contains: (h, n) => `instr(${h}, ${n}) > 0`, flag: (v) => (v ? 1 : 0), anyFlag: (c) => `max(${c})` };
const plan = prepareSearch(q, dialect, () => { throw new Error("no text here"); });
const db = new Database("/tmp/rd-helper/s10k.sqlite", { readonly: true });
console.log(db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(params.values() as object).map((r: any) => `${r.id} ${r.parent} ${r.detail}`).join("\n"));
const st = db.prepare(plan.sql);
for (let i = 0; i < 5; i++) { const t = performance.now(); st.all(params.values() as object); console.log("ms", (performance.now() - t).toFixed(1)); }
