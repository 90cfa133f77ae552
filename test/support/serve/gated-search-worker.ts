/**
 * The search pool's real worker (src/serve/search-worker.ts), each search held until the
 * test releases it: a search as slow as the test wants, blocking its thread as a long
 * synchronous SQLite query does. workerData.gate: [0] searches allowed to run (each one takes
 * one), [1] searches that reached the thread (the test waits on it).
 */
import { parentPort, workerData } from "node:worker_threads";

const gate = new Int32Array((workerData as { gate: SharedArrayBuffer }).gate);
// Registered before the real worker's listener, so it runs first, on the same message.
parentPort!.on("message", () => {
  Atomics.add(gate, 1, 1);
  Atomics.notify(gate, 1);
  for (;;) {
    const allowed = Atomics.load(gate, 0);
    if (allowed > 0 && Atomics.compareExchange(gate, 0, allowed, allowed - 1) === allowed) break;
    Atomics.wait(gate, 0, allowed);
  }
});
await import("../../../src/serve/search-worker.js");
