import * as z from "zod";
import { envName, timeoutMs } from "../chat/config-fields.js";

/** A header field name (RFC 9110 §5.1: a token). */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: "an HTTP header name, such as Authorization" });

/** Headers the request sets itself. */
const RESERVED_HEADERS = ["content-type", "content-length", "host", "transfer-encoding", "connection"];

/** `delivery.webhook`: the digest as one JSON document POSTed to any URL. */
export const webhookConfigSchema = z.strictObject({
  /** The NAME of the variable holding the URL (it may carry a token). */
  urlEnv: envName,
  /** Extra headers, each value read from the variable named: `Authorization: { env: HOOK_TOKEN }`. */
  headers: z
    .record(headerName, z.strictObject({ env: envName }))
    .refine((headers) => Object.keys(headers).every((name) => !RESERVED_HEADERS.includes(name.toLowerCase())), {
      message: `headers other than ${RESERVED_HEADERS.join(", ")}, which the request sets itself`,
    })
    .optional(),
  /** Add the whole report model under `report`. */
  includeReport: z.boolean().default(false),
  timeoutMs,
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export type WebhookConfigInput = z.input<typeof webhookConfigSchema>;
