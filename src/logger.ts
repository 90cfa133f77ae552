import { pino, type Logger as PinoLogger } from "pino";
import pretty from "pino-pretty";

/**
 * One structured logger for the whole program: `logger.debug({ sha }, "analysed")`.
 * It always writes to stderr so that stdout stays free for reports (`--out -`):
 * readable lines on a terminal, JSON lines otherwise (for log collectors and grep).
 */
export type Logger = Pick<PinoLogger, "debug" | "info" | "warn" | "error" | "child" | "level">;

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const OPTIONS = {
  base: undefined,
  // Secrets must never reach a log, whatever a caller passes in.
  redact: { paths: ["token", "apiKey", "*.token", "*.apiKey", "password", "*.password"], censor: "[redacted]" },
};

export function createLogger(level: LogLevel = "warn"): Logger {
  const stream = process.stderr;
  if (stream.isTTY) {
    return pino(
      { ...OPTIONS, level },
      pretty({ destination: 2, sync: true, ignore: "pid,hostname,time", colorize: true, singleLine: true }),
    );
  }
  return pino(
    { ...OPTIONS, level, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything: the default for library calls and tests. */
export const silentLogger: Logger = pino({ level: "silent" });
