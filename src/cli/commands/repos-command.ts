import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { Command } from "commander";
import { addRepo, addRepos, removeRepo } from "../../config/edit-repos.js";
import type { RepoConfig } from "../../config/schema.js";
import type { OwnerRepo, RepoSelection } from "../../github/list-repos.js";
import { createLogger } from "../../logger.js";
import { ExitCode, ExternalServiceError, InputError, isKnownError } from "../../errors.js";
import { withOsErrorsSync } from "../../os-errors.js";
import { redactUrlCredentials, runGit, splitUrlCredentials, toGitError } from "../../sources/git/run-git.js";
import { printJson, reposAddOrgDocument, reposListDocument } from "../json-output.js";
import { DEFAULT_CONFIG_FILE, findConfigFile, loadConfig } from "../../config/load-config.js";
import { nameFromUrl } from "../../pipeline/resolve-repos.js";
import { isRemoteLocation } from "../../sources/git/git-source.js";

/** The file the lookup finds (the one `report` reads), else ./repo-digest.yaml, which `init` creates. */
function configFile(command: Command): string {
  return findConfigFile(command.optsWithGlobals<{ config?: string }>().config).file ?? resolve(DEFAULT_CONFIG_FILE);
}

/** A local path as the config must hold it: relative to the config's folder, which may be a parent of the cwd. */
function pathFrom(file: string, location: string): string {
  return isAbsolute(location) || dirname(file) === process.cwd() ? location : relative(dirname(file), resolve(location)) || ".";
}

export function reposCommand(): Command {
  const repos = new Command("repos").description("edit the list of tracked repositories in the config");
  repos
    .command("add")
    .description("track a repository: a local path (read in place) or a clone URL (mirrored); or every repository of a GitHub organisation or user (--org)")
    .argument("[path-or-url]")
    .option("--name <owner/name>", "display name (default: from the URL, or the folder name)")
    .option("--branch <branch>", "branch to follow (default: the remote's default branch)")
    .option("--api", "read a GitHub repository through the API instead of cloning it (source: github-api)")
    .option("--no-check", "add it without checking that it is a git repository (a path) or that it answers (a URL), e.g. offline")
    .option("--org <login>", "add every repository of this GitHub organisation (or user), listed through the API (github.apiUrl, github.tokenEnv)")
    .option("--include <glob>", "with --org: only repositories whose name matches (picomatch; repeatable)", collect, [])
    .option("--exclude <glob>", "with --org: not the repositories whose name matches (repeatable)", collect, [])
    .option("--archived", "with --org: archived repositories too")
    .option("--forks", "with --org: forks too")
    .option("--dry-run", "with --org: list what would be added, write nothing")
    .option("--json", "with --org: print one JSON document on stdout (README: JSON output)")
    .action(async (location: string | undefined, options: AddOptions, command: Command) => {
      const file = configFile(command);
      if (options.org !== undefined || location === undefined) return addOwnerRepos(file, location, options, command);
      const orgOnly = [
        options.include.length > 0 && "--include",
        options.exclude.length > 0 && "--exclude",
        options.archived && "--archived",
        options.forks && "--forks",
        options.dryRun && "--dry-run",
        options.json && "--json",
      ].find(Boolean);
      if (orgOnly) throw new InputError(`${orgOnly} applies to --org only`, { hint: "add every repository of an organisation with `repo-digest repos add --org <login>`" });
      const remote = isRemoteLocation(location);
      if (options.check) await checkLocation(location);
      const name = options.name ?? (remote ? nameFromUrl(location) : undefined) ?? basename(resolve(location));
      addRepo(file, {
        name,
        ...(remote ? { url: location } : { path: pathFrom(file, location) }),
        ...(options.branch ? { branch: options.branch } : {}),
        criticalPaths: [],
        ignorePaths: [],
        llm: true,
        source: options.api ? "github-api" : "git",
        activity: true,
      });
      process.stdout.write(`tracking ${name}\n`);
    });
  repos
    .command("import")
    .description("track every repository listed in a file: one path or URL per line, optionally a name after it; # comments; all or nothing")
    .argument("<file>")
    .option("--no-check", "add them without checking each (offline)")
    .action(async (list: string, options: { check: boolean }, command: Command) => {
      const file = configFile(command);
      const entries = await readImportList(list, file, options.check);
      addRepos(file, entries);
      for (const entry of entries) process.stdout.write(`tracking ${entry.name}\n`);
    });
  repos
    .command("list")
    .description("list tracked repositories")
    .option("--json", "print one JSON document on stdout (README: JSON output)")
    .action((options: { json?: boolean }, command: Command) => {
      const loaded = loadConfig(command.optsWithGlobals<{ config?: string }>().config);
      const { config } = loaded;
      if (options.json) {
        printJson(reposListDocument, {
          schemaVersion: 1,
          config: loaded.file ?? null,
          repos: config.repos.map((repo) => ({
            name: listedName(repo),
            source: repo.source,
            ...(repo.path ? { path: repo.path } : {}),
            ...(repo.url ? { url: redactUrlCredentials(repo.url) } : {}),
            ...(repo.branch ? { branch: repo.branch } : {}),
          })),
        });
        return;
      }
      for (const repo of config.repos) {
        const where = repo.url ?? repo.path ?? "";
        process.stdout.write(`${listedName(repo)}\t${where}${repo.branch ? `\t${repo.branch}` : ""}\n`);
      }
    });
  repos
    .command("remove")
    .description("stop tracking a repository (its stored history stays in the data dir)")
    .argument("<name>")
    .action((name: string, _options: unknown, command: Command) => {
      removeRepo(configFile(command), name);
      process.stdout.write(`no longer tracking ${name}\n`);
    });
  return repos;
}

