/**
 * From the two structures of each changed file to symbol changes, then across the files
 * of the commit: a definition that leaves one file and appears in another moved; one that
 * keeps its code under a new name was renamed; only what is on one side alone, and found
 * nowhere else, was added or removed. Shifting lines is no change; moving a definition
 * within a file (the diff shows it deleted and re-added) is a move, never a removal.
 */
import type { SignatureChange, SymbolChange, SymbolKind } from "../types.js";
import type { FileStructures } from "./structure-reader.js";
import type { ParameterDef, SignatureDef, StructureLanguage, SymbolDef } from "./types.js";

export interface FileStructureDiffInput {
  path: string;
  oldPath?: string;
  structures: FileStructures;
  /** Display name of the language, as FileFacts.language. */
  language: string;
  /** The file is product source: its public definitions can be public API. */
  product: boolean;
  /** Lines deleted (old side) and added (new side), from the patch; absent when the patch was cut. */
  changedLines?: { removed: ReadonlySet<number>; added: ReadonlySet<number> };
}

/** Languages whose callers pass arguments by name, so a renamed parameter breaks them. */
const KEYWORD_ARGUMENTS: ReadonlySet<StructureLanguage> = new Set(["python"]);
/**
 * Languages where a changed return or parameter type breaks callers' builds. Not
 * TypeScript: its types are structural, and libraries widen and narrow them all the time
 * without breaking a caller; not Python, whose annotations nothing enforces at a call.
 */
const NOMINAL_TYPES: ReadonlySet<StructureLanguage> = new Set(["rust", "go", "c", "cpp"]);
/** Modifiers whose change breaks callers: they must await, call on the type, hold a mutable borrow... */
const BREAKING_MODIFIERS = /^(async|static|const|&self|&mut self|self|mut self|unsafe|= delete|= 0|abstract|classmethod|staticmethod|property|generator)$/;

interface Side {
  def: SymbolDef;
  path: string;
  exported: boolean;
}

export function diffStructures(files: readonly FileStructureDiffInput[]): SymbolChange[] {
  const changes: SymbolChange[] = [];
  const removed: Array<{ side: Side; input: FileStructureDiffInput }> = [];
  const added: Array<{ side: Side; input: FileStructureDiffInput }> = [];

  for (const input of files) {
    const { structures } = input;
    const before = (structures.before?.symbols ?? []).map((def) => side(def, input.oldPath ?? input.path, input.product && structures.reachBefore === "public"));
    const after = (structures.after?.symbols ?? []).map((def) => side(def, input.path, input.product && structures.reachAfter === "public"));
    const { pairs, onlyBefore, onlyAfter } = pairDefinitions(before, after);
    const fileChanges: SymbolChange[] = [];
    for (const [old, now] of pairs) {
      const change = compareDefinition(old, now, input);
      if (change) fileChanges.push(change);
    }
    // Renames within the file: the same code (shape) under another name, in the same scope.
    const renamedOld = new Set<Side>();
    const renamedNew = new Set<Side>();
    for (const old of onlyBefore) {
      const now = onlyAfter.find(
        (candidate) =>
          !renamedNew.has(candidate) &&
          candidate.def.kind === old.def.kind &&
          candidate.def.shape === old.def.shape &&
          scopeText(candidate.def) === scopeText(old.def),
      );
      if (!now) continue;
      renamedOld.add(old);
      renamedNew.add(now);
      fileChanges.push({
        ...baseChange(now, input, "renamed", old.exported || now.exported),
        from: { file: old.path, line: old.def.startLine, name: old.def.name },
      });
    }
    changes.push(...suppressExplainedParents(fileChanges));
    for (const old of onlyBefore) if (!renamedOld.has(old)) removed.push({ side: old, input });
    for (const now of onlyAfter) if (!renamedNew.has(now)) added.push({ side: now, input });
  }

  // Across files: the same name and kind leaving one file and arriving in another moved.
  const arrivals = new Map<string, Array<{ side: Side; input: FileStructureDiffInput }>>();
  for (const entry of added) {
    const key = moveKey(entry.side.def);
    const list = arrivals.get(key) ?? [];
    list.push(entry);
    arrivals.set(key, list);
  }
  const movedIn = new Set<Side>();
  for (const { side: old, input } of removed) {
    const candidates = (arrivals.get(moveKey(old.def)) ?? []).filter((candidate) => candidate.side.path !== old.path);
    // Several copies folded into one shared module (a helper factored out) all moved there.
    const target = candidates.find((candidate) => !movedIn.has(candidate.side)) ?? candidates[0];
    if (target) {
      movedIn.add(target.side);
      changes.push({
        ...baseChange(target.side, target.input, "moved", old.exported || target.side.exported),
        from: { file: old.path, line: old.def.startLine },
      });
      continue;
    }
    changes.push({ ...baseChange(old, input, "removed", old.exported), origin: { file: old.path, line: old.def.startLine } });
  }
  for (const { side: now, input } of added) {
    if (!movedIn.has(now)) changes.push(baseChange(now, input, "added", now.exported));
  }
  return foldIntoParents(changes);
}

