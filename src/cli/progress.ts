import type { Progress } from "../pipeline/progress.js";
import { silentProgress } from "../pipeline/progress.js";
import { colorEnabled } from "../logger.js";

/**
 * A spinner on a terminal, for the user watching a long run; nothing on a pipe, in cron or
 * in CI (their stderr is a log), except the notes, which are warnings. ora loads only here,
 * on a terminal.
 */
export async function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream; now?: () => number }): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  // A terminal that reports no width (a pseudo-terminal nobody sized) would make the
  // spinner erase "lines" forever: treated as no terminal.
  if (options.quiet || !stream.isTTY || !(stream.columns > 0)) {
    return {
      ...silentProgress,
      note: (text) => {
        if (!options.quiet) stream.write(`repo-digest: ${text}\n`);
      },
    };
  }
  const { default: ora } = await import("ora");
  // ora's own colour check misses NO_COLOR; ours reads it.
  const spinner = ora({ stream, discardStdin: false, color: colorEnabled(stream) ? "cyan" : false });
  const now = options.now ?? Date.now;
  const counting = new Map<string, number>();
  const show = (text: string) => {
    if (!spinner.isSpinning) spinner.start(text);
    else spinner.text = text;
  };
  return {
    update: show,
    count(label, done, total) {
      let startedAt = counting.get(label);
      if (startedAt === undefined) counting.set(label, (startedAt = now()));
      show(formatCount(label, done, total, now() - startedAt));
      // Frames are drawn on a timer; a task's last count is drawn now, so that even work
      // faster than a frame leaves its total on the screen once.
      if (done === total) spinner.render();
    },
    note(text) {
      spinner.warn(text);
    },
    stop() {
      spinner.stop();
    },
  };
}

/**
 * `nixl: analysing 120/300 (40%) · 0:42 · ETA 1:03`. The ETA is the rate so far applied to
 * what is left; it shows once there is a rate to go by (a few items or two seconds).
 */
export function formatCount(label: string, done: number, total: number, elapsedMs: number): string {
  const share = total > 0 ? Math.floor((done / total) * 100) : 100;
  let text = `${label} ${done}/${total} (${share}%) · ${formatDuration(elapsedMs)}`;
  if (done > 0 && done < total && (done >= 3 || elapsedMs >= 2000)) {
    text += ` · ETA ${formatDuration((elapsedMs / done) * (total - done))}`;
  }
  return text;
}

/** 0:07, 12:30, 1:02:03. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
