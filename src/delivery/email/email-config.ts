import * as z from "zod";

const ENV_NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: "the name of an environment variable, such as SMTP_PASSWORD (not the value itself)",
});

// A bare address or `Display Name <address>`; nodemailer parses both. One address per
// string, so that a comma in a display name cannot split a recipient in two.
const ADDRESS_PATTERN = /^(?:[^@\s<>,]+@[^@\s<>,]+|[^<>]*<[^@\s<>,]+@[^@\s<>,]+>)$/;
const address = z
  .string()
  .trim()
  .regex(ADDRESS_PATTERN, { message: 'one e-mail address, such as reports@example.com or "Reports <reports@example.com>"' });
const addresses = z.union([address, z.array(address).min(1)]).transform((value) => (typeof value === "string" ? [value] : value));

export const SUBJECT_PLACEHOLDERS = ["period", "repos"] as const;

const subject = z
  .string()
  .min(1)
  .refine((text) => [...text.matchAll(/\{(\w+)\}/g)].every((match) => (SUBJECT_PLACEHOLDERS as readonly string[]).includes(match[1]!)), {
    message: `a subject whose placeholders are ${SUBJECT_PLACEHOLDERS.map((name) => `{${name}}`).join(" and ")}`,
  });

/** `delivery.email`: the report sent as one e-mail over SMTP. */
export const emailConfigSchema = z
  .strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. Default: port is 465. */
    secure: z.boolean().optional(),
    /** The NAMES of the environment variables holding the SMTP user and password, never the values. */
    userEnv: ENV_NAME.optional(),
    passwordEnv: ENV_NAME.optional(),
    from: address,
    to: addresses,
    cc: addresses.optional(),
    /** With {period} and {repos}; default: "repo-digest 日报 {period}" / "repo-digest daily report {period}". */
    subject: subject.optional(),
    /** Refuse to send unless the server upgrades the connection with STARTTLS. */
    requireTls: z.boolean().optional(),
  })
  .refine((config) => (config.userEnv === undefined) === (config.passwordEnv === undefined), {
    message: "both `userEnv` and `passwordEnv`, or neither (a server without login)",
    path: ["passwordEnv"],
  })
  .transform((config) => ({ ...config, secure: config.secure ?? config.port === 465 }));

export type EmailConfig = z.infer<typeof emailConfigSchema>;
export type EmailConfigInput = z.input<typeof emailConfigSchema>;
