/**
 * `.env` files (dotenv's format, https://github.com/motdotla/dotenv#what-rules-does-the-parsing-engine-follow):
 * `KEY=value`, optionally `export KEY=value`. Only the name is kept: the value is a secret.
 */
import type { Use } from "../../types.js";
import { makeSite } from "../site.js";
import type { UsageReader } from "../types.js";

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/;

export const envFileReader: UsageReader = {
  id: "env-file",
  kinds: ["env-var"],
  accepts: (path) => /(^|\/)(\.env(\.[^/]*)?|[^/]+\.env)$/.test(path),
  read(file) {
    const uses: Use[] = [];
    file.text.split("\n").forEach((text, index) => {
      const m = LINE.exec(text);
      // The line is rebuilt from its name alone: nothing of the value is ever read into the site.
      if (m) uses.push({ kind: "env-var", name: m[1]!, site: makeSite(file.path, index + 1, `${text.slice(0, m.index + m[0].length).trim()}…`) });
    });
    return { uses, dynamic: 0 };
  },
};
