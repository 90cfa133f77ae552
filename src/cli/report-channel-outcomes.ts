import type { ChannelOutcome } from "../pipeline/deliver-channels.js";
import type { CliContext } from "./context.js";

/** One line per channel on stderr: where it went, or why it did not. */
export function reportChannelOutcomes(outcomes: readonly ChannelOutcome[], context: CliContext): void {
  for (const outcome of outcomes) {
    if (outcome.status === "failed") process.stderr.write(`repo-digest: ${outcome.channel}: not delivered: ${outcome.error ?? "unknown error"}\n`);
    else if (!context.options.quiet) process.stderr.write(`repo-digest: ${outcome.channel}: delivered${outcome.target ? ` to ${outcome.target}` : ""}\n`);
  }
}