interface AddOptions {
  name?: string;
  branch?: string;
  api?: boolean;
  check: boolean;
  org?: string;
  include: string[];
  exclude: string[];
  archived?: boolean;
  forks?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const SKIP_LABELS = { archived: "archived", fork: "forks", excluded: "excluded", tracked: "already tracked" } as const;

/**
 * `repos add --org <login>`: every repository GitHub lists for the login, filtered, added in
 * one write (all or nothing). The config is checked before GitHub is asked, so a missing file
 * costs no API call; the URLs come from the API, so they are not checked again with git.
 */
async function addOwnerRepos(file: string, location: string | undefined, options: AddOptions, command: Command): Promise<void> {
  const usage = { hint: "run `repo-digest repos add --help` for usage" };
  if (options.org === undefined) throw new InputError("repos add: missing required argument 'path-or-url' (or --org <login>)", usage);
  if (location !== undefined) throw new InputError(`give a path or URL, or --org ${options.org}, not both`, usage);
  if (options.name !== undefined || options.branch !== undefined) {
    throw new InputError(`--${options.name !== undefined ? "name" : "branch"} names one repository and cannot go with --org`, usage);
  }
  const owner = options.org.trim();
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(owner)) {
    throw new InputError(`--org ${JSON.stringify(options.org)} is not a GitHub login`, { hint: "give the organisation's or user's login as in https://github.com/<login>, e.g. --org ai-dynamo" });
  }
  if (!existsSync(file)) throw new InputError(`config file ${file} does not exist`, { hint: "create one with `repo-digest init`" });
  const { config } = loadConfig(file);
  const tracked = new Set(config.repos.flatMap((repo) => [repo.name, nameFromUrl(repo.url)]).filter((name): name is string => name !== undefined));

  // GitHub's client and the glob matcher load only for this command (test/lazy-imports.test.ts).
  const [{ createGitHubAccess }, { listOwnerRepos, selectOwnerRepos }] = await Promise.all([
    import("../../enrich/github/github-context.js"),
    import("../../github/list-repos.js"),
  ]);
  const globals = command.optsWithGlobals<{ verbose?: boolean; quiet?: boolean }>();
  // Not "warn": the client's warnings repeat what this command says itself (the onWait line,
  // the error it throws), and the organisation's 404 before a user's list is expected.
  const logger = createLogger(globals.verbose ? "debug" : "error");
  const access = await createGitHubAccess(config.github, process.env, { logger, onWait: (message) => void process.stderr.write(`repo-digest: ${message}\n`) });
  const listed = await listOwnerRepos(access.client({ owner, repo: "", host: "github.com" }), owner);
  const selection = selectOwnerRepos(listed.repos, {
    include: options.include,
    exclude: options.exclude,
    archived: options.archived ?? false,
    forks: options.forks ?? false,
    tracked,
  });
  const source: RepoConfig["source"] = options.api ? "github-api" : "git";
  const entries = selection.chosen.map((repo): RepoConfig & { name: string } => ({
    name: repo.fullName,
    url: repo.cloneUrl,
    criticalPaths: [],
    ignorePaths: [],
    llm: true,
    source,
    activity: true,
  }));
  if (!options.dryRun && entries.length > 0) addRepos(file, entries);

