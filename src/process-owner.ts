/**
 * Which process holds something (a `runs` row left "running", the daemon's lock), and
 * whether that process is still there. A pid alone is not enough: after a reboot or a
 * long time it names another process. So the owner also carries the host, the kernel's
 * boot id and the process's start time (Linux: /proc), and a pid is gone when it is not
 * running, or runs a process that started at another time, or the machine rebooted since.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessOwner {
  pid: number;
  host: string;
  /** `/proc/sys/kernel/random/boot_id`: new at every boot (Linux only). */
  bootId?: string;
  /** Field 22 of `/proc/<pid>/stat`, clock ticks after boot: tells a reused pid apart (Linux only). */
  processStart?: string;
}

/** This process, as an owner to record. */
export function currentProcessOwner(): ProcessOwner {
  const bootId = readBootId();
  const processStart = readProcessStart(process.pid);
  return {
    pid: process.pid,
    host: hostname(),
    ...(bootId !== undefined ? { bootId } : {}),
    ...(processStart !== undefined ? { processStart } : {}),
  };
}

/**
 * True when the owner's process is certainly gone. An owner on another host cannot be
 * checked from here, so it counts as alive: the safe answer for a shared data dir.
 */
export function isProcessGone(owner: ProcessOwner, here: ProcessOwner = currentProcessOwner()): boolean {
  if (owner.host !== here.host) return false;
  if (owner.bootId !== undefined && here.bootId !== undefined && owner.bootId !== here.bootId) return true;
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return true;
  }
  if (owner.processStart === undefined) return false;
  const start = readProcessStart(owner.pid);
  return start !== undefined && start !== owner.processStart;
}

/** "pid 1234 on host build-1", for messages. */
export function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid} on host ${owner.host}`;
}

function readBootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** See proc_pid_stat(5): the command name (field 2) may hold spaces and parentheses, so count after its last ')'. */
function readProcessStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // After "pid (comm) " come fields 3 (state) onwards: field 22 is the 20th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19];
}
