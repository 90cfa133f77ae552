/**
 * Fills a (tmpfs) filesystem with a filler file until only `leaveBytes` are free, so that
 * the next write of more than that gets a real short write, then ENOSPC, from the kernel.
 */
import { statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Writes `<dir>/<name>` so that `leaveBytes` (rounded down to whole blocks) stay free; returns its path. */
export function fillDisk(dir: string, leaveBytes: number, name = "filler.bin"): string {
  const { bsize } = statfsSync(dir);
  const size = Math.max(0, Math.floor((freeBytes(dir) - leaveBytes) / bsize) * bsize);
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(size, 0x2e));
  const left = freeBytes(dir);
  if (left > leaveBytes + bsize || left < leaveBytes - bsize) {
    throw new Error(`fault suite: filled ${dir} but ${left} bytes are free, not about ${leaveBytes}`);
  }
  return path;
}