  if (options.json) {
    printJson(reposAddOrgDocument, {
      schemaVersion: 1,
      config: file,
      owner,
      ownerKind: listed.kind,
      dryRun: options.dryRun ?? false,
      added: selection.chosen.map((repo) => ({ name: repo.fullName, url: repo.cloneUrl, source })),
      skipped: selection.skipped.map(({ repo, reason }) => ({ name: repo.fullName, reason })),
    });
    return;
  }
  for (const { repo, reason } of selection.skipped) if (reason === "tracked") process.stdout.write(`already tracked: ${repo.fullName}\n`);
  for (const entry of entries) process.stdout.write(`${options.dryRun ? "would track" : "tracking"} ${entry.name}\n`);
  process.stdout.write(`${summarise(owner, selection, options.dryRun ?? false)}\n`);
}

/** "added 12 repositories of ai-dynamo (3 skipped: archived 2, excluded 1)". */
function summarise(owner: string, selection: RepoSelection, dryRun: boolean): string {
  const count = (repos: readonly OwnerRepo[] | number): string => {
    const n = typeof repos === "number" ? repos : repos.length;
    return `${n} ${n === 1 ? "repository" : "repositories"}`;
  };
  const head = `${dryRun ? "would add" : "added"} ${count(selection.chosen)} of ${owner}`;
  if (selection.skipped.length === 0) return head;
  const parts = (Object.keys(SKIP_LABELS) as Array<keyof typeof SKIP_LABELS>)
    .map((reason) => [SKIP_LABELS[reason], selection.skipped.filter((skip) => skip.reason === reason).length] as const)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label} ${n}`);
  return `${head} (${selection.skipped.length} skipped: ${parts.join(", ")})`;
}

/** How long `git ls-remote` may take to answer before the URL counts as unreachable. */
const REMOTE_CHECK_TIMEOUT_MS = 20_000;

/**
 * A path must be a git repository, as `report` will read it (exit 2 otherwise); a URL must
 * answer `git ls-remote` (exit 3 with git's own words), with the URL's credentials sent as a
 * header, never in git's argv, and no prompt for a password nobody is there to type.
 */
export async function checkLocation(location: string): Promise<void> {
  if (isRemoteLocation(location)) return checkRemote(location);
  const path = resolve(location);
  const fix = "give the folder of a git clone or a clone URL, or add it anyway with --no-check";
  if (!existsSync(path)) throw new InputError(`${path} does not exist`, { hint: fix });
  await runGit(["rev-parse", "--git-dir"], { cwd: path }).catch((error: unknown) => {
    throw new InputError(`${path} is not a git repository (git rev-parse fails there)`, { hint: fix, cause: error });
  });
}

function checkRemote(location: string): Promise<void> {
  const remote = splitUrlCredentials(location);
  const hint = "check the URL and your access to it (credentials in the URL, a credential helper, an SSH key), or add it anyway with --no-check";
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      ["ls-remote", "--heads", "--", remote.url],
      {
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "", LC_ALL: "C", ...remote.env },
        timeout: REMOTE_CHECK_TIMEOUT_MS,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, _stdout, stderr) => {
        if (!error) resolvePromise();
        else if (error.killed) {
          reject(
            new ExternalServiceError("git", `${redactUrlCredentials(remote.url)} did not answer \`git ls-remote\` within ${REMOTE_CHECK_TIMEOUT_MS / 1000} s`, {
              hint,
              retryable: true,
            }),
          );
        } else {
          // git ends with a generic "fatal: Could not read from remote repository."; its first
          // fatal line says why ("'/x.git' does not appear to be a git repository").
          const lines = stderr.split("\n");
          const firstFatal = lines.findIndex((line) => line.startsWith("fatal:"));
          const said = firstFatal < 0 ? stderr : lines.slice(0, firstFatal + 1).join("\n");
          reject(toGitError(["ls-remote"], error, said, { message: `cannot read ${redactUrlCredentials(remote.url)}`, hint }));
        }
      },
    );
  });
}

