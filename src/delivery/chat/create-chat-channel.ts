import type { z } from "zod";
import type { Channel, Delivery, DeliveryResult } from "../types.js";
import { postJson } from "./post-json.js";
import { resolveRetryPolicy, type ChatChannelOptions } from "./retry-policy.js";
import { describeTarget, readSecret, readSecretUrl, secretFormsOf } from "./secrets.js";

/** What every chat channel's config holds; `secretEnv` on the platforms that sign. */
interface ChatConfig {
  urlEnv: string;
  timeoutMs: number;
  secretEnv?: string | undefined;
}

/** One POST: where it goes and what it carries. */
export interface ChatRequest {
  url: URL;
  body: unknown;
}

/** How a platform signs a request when its config names a secret (Feishu in the body, DingTalk in the query). */
export interface ChatSigning {
  /** What the secret is, for the error naming an unset variable: "the Feishu bot signing secret". */
  secret: string;
  /** The hint's advice when no secret is configured: "whether the bot wants a signature". */
  unsigned: string;
  sign(request: ChatRequest, secret: string, nowMs: number): ChatRequest;
}

/** What is a chat platform's own; secrets, retries, errors and the target are the factory's. */
export interface ChatChannelSpec<S extends z.ZodType<ChatConfig>, M> {
  /** The key under `delivery:`, and the channel named in errors and results. */
  id: string;
  schema: S;
  /** The result's format, when it is not the id. */
  format?: string;
  /** What the URL variable holds, for the error naming an unset one: "the Slack incoming-webhook URL". */
  url: string;
  /** Request headers read from the environment (their values are secrets). */
  readHeaders?: (config: z.output<S>, env: NodeJS.ProcessEnv) => Record<string, string>;
  /** The messages one delivery posts, in order. */
  build(delivery: Delivery, config: z.output<S>): readonly M[];
  /** What to check when the platform refuses a message; `signing` is the advice on the secret (empty where the platform does not sign). */
  hint(config: z.output<S>, signing: string): string;
  /** For platforms that answer HTTP 200 with an error code in the body. */
  okWhen?: (json: unknown) => boolean;
  /** A body error that is a rate limit, worth another attempt. */
  retryWhen?: (json: unknown) => boolean;
  sign?: ChatSigning;
}

export interface SignedChatChannelOptions extends ChatChannelOptions {
  /** The clock, for the signature's timestamp; tests pass a fixed one. */
  now?: () => number;
}

export type ChatChannelFactory<S extends z.ZodType<ChatConfig>> = (config: z.output<S>, env: NodeJS.ProcessEnv, options?: SignedChatChannelOptions) => Channel;

/**
 * The factory of one chat channel. Secrets are read when the channel is created, so that
 * a missing one stops the run before any work. Each message is signed on its own: the
 * platforms take a timestamp within an hour of their clock.
 */
export function createChatChannel<S extends z.ZodType<ChatConfig>, M>(spec: ChatChannelSpec<S, M>): ChatChannelFactory<S> {
  return (config, env, options = {}) => {
    const { id, sign } = spec;
    const url = readSecretUrl(env, config.urlEnv, `${id}.urlEnv`, spec.url);
    const headers = spec.readHeaders?.(config, env);
    const secretEnv = sign === undefined ? undefined : config.secretEnv;
    const secret = sign === undefined || secretEnv === undefined ? undefined : readSecret(env, secretEnv, `${id}.secretEnv`, sign.secret);
    const target = describeTarget(id, url);
    const retry = resolveRetryPolicy(config.timeoutMs, options.retry);
    const now = options.now ?? Date.now;
    const signing = sign === undefined ? "" : secretEnv === undefined ? `${sign.unsigned} (set ${id}.secretEnv)` : `the signing secret in $${secretEnv}`;
    const hint = spec.hint(config, signing);
    return {
      id,
      async deliver(delivery: Delivery): Promise<DeliveryResult[]> {
        for (const message of spec.build(delivery, config)) {
          const request = sign === undefined || secret === undefined ? { url, body: message } : sign.sign({ url, body: message }, secret, now());
          await postJson(request.url.href, request.body, {
            channel: id,
            retry,
            fetch: options.fetch,
            headers,
            secrets: [...secretFormsOf(request.url), ...(secret === undefined ? [] : [secret])],
            hint,
            okWhen: spec.okWhen,
            retryWhen: spec.retryWhen,
          });
        }
        return [{ channel: id, target, format: spec.format ?? id }];
      },
    };
  };
}
