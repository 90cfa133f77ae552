import type { SMTPTransportOptions } from "nodemailer";
import { ConfigError, ExternalServiceError } from "../../errors.js";
import { withRetries, type RetryOptions } from "../../with-retries.js";
import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { composeEmail } from "./compose-message.js";
import type { EmailConfig } from "./email-config.js";
import { describeSmtpError, type SmtpErrorContext } from "./smtp-error.js";

/** Attempts after the first, and the waits between them (exponential, with jitter). */
export type RetryPolicy = RetryOptions;

export interface EmailChannelOptions {
  retry?: RetryPolicy;
  /** Extra nodemailer SMTP options (time-outs, TLS settings), for tests and odd servers. */
  transportOptions?: Partial<SMTPTransportOptions>;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 2_000, maxDelayMs: 60_000 };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Sends each report as one e-mail. Credentials are read from the environment variables
 * the config names, when the channel is created, so that a missing one stops the run
 * before any work rather than after the report is built.
 */
export function createEmailChannel(config: EmailConfig, env: Env, options: EmailChannelOptions = {}): Channel {
  const auth = readCredentials(config, env);
  const server = `smtp://${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.port}`;
  const recipients = [...config.to, ...(config.cc ?? [])].map(bareAddress);
  const target = `${server} → ${recipients.join(", ")}`;
  const errorContext: SmtpErrorContext = {
    server,
    ...(config.userEnv === undefined ? {} : { userEnv: config.userEnv }),
    ...(config.passwordEnv === undefined ? {} : { passwordEnv: config.passwordEnv }),
    secrets: auth ? secretForms(auth.user, auth.pass) : [],
  };

  return {
    id: "email",
    async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
      const message = composeEmail(delivery, config);
      // Loaded when a report is sent, not at every start of the program.
      const { default: nodemailer } = await import("nodemailer");
      const transport = nodemailer.createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        ...(config.requireTls === undefined ? {} : { requireTLS: config.requireTls }),
        ...(auth ? { auth } : {}),
        ...options.transportOptions,
      });
      try {
        await withRetries(async () => {
          let info: { rejected?: unknown[] };
          try {
            info = await transport.sendMail(message);
          } catch (error) {
            throw describeSmtpError(error, errorContext);
          }
          // The server took the message for some recipients: sending again would
          // duplicate it for them, so this is reported, not retried.
          const rejected = (info.rejected ?? []).map((entry) => (typeof entry === "string" ? entry : JSON.stringify(entry)));
          if (rejected.length > 0) {
            throw new ExternalServiceError(server, `refused the recipients ${rejected.join(", ")}; the others got the report`, {
              retryable: false,
              hint: "check the addresses in `to` and `cc`",
            });
          }
        }, options.retry ?? DEFAULT_RETRY);
      } finally {
        transport.close();
      }
      return [{ channel: "email", target, format: "email" }];
    },
  };
}

function readCredentials(config: EmailConfig, env: Env): { user: string; pass: string } | undefined {
  if (config.userEnv === undefined || config.passwordEnv === undefined) return undefined;
  return { user: readVariable(env, config.userEnv, "userEnv", "user name"), pass: readVariable(env, config.passwordEnv, "passwordEnv", "password") };
}

function readVariable(env: Env, name: string, key: "userEnv" | "passwordEnv", what: string): string {
  const value = env[name];
  if (value === undefined || value === "") {
    throw new ConfigError(`email.${key}`, name, `the name of a set environment variable holding the SMTP ${what}`, {
      hint: `${name} is not set: export ${name}=<the SMTP ${what}> before running, or set email.${key} to the variable that holds it`,
    });
  }
  return value;
}

/** The password as it may come back in a server's reply: plain, or base64 as AUTH LOGIN and PLAIN send it. */
function secretForms(user: string, pass: string): string[] {
  return [pass, Buffer.from(pass).toString("base64"), Buffer.from(`\u0000${user}\u0000${pass}`).toString("base64")];
}

function bareAddress(address: string): string {
  return /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address;
}
