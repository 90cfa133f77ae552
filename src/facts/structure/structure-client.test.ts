import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../../test/helpers/make-repo.js";
import { GitBlobReader } from "../../sources/git/blob-reader.js";
import { readCommitsFromGit } from "../../sources/git/read-log.js";
import type { Commit } from "../../sources/types.js";
import { selectFilesToRead } from "../extract-facts.js";
import { openLocalStructurePass, openWorkerStructurePass } from "./structure-client.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

describe("the structural pass in a worker thread", () => {
  it("answers in order with the same structures as the pass in this thread", async () => {
    repo = makeRepo();
    const shas: string[] = [];
    let text = "";
    for (let i = 0; i < 5; i++) {
      text += `def f${i}(a, b=${i}):\n    return a + b\n\n`;
      repo.write("src/pkg/mod.py", text);
      repo.write("src/lib.rs", `pub fn g${i}() {}\n`);
      shas.push(repo.commit(`feat: f${i}`));
    }
    const gitDir = `${repo.dir}/.git`;
    const commits: Commit[] = [];
    for await (const commit of readCommitsFromGit(shas.reverse(), { gitDir })) commits.push(commit);

    const local = openLocalStructurePass(new GitBlobReader(gitDir));
    const worker = openWorkerStructurePass(gitDir);
    try {
      const want = (index: number) => selectFilesToRead(commits[index]!, { criticalPaths: [], ignorePaths: [] }).structure;
      // All asked at once: the worker must answer each request with its own commit's structures.
      const fromWorker = await Promise.all(commits.map((commit, index) => worker.readCommit(commit, want(index))));
      for (const [index, commit] of commits.entries()) {
        expect(fromWorker[index]).toEqual(await local.readCommit(commit, want(index)));
      }
      expect(fromWorker[0]!.get(0)).toMatchObject({ status: "parsed" });
    } finally {
      await worker.close();
      await local.close();
    }
    expect(worker.stats.fullParses + worker.stats.incrementalParses).toBeGreaterThan(0);
  });
});
