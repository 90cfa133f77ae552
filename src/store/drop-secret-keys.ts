/** Key names that may hold credentials: apiKey, GITHUB_TOKEN, clientSecret, password, ... */
const SECRET_KEY = /token|key|secret|password/i;

/**
 * A copy of JSON-able data without any property whose name looks like it holds a
 * secret, at any depth. It is a safety net, not a licence: callers must still not
 * pass secrets. Over-matching is accepted (an `optionsKey` is dropped too), because a
 * run record missing a harmless value costs nothing and a leaked token costs a lot.
 */
export function dropSecretKeys<T>(value: T): T {
  return dropFrom(value) as T;
}

function dropFrom(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropFrom);
  if (!isPlainObject(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!SECRET_KEY.test(key)) kept[key] = dropFrom(inner);
  }
  return kept;
}

/** Dates, URLs and the like keep their own JSON form; only plain records are filtered. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
