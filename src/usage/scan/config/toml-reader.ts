/**
 * TOML config files of the user (https://toml.io/en/v1.0.0): every key written, as its full
 * dotted path under its `[table]`/`[[array]]` header. Read line by line for the line numbers
 * (smol-toml checks the file first: an invalid one is not read). Manifests (pyproject.toml,
 * Cargo.toml, lock files) are the tools', not the application's configuration.
 */
import { parse } from "smol-toml";
import type { Use } from "../../types.js";
import { makeSite } from "../site.js";
import type { UsageReader } from "../types.js";

const MANIFESTS = /(^|\/)(pyproject|Cargo|rust-toolchain|rustfmt|\.rustfmt|clippy|\.clippy|deny|taplo|\.taplo|ruff|\.ruff|uv|netlify|fly|wrangler)\.toml$|\.lock$|(^|\/)\.cargo\//;
const KEY = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const DOTTED = new RegExp(String.raw`^\s*(${KEY}(?:\s*\.\s*${KEY})*)\s*=`);
const HEADER = new RegExp(String.raw`^\s*\[\[?\s*(${KEY}(?:\s*\.\s*${KEY})*)\s*\]\]?`);

function splitKey(text: string): string[] {
  return [...text.matchAll(new RegExp(KEY, "g"))].map((m) => m[0].replace(/^["']|["']$/g, ""));
}

export const tomlReader: UsageReader = {
  id: "toml",
  kinds: ["config-key"],
  accepts: (path) => /\.toml$/i.test(path) && !MANIFESTS.test(path),
  read(file) {
    try {
      parse(file.text);
    } catch {
      return { uses: [], dynamic: 0 };
    }
    const uses: Use[] = [];
    let table: string[] = [];
    // Inside a multi-line string or array the lines are values, not keys.
    let open: string | undefined;
    let depth = 0;
    file.text.split("\n").forEach((text, index) => {
      if (open) {
        if (text.includes(open)) open = undefined;
        return;
      }
      if (depth > 0) {
        depth += (text.match(/\[/g)?.length ?? 0) - (text.match(/\]/g)?.length ?? 0);
        return;
      }
      const header = HEADER.exec(text);
      if (header) {
        table = splitKey(header[1]!);
        return;
      }
      const key = DOTTED.exec(text);
      if (!key) return;
      const value = text.slice(key[0].length);
      const quote = /^\s*("""|''')/.exec(value)?.[1];
      if (quote && !value.slice(value.indexOf(quote) + 3).includes(quote)) open = quote;
      if (/^\s*\[/.test(value)) depth = (value.match(/\[/g)?.length ?? 0) - (value.match(/\]/g)?.length ?? 0);
      uses.push({ kind: "config-key", name: [...table, ...splitKey(key[1]!)].join("."), site: makeSite(file.path, index + 1, `${key[0].trim()} …`) });
    });
    return { uses, dynamic: 0 };
  },
};
