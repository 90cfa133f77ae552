/**
 * The one shape of every adapter registry (sources, enrichment, analyzers, renderers,
 * channels): adapters by their `id`, one folder each under the stage's folder, looked up
 * here and nowhere else. An unknown id is a config error naming the known ones.
 * test/registries.test.ts checks each registry against its stage's folders.
 */
import { ConfigError } from "./errors.js";

export interface Registry<T, Id extends string = string> {
  /** What the adapters are, for messages: "source", "analyzer", "format"... */
  readonly kind: string;
  readonly ids: readonly Id[];
  has(id: string): id is Id;
  /** @throws ConfigError naming `key` (the config key or option that gave the id) and the known ids. */
  get(id: string, key?: string): T;
  entries(): IterableIterator<[Id, T]>;
}

export function createRegistry<T, Id extends string = string>(kind: string, entries: ReadonlyArray<readonly [Id, T]>): Registry<T, Id> {
  const byId = new Map<Id, T>();
  for (const [id, adapter] of entries) {
    if (byId.has(id)) throw new Error(`two ${kind} adapters have the id ${id}`);
    byId.set(id, adapter);
  }
  const ids = [...byId.keys()];
  return {
    kind,
    ids,
    has: (id): id is Id => byId.has(id as Id),
    get(id, key = kind) {
      const adapter = byId.get(id as Id);
      if (adapter === undefined) throw new ConfigError(key, id, `one of: ${ids.join(", ")}`);
      return adapter;
    },
    entries: () => byId.entries(),
  };
}
