/** go.mod: https://go.dev/ref/mod#go-mod-file */
import type { ManifestEntry, ManifestVersion, ReadManifest } from "./model.js";

const BLOCKS = new Set(["require", "replace", "exclude", "retract", "godebug", "tool", "ignore"]);

function unquote(token: string): string {
  return /^"(.*)"$/.test(token) || /^`(.*)`$/.test(token) ? token.slice(1, -1) : token;
}

/** A `replace` target that is a folder, not a module: `./sdk`, `../core`, `/abs/path`, `C:\path`. */
function isLocalPath(target: string): boolean {
  return /^(\.{1,2}[/\\]|\/|[A-Za-z]:[/\\])/.test(target) || target === "." || target === "..";
}

/** undefined when a block is left open or a `require` line has no version: not a go.mod this reads. */
export function readGoMod(text: string): ReadManifest | undefined {
  const requires: Array<{ path: string; version: string; line: number }> = [];
  const versions: ManifestVersion[] = [];
  const local = new Set<string>();
  let own: string | undefined;
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i]!.replace(/\/\/.*$/, "").trim();
    if (code === "") continue;
    let verb: string | undefined;
    let rest: string;
    if (block !== undefined) {
      if (code === ")") {
        block = undefined;
        continue;
      }
      verb = block;
      rest = code;
    } else {
      const m = /^(\S+)\s*(.*)$/.exec(code)!;
      verb = m[1]!;
      rest = m[2]!.trim();
      if (BLOCKS.has(verb) && rest === "(") {
        block = verb;
        continue;
      }
    }
    const tokens = rest.split(/\s+/).map(unquote);
    const line = i + 1;
    switch (verb) {
      case "module":
        own = tokens[0];
        break;
      case "go":
        if (tokens[0]) versions.push({ kind: "toolchain", name: "go", value: tokens[0], line });
        break;
      case "toolchain":
        if (tokens[0]) versions.push({ kind: "toolchain", name: "toolchain", value: tokens[0], line });
        break;
      case "require":
        if (tokens.length < 2 || !/^v\d/.test(tokens[1]!)) return undefined;
        requires.push({ path: tokens[0]!, version: tokens[1]!, line });
        break;
      case "replace": {
        const arrow = tokens.indexOf("=>");
        const target = arrow < 0 ? undefined : tokens[arrow + 1];
        if (target !== undefined && isLocalPath(target)) local.add(tokens[0]!);
        break;
      }
      default:
        break;
    }
  }
  if (block !== undefined) return undefined;
  const entries: ManifestEntry[] = requires.map((r) => ({
    name: r.path,
    key: r.path,
    section: "require",
    spec: r.version,
    scope: "runtime",
    // A module of the same repository (`example.com/proj/tools` beside `example.com/proj`), or one replaced by a folder.
    internal: local.has(r.path) || (own !== undefined && (r.path === own || r.path.startsWith(`${own}/`))),
    line: r.line,
  }));
  return { ecosystem: "go", entries, versions, ownPackages: own === undefined ? [] : [own] };
}
