/**
 * Object contents through ONE long-lived `git cat-file --batch` process per repository
 * (git-cat-file(1), "BATCH OUTPUT"): a request is a line naming an object (an id, or
 * `<rev>:<path>`), an answer is `<oid> <type> <size>\n<contents>\n` or `<name> missing\n`.
 * Requests are answered in order, so one queue of waiting callers is enough. Starting a
 * git process per file would cost more than reading the file.
 */
import type { ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { BlobReader, ObjectContent } from "../types.js";
import { noLazyFetchEnv, spawnGit } from "./run-git.js";

interface Waiting {
  name: string;
  resolve: (content: ObjectContent | undefined) => void;
  reject: (error: Error) => void;
}

const NEWLINE = 0x0a;
/** How git dies on an object a partial clone's promisor should have (promisor-remote.c). */
const MISSING_OBJECT = /could not fetch \S+ from promisor remote|unable to read|is corrupt/;

export class GitBlobReader implements BlobReader {
  private child: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  private readonly waiting: Waiting[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;
  private stderr = "";

  constructor(private readonly gitDir: string) {}

  read(names: readonly string[]): Promise<Array<ObjectContent | undefined>> {
    if (names.length === 0) return Promise.resolve([]);
    if (this.failure) return Promise.reject(this.failure);
    const child = this.start();
    const answers = names.map(
      (name) =>
        new Promise<ObjectContent | undefined>((resolve, reject) => {
          // A name with a newline would be read as two requests.
          if (/[\n\r]/.test(name)) {
            resolve(undefined);
            return;
          }
          this.waiting.push({ name, resolve, reject });
        }),
    );
    const lines = names.filter((name) => !/[\n\r]/.test(name));
    child.stdin.write(`${lines.join("\n")}\n`);
    return Promise.all(answers);
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    child.stdin.end();
    await exited;
  }

  private start(): ChildProcessByStdio<Writable, Readable, Readable> {
    if (this.child) return this.child;
    // No lazy fetch of missing objects one by one: a damaged clone answers "missing", a partial one dies (see "close").
    const child = spawnGit(["cat-file", "--batch"], { gitDir: this.gitDir, env: noLazyFetchEnv() });
    child.stdout.on("data", (chunk: Buffer) => this.take(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      if (this.stderr.length < 4096) this.stderr += text;
    });
    child.stdin.on("error", () => undefined);
    const fail = (error: Error) => {
      this.failure = error;
      this.child = undefined;
      for (const waiting of this.waiting.splice(0)) waiting.reject(error);
    };
    child.on("error", fail);
    child.on("close", (code) => {
      this.child = undefined;
      if (this.waiting.length === 0) return;
      // In a partial clone, cat-file does not answer "missing" for an object the promisor
      // should have: it dies ("could not fetch <oid> from promisor remote"). Answers come in
      // order, so the first request unanswered is that object; the rest go to a new process.
      if (MISSING_OBJECT.test(this.stderr) && this.buffer.length === 0) {
        const [missing, ...rest] = this.waiting.splice(0);
        this.stderr = "";
        missing!.resolve(undefined);
        if (rest.length > 0) {
          this.waiting.push(...rest);
          this.start().stdin.write(`${rest.map((waiting) => waiting.name).join("\n")}\n`);
        }
        return;
      }
      fail(new Error(`git cat-file exited (${code}) with ${this.waiting.length} requests unanswered: ${this.stderr.trim()}`));
    });
    this.child = child;
    return child;
  }

  private take(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(NEWLINE);
      if (headerEnd < 0) return;
      const header = this.buffer.toString("latin1", 0, headerEnd);
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        this.buffer = this.buffer.subarray(headerEnd + 1);
        this.waiting.shift()?.resolve(undefined);
        continue;
      }
      const [oid, type, sizeText] = header.split(" ");
      const size = Number(sizeText);
      if (!oid || !type || !Number.isFinite(size)) {
        const error = new Error(`git cat-file: unexpected answer ${JSON.stringify(header.slice(0, 80))}`);
        this.failure = error;
        for (const waiting of this.waiting.splice(0)) waiting.reject(error);
        return;
      }
      const end = headerEnd + 1 + size;
      // The contents and their trailing newline must both have arrived.
      if (this.buffer.length < end + 1) return;
      const data = Buffer.from(this.buffer.subarray(headerEnd + 1, end));
      this.buffer = this.buffer.subarray(end + 1);
      this.waiting.shift()?.resolve({ oid, type, data });
    }
  }
}
