/**
 * Facts of commits as they stream from a source, with the full texts the structural pass
 * needs: the product source files' structures (StructureReader) and both versions of each
 * manifest, read through the source's one blob process. A source that cannot read objects
 * (the GitHub API) gets facts from the patches alone.
 */
import type { BlobReader, Commit } from "../sources/types.js";
import { extractFacts, selectFilesToRead, type CommitTexts } from "./extract-facts.js";
import { readPythonRoots } from "./manifests/python-roots.js";
import { openLocalStructurePass, openWorkerStructurePass, type StructurePass } from "./structure/structure-client.js";
import type { ReaderStats, StructureReaderOptions } from "./structure/structure-reader.js";
import type { CommitFacts, FactOptions } from "./types.js";

/** Manifests are small; one over this is generated or vendored, and its patch is enough. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface FactReaderOptions extends Partial<StructureReaderOptions> {
  /** Run the structural pass in a worker thread on this repository (for long reads). */
  workerGitDir?: string;
}

export class FactReader {
  private readonly structures: StructurePass;

  constructor(
    private readonly blobs: BlobReader | undefined,
    options: FactReaderOptions = {},
  ) {
    const { workerGitDir, ...structureOptions } = options;
    this.structures = workerGitDir && blobs ? openWorkerStructurePass(workerGitDir, structureOptions) : openLocalStructurePass(blobs, structureOptions);
  }

  get stats(): ReaderStats {
    return this.structures.stats;
  }

  private readonly pythonRootsByBlob = new Map<string, string[] | undefined>();

  async read(commit: Commit, options: FactOptions): Promise<CommitFacts> {
    const pythonRoots = await this.readPythonRoots(commit);
    const selected = selectFilesToRead(commit, options, pythonRoots);
    const [structures, manifests] = await Promise.all([
      this.structures.readCommit(commit, selected.structure),
      this.readManifests(commit, selected.manifests),
    ]);
    const texts: CommitTexts = { structures, manifests, ...(pythonRoots ? { pythonRoots } : {}) };
    return extractFacts(commit, options, texts);
  }

  /** The folders the root pyproject.toml ships, when the commit changes Python files and the project says. */
  private async readPythonRoots(commit: Commit): Promise<string[] | undefined> {
    if (!this.blobs || !commit.files.some((file) => /\.pyi?$/.test(file.path))) return undefined;
    const [pyproject] = await this.blobs.read([`${commit.sha}:pyproject.toml`]);
    if (!pyproject || pyproject.data.length > MAX_MANIFEST_BYTES) return undefined;
    if (!this.pythonRootsByBlob.has(pyproject.oid)) this.pythonRootsByBlob.set(pyproject.oid, readPythonRoots(pyproject.data.toString("utf8")));
    return this.pythonRootsByBlob.get(pyproject.oid);
  }

  private async readManifests(commit: Commit, indexes: readonly number[]): Promise<CommitTexts["manifests"]> {
    const out = new Map<number, { before?: string; after?: string }>();
    if (!this.blobs || indexes.length === 0) return out;
    const names: string[] = [];
    for (const index of indexes) {
      const file = commit.files[index]!;
      if (file.oldBlob) names.push(file.oldBlob);
      if (file.newBlob) names.push(file.newBlob);
    }
    const answers = await this.blobs.read(names);
    const byId = new Map(names.map((name, i) => [name, answers[i]]));
    for (const index of indexes) {
      const file = commit.files[index]!;
      const before = file.oldBlob ? byId.get(file.oldBlob) : undefined;
      const after = file.newBlob ? byId.get(file.newBlob) : undefined;
      // A side that should exist but cannot be read: leave the file to the patch reader.
      if ((file.oldBlob && !before) || (file.newBlob && !after)) continue;
      if ((before?.data.length ?? 0) > MAX_MANIFEST_BYTES || (after?.data.length ?? 0) > MAX_MANIFEST_BYTES) continue;
      out.set(index, {
        ...(before ? { before: before.data.toString("utf8") } : {}),
        ...(after ? { after: after.data.toString("utf8") } : {}),
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.structures.close();
    await this.blobs?.close();
  }
}
