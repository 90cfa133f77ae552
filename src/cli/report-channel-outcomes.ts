import type { ChannelOutcome } from "../pipeline/deliver-channels.js";
import type { CliContext } from "./context.js";

/** One line per channel on stderr: where it went, or why it did not. */
export function reportChannelOutcomes(outcomes: readonly ChannelOutcome[], context: CliContext): void {
  for (const outcome of outcomes) {
    // Channel errors start with the channel's name ("slack: cannot reach …"): not said twice.
    if (outcome.status === "failed") {
      const error = (outcome.error ?? "unknown error").replace(new RegExp(`^${outcome.channel}: `), "");
      process.stderr.write(`repo-digest: ${outcome.channel}: not delivered: ${error}\n`);
    } else if (!context.options.quiet) process.stderr.write(`repo-digest: ${outcome.channel}: delivered${outcome.target ? ` to ${outcome.target}` : ""}\n`);
  }
}