type ImportedRepo = RepoConfig & { name: string };

/**
 * The repositories of an import list, each checked (unless `check` is false); throws when
 * any line fails, after one line per failing line on stderr, so that nothing is added.
 * Relative paths are taken from the list's folder, as the config's are from the config's.
 */
async function readImportList(list: string, configFile: string, check: boolean): Promise<ImportedRepo[]> {
  const listPath = resolve(list);
  const text = withOsErrorsSync({ doing: "reading the list", path: listPath }, () => readFileSync(listPath, "utf8"));
  const taken = new Map<string, string>();
  for (const repo of existsSync(configFile) ? loadConfig(configFile).config.repos : []) if (repo.name) taken.set(repo.name, `already in ${configFile}`);
  const lines: Array<{ line: number; entry?: ImportedRepo; location?: string; problem?: unknown }> = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    // A comment starts a line or follows whitespace: `#` inside a URL or a path stays.
    const fields = raw.replace(/(^|\s)#.*$/, "").trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields.length > 2) {
      lines.push({ line, problem: new InputError(`expected \`<path-or-url> [name]\`, found ${fields.length} fields`, { hint: "one repository per line; a name has no spaces" }) });
      continue;
    }
    const [location, given] = fields as [string, string | undefined];
    const remote = isRemoteLocation(location);
    const absolute = remote ? location : resolve(dirname(listPath), location);
    const name = given ?? (remote ? nameFromUrl(location) : undefined) ?? basename(absolute);
    const before = taken.get(name);
    if (before !== undefined) {
      lines.push({ line, problem: new InputError(`a repository named "${name}" is ${before}`, { hint: "give this line another name after the location" }) });
      continue;
    }
    taken.set(name, `also on line ${line}`);
    const entry: ImportedRepo = {
      name,
      ...(remote ? { url: location } : { path: relative(dirname(configFile), absolute) || "." }),
      criticalPaths: [],
      ignorePaths: [],
      llm: true,
      source: "git",
      activity: true,
    };
    lines.push({ line, entry, location: absolute });
  }
  await forEachLimited(lines, 4, async (item) => {
    if (!check || item.location === undefined) return;
    await checkLocation(item.location).catch((error: unknown) => {
      item.problem = error;
    });
  });
  const failed = lines.filter((item) => item.problem !== undefined);
  if (failed.length === 0) return lines.map((item) => item.entry!);
  for (const { line, problem } of failed) {
    const known = isKnownError(problem) ? problem : undefined;
    process.stderr.write(`repo-digest: ${listPath}:${line}: ${known ? `${known.message}${known.hint ? ` (${known.hint})` : ""}` : String(problem)}\n`);
  }
  const summary = `${failed.length} of ${lines.length} line(s) of ${listPath} failed; nothing was added`;
  const fix = { hint: "fix or remove those lines, then import again" };
  // Only unreachable remotes: exit 3, as `repos add` would; anything else is the list's own fault.
  if (failed.every(({ problem }) => isKnownError(problem) && problem.exitCode === ExitCode.external)) throw new ExternalServiceError("git", summary, fix);
  throw new InputError(summary, fix);
}

/** Runs `fn` over `items`, at most `limit` at a time: a long list must not start a hundred git processes at once. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The name a report gives the entry, as far as the config tells: its `name`, `owner/name` of its URL, else its folder. */
function listedName(repo: { name?: string | undefined; url?: string | undefined; path?: string | undefined }): string {
  return repo.name ?? nameFromUrl(repo.url) ?? basename(repo.url ?? repo.path ?? "");
}