/**
 * A class added (or removed) with its methods is one change: the members of a definition
 * that is itself added or removed in the same file are not listed again.
 */
function foldIntoParents(changes: readonly SymbolChange[]): SymbolChange[] {
  const whole = new Set(
    changes.filter((change) => change.change === "added" || change.change === "removed").map((change) => `${change.change}\u0000${change.origin.file}\u0000${change.name}`),
  );
  return changes.filter(
    (change) => !(change.scope && (change.change === "added" || change.change === "removed") && whole.has(`${change.change}\u0000${change.origin.file}\u0000${change.scope}`)),
  );
}

function side(def: SymbolDef, path: string, reachable: boolean): Side {
  return { def, path, exported: reachable && def.visibility === "public" };
}

function baseChange(at: Side, input: FileStructureDiffInput, change: SymbolChange["change"], exported: boolean): SymbolChange {
  const scope = scopeText(at.def);
  return {
    name: at.def.name,
    kind: at.def.kind,
    language: input.language,
    change,
    exported,
    basis: "structure",
    ...(scope ? { scope } : {}),
    origin: { file: at.path, line: at.def.startLine },
  };
}

function scopeText(def: SymbolDef): string {
  return def.scope.map((scope) => scope.name).join(def.name.includes("::") ? "::" : ".");
}

/** Kinds a definition can change between without being a different thing (a function becoming a method is a move into a class, not the same symbol). */
function kindGroup(kind: SymbolKind): string {
  // A class that becomes an interface, or a struct a class, is still the same name to users.
  return kind === "struct" || kind === "class" || kind === "interface" || kind === "type" ? "type-like" : kind;
}

function moveKey(def: SymbolDef): string {
  return `${kindGroup(def.kind)}\u0000${def.name}`;
}

/**
 * Pairs each definition before with one after by name and kind; overloads (several
 * under one name) pair by identical code first, then by identical signature, then in order.
 */
function pairDefinitions(before: readonly Side[], after: readonly Side[]): { pairs: Array<[Side, Side]>; onlyBefore: Side[]; onlyAfter: Side[] } {
  const byKey = new Map<string, { old: Side[]; now: Side[] }>();
  for (const [list, which] of [
    [before, "old"],
    [after, "now"],
  ] as const) {
    for (const entry of list) {
      const key = moveKey(entry.def);
      const group = byKey.get(key) ?? { old: [], now: [] };
      group[which].push(entry);
      byKey.set(key, group);
    }
  }
  const pairs: Array<[Side, Side]> = [];
  const onlyBefore: Side[] = [];
  const onlyAfter: Side[] = [];
  for (const { old, now } of byKey.values()) {
    const left = [...old];
    const right = [...now];
    for (const match of [(a: Side, b: Side) => a.def.fingerprint === b.def.fingerprint, (a: Side, b: Side) => signatureText(a.def.signature) === signatureText(b.def.signature), () => true]) {
      for (let i = 0; i < left.length; ) {
        const j = right.findIndex((candidate) => match(left[i]!, candidate));
        if (j < 0) {
          i += 1;
          continue;
        }
        pairs.push([left[i]!, right[j]!]);
        left.splice(i, 1);
        right.splice(j, 1);
      }
    }
    onlyBefore.push(...left);
    onlyAfter.push(...right);
  }
  return { pairs, onlyBefore, onlyAfter };
}

function compareDefinition(old: Side, now: Side, input: FileStructureDiffInput): SymbolChange | undefined {
  const exported = old.exported || now.exported;
  const signature = compareSignatures(old, now, input.structures.language);
  if (signature) return { ...baseChange(now, input, "signature", exported), signature };
  if (old.def.fingerprint !== now.def.fingerprint) return baseChange(now, input, "modified", exported);
  // Same code. It moved only if the diff deleted and re-added it; shifted lines are no change.
  const lines = input.changedLines;
  if (!lines || old.path !== now.path) return undefined;
  if (overlaps(old.def, lines.removed) && overlaps(now.def, lines.added)) {
    return { ...baseChange(now, input, "moved", exported), from: { file: old.path, line: old.def.startLine } };
  }
  return undefined;
}

function overlaps(def: SymbolDef, lines: ReadonlySet<number>): boolean {
  for (let line = def.startLine; line <= def.endLine; line++) if (lines.has(line)) return true;
  return false;
}

/** A class whose only change is a changed method is the method's change, not two. */
function suppressExplainedParents(changes: readonly SymbolChange[]): SymbolChange[] {
  const inner = new Set(changes.filter((c) => c.scope).map((c) => c.scope!));
  return changes.filter((change) => !(change.change === "modified" && inner.has(change.name)));
}

