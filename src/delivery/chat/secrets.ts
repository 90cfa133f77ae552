import { ConfigError } from "../../errors.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The value of the environment variable the config names. Read when a channel is
 * created, so that a missing secret stops the run before any work; the error names the
 * variable, never a value.
 */
export function readSecret(env: Env, variable: string, key: string, what: string): string {
  const value = env[variable];
  if (value === undefined || value.trim() === "") {
    throw new ConfigError(key, variable, `the name of a set environment variable holding ${what}`, {
      hint: `${variable} is not set: export ${variable}=<${what}> before running, or set ${key} to the variable that holds it`,
    });
  }
  return value.trim();
}

/** A webhook URL from the environment; checked to be http(s) without echoing it. */
export function readSecretUrl(env: Env, variable: string, key: string, what: string): URL {
  const value = readSecret(env, variable, key, what);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ConfigError(key, variable, `the name of a variable holding ${what} (an http(s) URL)`, {
      hint: `${variable} does not hold an http(s) URL; check its value`,
    });
  }
  return url;
}

/** Where a message went, without the secret path or query: "slack:hooks.slack.com". */
export function describeTarget(channel: string, url: URL): string {
  return `${channel}:${url.host}`;
}

/**
 * The forms in which a webhook URL's secret may show up in a message: the whole URL,
 * its path and query, and each long path segment or query value (the tokens).
 */
export function secretFormsOf(url: URL): string[] {
  const forms = [url.href, `${url.pathname}${url.search}`, url.search];
  for (const segment of url.pathname.split("/")) if (segment.length >= 8) forms.push(segment);
  for (const value of url.searchParams.values()) if (value.length >= 8) forms.push(value, encodeURIComponent(value));
  return forms.filter((form) => form.length >= 4);
}

/** Replaces every secret form in `text`, longest first so that a part does not leave the rest behind. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result;
}
