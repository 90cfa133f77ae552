/**
 * The user's files, once: in a git work tree what git itself lists (`--cached --others
 * --exclude-standard`: tracked and untracked, never what .gitignore ignores), else a walk of
 * the folder that honours every .gitignore on the way with the `ignore` package (the
 * implementation of gitignore(5) that eslint and prettier use). Symlinks are never followed:
 * a link's target inside the root is listed on its own, one outside it is not the user's code.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import { runGit } from "../../sources/git/run-git.js";

/** Trees of other people's code, skipped even when nothing ignores them. */
const VENDORED = new Set(["node_modules", ".venv", "venv", "vendor", "third_party", ".git", "__pycache__", ".tox", ".mypy_cache"]);

export function isVendored(path: string): boolean {
  const parts = path.split("/");
  for (let i = 0; i < parts.length - 1; i++) if (VENDORED.has(parts[i]!)) return true;
  return false;
}

/** Whether `root` is inside a git work tree. */
export async function isGitWorkTree(root: string): Promise<boolean> {
  try {
    return (await runGit(["rev-parse", "--is-inside-work-tree"], { cwd: root })).trim() === "true";
  } catch {
    return false;
  }
}

export async function readHead(root: string): Promise<string | undefined> {
  try {
    return (await runGit(["rev-parse", "--verify", "-q", "HEAD"], { cwd: root })).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Relative, `/`-separated paths of the candidate files under `root`, sorted, vendored trees left out. */
export async function listFiles(root: string, git: boolean): Promise<string[]> {
  const paths = git ? await listWithGit(root) : await walk(root);
  return [...new Set(paths)].filter((path) => !isVendored(path)).sort();
}

async function listWithGit(root: string): Promise<string[]> {
  // Run from root: paths come relative to it, and only what lies under it.
  const out = await runGit(["-c", "core.quotePath=false", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
    failure: { message: `could not list the files of ${root}`, hint: "check that the used-by path is a readable git work tree" },
  });
  return out.split("\0").filter((path) => path !== "");
}

async function walk(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, rules: Array<{ base: string; ig: Ignore }>): Promise<void> => {
    const full = dir === "" ? root : join(root, dir);
    const entries = await readdir(full, { withFileTypes: true }).catch(() => []);
    const here = entries.find((entry) => entry.name === ".gitignore" && entry.isFile());
    if (here) {
      const text = await readFile(join(full, ".gitignore"), "utf8").catch(() => "");
      rules = [...rules, { base: dir, ig: ignore().add(text) }];
    }
    const ignored = (path: string, isDir: boolean): boolean =>
      rules.some(({ base, ig }) => {
        const rel = base === "" ? path : path.slice(base.length + 1);
        return ig.ignores(isDir ? `${rel}/` : rel);
      });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      // Dirent of a symlink reports isSymbolicLink(), never isDirectory(): links are not followed.
      if (entry.isDirectory()) {
        if (VENDORED.has(entry.name) || ignored(path, true)) continue;
        await visit(path, rules);
      } else if (entry.isFile() && !ignored(path, false)) {
        found.push(path);
      }
    }
  };
  await visit("", []);
  return found;
}
