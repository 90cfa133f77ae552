/**
 * The small set of errors the CLI knows how to report. The top-level catch in
 * `src/cli/main.ts` maps each to one line on stderr and an exit code; nothing
 * compares errors by their message text.
 */

export const ExitCode = {
  ok: 0,
  /** Unexpected failure: a bug, or something we did not anticipate. */
  internal: 1,
  /** Bad command line, config file or input value. */
  usage: 2,
  /** A git repository, a remote or another outside service failed. */
  external: 3,
  /** The report was written, but more LLM analyses failed than `llm.failureThreshold` allows. */
  analysisFailures: 4,
  /** The report was written, but a configured channel failed; `repo-digest deliver --retry` resends. */
  deliveryFailures: 5,
  /** The report was written with every commit, but some files could not be read (missing objects); each commit says which. */
  incomplete: 6,
  /** Stopped by a second SIGINT or SIGTERM (128 + SIGINT, as shells report it); nothing half-written is left. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

abstract class RepoDigestError extends Error {
  abstract readonly exitCode: ExitCode;
  /** What the user can do about it; printed after the message. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** A config key or command-line option holds a value we cannot use. */
export class ConfigError extends RepoDigestError {
  readonly exitCode = ExitCode.usage;
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(`${key}: ${formatValue(value)} is not allowed; expected ${allowed}`, options);
  }
}

/** Any other input we cannot use (a missing repository, an unreadable file). */
export class InputError extends RepoDigestError {
  readonly exitCode = ExitCode.usage;
}

/** git, a remote host or another service did not do what we asked. */
export class ExternalServiceError extends RepoDigestError {
  readonly exitCode = ExitCode.external;
  constructor(
    readonly service: string,
    message: string,
    readonly details: {
      status?: number | string;
      retryable?: boolean;
      /** How long the service asked us to wait before trying again (a Retry-After header). */
      retryAfterMs?: number;
      hint?: string;
      cause?: unknown;
    } = {},
  ) {
    super(`${service}: ${message}`, { hint: details.hint, cause: details.cause });
  }
  get retryable(): boolean {
    return this.details.retryable ?? false;
  }
}

/**
 * The machine, not the input: a full disk, a read-only or unwritable folder, a damaged
 * database file. Same exit code as a failed outside service (3): retrying after fixing the
 * environment helps, changing the command does not.
 */
export class EnvironmentError extends RepoDigestError {
  readonly exitCode = ExitCode.external;
}

/** The report was written with every commit, but some files of some commits could not be read. */
export class IncompleteReportError extends RepoDigestError {
  readonly exitCode = ExitCode.incomplete;
}

/** The run finished and wrote its report, but too many LLM analyses fell back to the rules. */
export class AnalysisFailuresError extends RepoDigestError {
  readonly exitCode = ExitCode.analysisFailures;
}

/** The report was written, but at least one configured channel did not get it. */
export class DeliveryFailuresError extends RepoDigestError {
  readonly exitCode = ExitCode.deliveryFailures;
}

/** A broken invariant inside repo-digest itself. */
export class InternalError extends RepoDigestError {
  readonly exitCode = ExitCode.internal;
}

/**
 * A known error raised in another process (a queued job's worker), carried back as data:
 * the waiting command ends with the same line and exit code as if it had run the job itself.
 */
export class RemoteError extends RepoDigestError {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options: { hint?: string } = {},
  ) {
    super(message, options);
  }
}

export type KnownError =
  | RemoteError
  | ConfigError
  | InputError
  | ExternalServiceError
  | EnvironmentError
  | IncompleteReportError
  | AnalysisFailuresError
  | DeliveryFailuresError
  | InternalError;

export function isKnownError(error: unknown): error is KnownError {
  return error instanceof RepoDigestError;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
