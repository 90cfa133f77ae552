import { existsSync, readFileSync } from "node:fs";
import { isMap, isSeq, parseDocument, YAMLSeq, type Document } from "yaml";
import { writeFileAtomically } from "../delivery/file/write-file.js";
import { InputError } from "../errors.js";
import { withOsErrorsSync } from "../os-errors.js";
import { parseConfigText } from "./load-config.js";
import type { RepoConfig } from "./schema.js";

/**
 * Edits the `repos` list of a config file through the YAML document model, so the
 * user's comments and layout survive. The result is validated before it is written.
 */
export function editRepos(file: string, edit: (repos: YAMLSeq) => void): void {
  if (!existsSync(file)) {
    throw new InputError(`config file ${file} does not exist`, { hint: "create one with `repo-digest init`" });
  }
  const original = withOsErrorsSync({ doing: "reading the config", path: file }, () => readFileSync(file, "utf8"));
  // Checked as the user wrote it first, so that a fault is reported at their line and column,
  // not at one of the re-serialised text.
  parseConfigText(original, file);
  // Widened from Document.Parsed so that an empty file can be given a map.
  const document: Document = parseDocument(original);
  if (!isMap(document.contents)) document.contents = document.createNode({});
  let repos = document.get("repos");
  if (!isSeq(repos)) {
    repos = new YAMLSeq();
    document.set("repos", repos);
  }
  edit(repos as YAMLSeq);
  const text = document.toString();
  parseConfigText(text, file);
  writeFileAtomically(file, text, { doing: "writing the config" });
}

export function addRepo(file: string, repo: RepoConfig & { name: string }): void {
  addRepos(file, [repo]);
}

/** Adds every repository in one write: if one cannot be added, none is. */
export function addRepos(file: string, added: ReadonlyArray<RepoConfig & { name: string }>): void {
  editRepos(file, (repos) => {
    for (const repo of added) {
      const taken = repos.items.some((item) => isMap(item) && item.get("name") === repo.name);
      if (taken) {
        throw new InputError(`a repository named "${repo.name}" is already in ${file}`, {
          hint: "give another --name, or remove the old one with `repo-digest repos remove`",
        });
      }
      const entry: Record<string, unknown> = { name: repo.name };
      if (repo.url) entry.url = repo.url;
      if (repo.path) entry.path = repo.path;
      if (repo.branch) entry.branch = repo.branch;
      if (repo.source !== "git") entry.source = repo.source;
      repos.add(entry);
    }
    // `repos: []` from the template is a flow sequence; entries read better as a block.
    repos.flow = false;
  });
}

export function removeRepo(file: string, name: string): void {
  editRepos(file, (repos) => {
    const index = repos.items.findIndex((item) => isMap(item) && item.get("name") === name);
    if (index < 0) {
      const names = repos.items.map((item) => (isMap(item) ? String(item.get("name")) : "?"));
      throw new InputError(`no repository named "${name}" in ${file}`, {
        hint: names.length ? `tracked: ${names.join(", ")}` : "the list is empty; add one with `repo-digest repos add`",
      });
    }
    repos.delete(index);
  });
}
