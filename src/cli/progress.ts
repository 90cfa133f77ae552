import type { Progress } from "../pipeline/progress.js";
import { silentProgress } from "../pipeline/progress.js";

/**
 * A spinner with the current step on stderr, only when stderr is a terminal: logs and
 * CI output stay clean, and stdout stays free for `--out -`. The spinner's library is
 * loaded only then.
 */
export async function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream }): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) {
    return {
      ...silentProgress,
      note: (text) => {
        if (!options.quiet) stream.write(`repo-digest: ${text}\n`);
      },
    };
  }
  const { default: ora } = await import("ora");
  const spinner = ora({ stream, discardStdin: false });
  return {
    update(text) {
      if (!spinner.isSpinning) spinner.start(text);
      else spinner.text = text;
    },
    note(text) {
      spinner.warn(text);
    },
    stop() {
      spinner.stop();
    },
  };
}