export function signatureText(signature: SignatureDef | undefined): string {
  if (!signature) return "";
  const parameters = signature.parameters.map(parameterText).join(", ");
  const modifiers = signature.modifiers.length > 0 ? `${signature.modifiers.join(" ")} ` : "";
  return `${modifiers}(${parameters})${signature.returns ? ` -> ${signature.returns}` : ""}`;
}

function parameterText(p: ParameterDef): string {
  return `${p.variadic && !/^[*.]/.test(p.name) ? "..." : ""}${p.name}${p.type ? `: ${p.type}` : ""}${p.default !== undefined ? ` = ${p.default}` : ""}`;
}

function compareSignatures(old: Side, now: Side, language: StructureLanguage): SignatureChange | undefined {
  const a = old.def.signature;
  const b = now.def.signature;
  const visibilityChanged = old.def.visibility !== now.def.visibility && (old.exported || now.exported);
  if (!a || !b) {
    if (!visibilityChanged) return undefined;
    return emptySignatureChange(old, now, a, b);
  }
  if (signatureText(a) === signatureText(b) && !visibilityChanged) return undefined;

  const change = emptySignatureChange(old, now, a, b);
  const byName = KEYWORD_ARGUMENTS.has(language);
  const plainA = a.parameters;
  const plainB = b.parameters;
  if (byName) {
    const oldByName = new Map(plainA.map((p) => [p.name, p]));
    const newByName = new Map(plainB.map((p) => [p.name, p]));
    for (const p of plainB) if (!oldByName.has(p.name)) change.parametersAdded.push({ name: p.name, required: p.default === undefined && !p.variadic });
    for (const p of plainA) if (!newByName.has(p.name)) change.parametersRemoved.push(p.name);
    for (const p of plainB) {
      const was = oldByName.get(p.name);
      if (!was) continue;
      if (was.default !== p.default) change.defaultsChanged.push(withValues(p.name, was.default, p.default));
      if (was.type !== p.type) change.typesChanged.push(withValues(p.name, was.type, p.type));
    }
  } else {
    const shared = Math.min(plainA.length, plainB.length);
    for (let i = 0; i < shared; i++) {
      const was = plainA[i]!;
      const p = plainB[i]!;
      if (was.type !== p.type) change.typesChanged.push(withValues(p.name, was.type, p.type));
      if (was.default !== p.default) change.defaultsChanged.push(withValues(p.name, was.default, p.default));
    }
    for (const p of plainB.slice(shared)) change.parametersAdded.push({ name: p.name, required: p.default === undefined && !p.variadic });
    for (const p of plainA.slice(shared)) change.parametersRemoved.push(p.name);
  }
  if (a.returns !== b.returns) change.returnsChanged = fromTo(a.returns, b.returns);
  change.modifiersAdded = b.modifiers.filter((m) => !a.modifiers.includes(m));
  change.modifiersRemoved = a.modifiers.filter((m) => !b.modifiers.includes(m));

  const empty =
    change.parametersAdded.length +
      change.parametersRemoved.length +
      change.defaultsChanged.length +
      change.typesChanged.length +
      change.modifiersAdded.length +
      change.modifiersRemoved.length ===
      0 &&
    change.returnsChanged === undefined &&
    change.visibility === undefined;
  if (empty) return undefined;

  change.breaking =
    change.visibility?.from === "public" ||
    change.parametersRemoved.some((name) => !plainA.find((p) => p.name === name)?.variadic) ||
    change.parametersAdded.some((p) => p.required) ||
    (NOMINAL_TYPES.has(language) && change.typesChanged.length > 0) ||
    (NOMINAL_TYPES.has(language) && change.returnsChanged !== undefined) ||
    [...change.modifiersAdded, ...change.modifiersRemoved].some((m) => BREAKING_MODIFIERS.test(m));
  return change;
}

function emptySignatureChange(old: Side, now: Side, a: SignatureDef | undefined, b: SignatureDef | undefined): SignatureChange {
  const change: SignatureChange = {
    before: signatureText(a),
    after: signatureText(b),
    parametersAdded: [],
    parametersRemoved: [],
    defaultsChanged: [],
    typesChanged: [],
    modifiersAdded: [],
    modifiersRemoved: [],
    breaking: false,
  };
  if (old.def.visibility !== now.def.visibility && (old.exported || now.exported)) {
    change.visibility = { from: old.exported ? "public" : old.def.visibility, to: now.exported ? "public" : now.def.visibility };
    if (change.visibility.from === change.visibility.to) delete change.visibility;
    else change.breaking = change.visibility.from === "public";
  }
  return change;
}

function withValues(name: string, from: string | undefined, to: string | undefined): { name: string; from?: string; to?: string } {
  return { name, ...fromTo(from, to) };
}

function fromTo(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
