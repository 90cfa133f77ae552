/**
 * Dockerfiles (https://docs.docker.com/reference/dockerfile/): `ENV K=v` and the legacy
 * `ENV K v` set variables (`ARG` is a build argument, not in the container's environment);
 * `RUN`, `CMD` and `ENTRYPOINT` run commands, in shell form or exec form (a JSON array).
 */
import type { Use } from "../../types.js";
import { readArgv, readShellText, type Word } from "../shell/shell-command.js";
import { makeSite } from "../site.js";
import type { UsageReader } from "../types.js";

export const dockerfileReader: UsageReader = {
  id: "dockerfile",
  kinds: ["env-var", "cli-flag"],
  accepts: (path) => /(^|\/)([^/]*\.)?(Dockerfile|Containerfile)(\.[^/]*)?$/i.test(path),
  read(file, identity) {
    const lines = file.text.split("\n");
    const uses: Use[] = [];
    for (let i = 0; i < lines.length; i++) {
      const first = i + 1;
      let body = lines[i]!;
      // An instruction continues while its line ends with a backslash.
      while (/\\\s*$/.test(lines[i]!) && i + 1 < lines.length) body += `\n${lines[++i]!}`;
      const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(body);
      if (!m) continue;
      const instruction = m[1]!.toUpperCase();
      const rest = m[2]!;
      const restLine = first + (body.slice(0, body.length - rest.length).match(/\n/g)?.length ?? 0);
      if (instruction === "ENV") uses.push(...readEnv(rest, restLine, file.path, lines));
      else if (instruction === "RUN" || instruction === "CMD" || instruction === "ENTRYPOINT") {
        const argv = execForm(rest, restLine);
        uses.push(...(argv ? readArgv(argv, file.path, lines, identity) : readShellText(rest, restLine, file.path, lines, identity)));
      }
    }
    return { uses, dynamic: 0 };
  },
};

function readEnv(rest: string, firstLine: number, file: string, lines: readonly string[]): Use[] {
  const uses: Use[] = [];
  const logical = rest.replace(/\\\s*\n/g, " \n");
  // Legacy form: `ENV NAME value with spaces` (one variable, no `=` in the first word).
  const legacy = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(?!\S*=)/.exec(logical);
  if (legacy && !/^\s*[A-Za-z_][A-Za-z0-9_]*=/.test(logical)) {
    const text = lines[firstLine - 1] ?? "";
    const at = text.indexOf(legacy[1]!);
    uses.push({ kind: "env-var", name: legacy[1]!, site: makeSite(file, firstLine, `${text.slice(0, at + legacy[1]!.length)} …`) });
    return uses;
  }
  let line = firstLine;
  const pattern = /(\n)|([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (let m = pattern.exec(logical); m; m = pattern.exec(logical)) {
    if (m[1]) {
      line++;
      continue;
    }
    const text = (lines[line - 1] ?? "").replace(/([A-Za-z_][A-Za-z0-9_]*=)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s\\]*)/g, "$1…");
    uses.push({ kind: "env-var", name: m[2]!, site: makeSite(file, line, text) });
  }
  return uses;
}

/** `["vllm", "serve", "--x"]` as words, each on the line it stands on; undefined for the shell form. */
function execForm(rest: string, firstLine: number): Word[] | undefined {
  const trimmed = rest.trim();
  if (!trimmed.startsWith("[")) return undefined;
  let items: unknown;
  try {
    items = JSON.parse(trimmed.replace(/\\\s*\n/g, " "));
  } catch {
    return undefined;
  }
  if (!Array.isArray(items) || !items.every((item) => typeof item === "string")) return undefined;
  const words: Word[] = [];
  let offset = 0;
  for (const item of items as string[]) {
    const at = rest.indexOf(JSON.stringify(item), offset);
    const line = firstLine + (at === -1 ? 0 : (rest.slice(0, at).match(/\n/g)?.length ?? 0));
    if (at !== -1) offset = at + 1;
    words.push({ text: item, line });
  }
  return words;
}
