import { ExternalServiceError } from "../../errors.js";

/** What the error says about where to look; names of variables, never their values. */
export interface SmtpErrorContext {
  /** "smtp://host:port", the service named in the error. */
  server: string;
  userEnv?: string;
  passwordEnv?: string;
  /** Values that must never appear in a message: the password, also as AUTH sends it. */
  secrets: readonly string[];
}

/** The fields nodemailer sets on its errors (nodemailer/dist/esm/errors.d.ts). */
interface NodemailerFailure {
  message?: unknown;
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

const CONNECTION_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET"]);
/** getaddrinfo's "try again": a resolver hiccup, unlike ENOTFOUND (a wrong host name). */
const TRANSIENT_DNS = new Set(["EAI_AGAIN"]);

/**
 * Turns a nodemailer failure into one ExternalServiceError. RFC 5321 §4.2.1: a 4yz reply
 * (421 service closing, 450/451/452 mailbox busy, local error, storage) is transient and
 * worth another attempt, as is a dropped or timed-out connection; a 5yz reply (535 login
 * refused, 550 mailbox unavailable) will not change by itself and fails at once.
 */
export function describeSmtpError(error: unknown, context: SmtpErrorContext): ExternalServiceError {
  const failure: NodemailerFailure = typeof error === "object" && error !== null ? (error as NodemailerFailure) : {};
  const code = typeof failure.code === "string" ? failure.code : undefined;
  const originalCode = typeof failure.originalCode === "string" ? failure.originalCode : undefined;
  const status = typeof failure.responseCode === "number" ? failure.responseCode : undefined;
  const reply = redact(firstLine(typeof failure.response === "string" ? failure.response : String(failure.message ?? error)), context.secrets);
  const make = (message: string, retryable: boolean, hint: string) =>
    new ExternalServiceError(context.server, message, {
      ...(status === undefined ? {} : { status }),
      retryable,
      hint,
      // The raw error carries the server's reply, which may echo what we sent.
      cause: Object.assign(new Error(reply), { code, responseCode: status }),
    });

  if (status !== undefined && status >= 400 && status < 500) {
    return make(`answered "${reply}" (temporary)`, true, "the server asked to try again later; if this persists, check its queue and limits");
  }
  if (code === "EAUTH" || status === 530 || status === 534 || status === 535) {
    return make(`refused the login: ${reply}`, false, credentialHint(context));
  }
  if (status !== undefined && status >= 500) {
    return make(`refused the message: ${reply}`, false, permanentHint(status, failure.command));
  }
  if (code === "EDNS") {
    return make(`cannot resolve the host name: ${reply}`, originalCode !== undefined && TRANSIENT_DNS.has(originalCode), "check `host` in the e-mail settings");
  }
  if (code === "ETLS" || code === "EREQUIRETLS") {
    return make(
      `TLS failed: ${reply}`,
      false,
      "check `secure` (true for port 465, false for STARTTLS on 587), `requireTls`, and the server's certificate",
    );
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return make(`connection failed: ${reply}`, true, "check `host` and `port` in the e-mail settings, and that the server is reachable from here");
  }
  return make(`sending failed: ${reply}`, false, "check the e-mail settings");
}

function credentialHint(context: SmtpErrorContext): string {
  if (context.userEnv === undefined || context.passwordEnv === undefined) {
    return "the server wants a login: set `userEnv` and `passwordEnv` to the names of the variables holding the SMTP user and password";
  }
  return `check the user in $${context.userEnv} and the password in $${context.passwordEnv} (some providers want an app password)`;
}

function permanentHint(status: number, command: unknown): string {
  if (command === "MAIL FROM") return "check `from`: the server does not accept it as the sender";
  if (command === "RCPT TO" || status === 550 || status === 551 || status === 553) return "check the addresses in `to` and `cc`, and `from`";
  if (status === 552) return "the message is larger than the server accepts";
  return "the server refuses this message; check its policy for the sender and the content";
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((line) => line.trim() !== "") ?? text).trim();
}

function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    result = result.split(secret).join("[redacted]");
  }
  return result;
}
