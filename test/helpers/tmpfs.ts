/**
 * A small real filesystem for fault tests: a tmpfs of a chosen size, so that "the disk is
 * full" is ENOSPC from the kernel, not a mock. Needs root (CI runs as root). Where it cannot
 * be mounted the test must fail, not pass: `mountTmpfs` throws one line saying why.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Tmpfs {
  dir: string;
  /** Unmounts and removes the mount point. */
  unmount(): void;
}

export function mountTmpfs(sizeKiB: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), "repo-digest-tmpfs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0755`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`fault suite: cannot mount a ${sizeKiB} KiB tmpfs (${stderr || String(error)}); these tests need root and mount(8)`);
  }
  return {
    dir,
    unmount() {
      execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
