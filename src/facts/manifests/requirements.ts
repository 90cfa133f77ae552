/** requirements.txt: https://pip.pypa.io/en/stable/reference/requirements-file-format/ */
import { parseRequirement } from "../dependencies.js";
import { normalisePypiName } from "./model.js";
import type { ManifestEntry, ReadManifest } from "./model.js";
import { requirementsFileScope } from "./scope.js";

/** Every text reads: a line that is no requirement (an option, a path, a URL) is passed over. */
export function readRequirements(text: string, path: string): ReadManifest {
  const scope = requirementsFileScope(path);
  const entries: ManifestEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i]!;
    // A backslash at the end continues the requirement on the next line.
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, " ") + lines[++i]!;
    const body = logical
      .replace(/(^|\s)#.*$/, "")
      .replace(/\s--\S.*$/, "")
      .replace(/\\\s*$/, "")
      .trim();
    // Options (-r, -c, -e, --index-url) and paths or URLs name no package here.
    if (body === "" || body.startsWith("-") || /^[./~]|:\/\//.test(body.split(/\s*@\s*/)[0]!)) continue;
    const req = parseRequirement(body, false);
    if (!req) continue;
    const internal = /^@\s*file:/.test(req.spec);
    entries.push({ name: req.name, key: normalisePypiName(req.name), section: "requirements", spec: req.spec, scope, internal, line: start + 1 });
  }
  return { ecosystem: "pypi", entries, versions: [], ownPackages: [] };
}
