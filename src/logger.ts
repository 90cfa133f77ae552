import { pino, type Logger as PinoLogger } from "pino";

/**
 * One structured logger for the whole program: `logger.debug({ sha }, "analysed")`.
 * It always writes to stderr so that stdout stays free for reports (`--out -`).
 */
export type Logger = Pick<PinoLogger, "debug" | "info" | "warn" | "error" | "child" | "level">;

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export function createLogger(level: LogLevel = "warn"): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: false,
      // Secrets must never reach a log, whatever a caller passes in.
      redact: { paths: ["token", "apiKey", "*.token", "*.apiKey", "password", "*.password"], censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything: the default for library calls and tests. */
export const silentLogger: Logger = pino({ level: "silent" });
