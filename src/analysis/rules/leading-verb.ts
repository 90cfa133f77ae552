/**
 * The verb of a commit description, for projects that do not write Conventional
 * Commits: "Fix UCCL's consistency checks", "nixl_ep: Add mode guards", and the
 * closing participle some projects write instead ("posix: naming fixed"). One table,
 * read top to bottom: the first rule whose verb opens the description (and whose
 * object, where the rule names one, is found after it) decides. Whole words only, so
 * "Fixture cleanup" is not a fix; English only.
 */
import type { ChangeType } from "../types.js";

/** A condition on the diff that change-type.ts checks before it believes the verb. */
export type VerbCondition =
  /** "Remove X" is a refactor unless public API went away; then the facts and the importance rules speak. */
  | "unless-public-api-removed"
  /** "Bump X" is a dependency change only when the diff changes dependencies and the message names one. */
  | "names-changed-dependency";

export interface VerbRule {
  type: ChangeType;
  /** Verbs in their base form; the -s, -ed and -ing forms are derived. A phrase inflects its first word. */
  verbs: readonly string[];
  /** Words and phrases taken as written: nouns ("cleanup"), irregular forms ("rewrote"), negations ("do not"). */
  words?: readonly string[];
  /** Nouns and irregular participles that end a subject with the same meaning: "memory leak fix", "X rewritten". */
  closingWords?: readonly string[];
  /** Must be found in the rest of the description: a performance word after "improve". */
  object?: RegExp;
  condition?: VerbCondition;
}

const PERFORMANCE_OBJECT =
  /\b(?:performance|perf|latency|throughput|speed|faster|overhead|memory (?:usage|footprint)|(?:re)?allocations?|copies|copying|contention|in parallel|startup time)\b/i;
const FAILURE_OBJECT =
  /\b(?:crash(?:es)?|panics?|deadlocks?|race(?: condition)?s?|leaks?|overflows?|underflows?|hangs?|segfaults?|use-after-free|double[- ]free|null(?:ptr)? (?:deref(?:erence)?|pointer)s?|dangling|stale|corrupt(?:ion|ed)?|infinite loop|errors?|exceptions?|fail(?:s|ures?)?|oom|out of memory)\b/i;
/** "Apply" is a fix only when what is applied is one: "Apply patch for security issue". */
const APPLIED_FIX = /^(?:(?:a|an|the|security|upstream)\s+)*(?:patch|fix|hotfix|workaround)/i;
/** "Add missing const", "Add the missing include": what should have been there, so a fix. */
const MISSING_PIECE = /^(?:(?:a|an|the)\s+)?missing\b/i;
const TEST_MENTION = /\b(?:tests?|test cases?|testcases?|unit ?tests?|gtests?)\b/i;
const FORMATTER = /\b(?:clang-format|black|prettier|rustfmt|gofmt|ruff|isort|yapf|formatting|code style|linters?|linting)\b/i;
const INSTEAD = /\binstead of\b/i;

export const VERB_RULES: readonly VerbRule[] = [
  { type: "revert", verbs: ["revert", "roll back", "back out"], words: ["undo", "undid", "rollback"] },
  {
    type: "performance",
    verbs: ["optimize", "optimise", "speed up", "accelerate", "parallelize", "parallelise", "vectorize", "vectorise"],
    words: ["sped up", "optimization", "optimizations", "optimisation", "optimisations", "faster", "perf"],
    closingWords: ["optimization", "optimizations", "optimisation", "optimisations", "sped up"],
  },
  {
    type: "performance",
    verbs: ["improve", "reduce", "lower", "cut", "avoid", "minimize", "minimise", "make", "boost", "increase"],
    object: PERFORMANCE_OBJECT,
  },
  {
    type: "bugfix",
    verbs: ["fix", "bugfix", "hotfix", "resolve", "correct", "patch", "repair", "restore", "work around"],
    words: ["workaround", "workarounds", "bug fix", "bug fixes"],
    closingWords: ["fix", "fixes", "bugfix", "bugfixes", "hotfix"],
  },
  {
    type: "bugfix",
    verbs: ["prevent", "avoid", "guard", "handle"],
    words: ["do not", "don't", "don’t", "does not", "never"],
    object: FAILURE_OBJECT,
  },
  { type: "bugfix", verbs: ["apply"], object: APPLIED_FIX },
  { type: "bugfix", verbs: ["add"], object: MISSING_PIECE },
  { type: "test", verbs: ["skip", "disable", "re-enable", "xfail"], object: TEST_MENTION },
  { type: "style", verbs: ["reformat"] },
  { type: "style", verbs: ["format", "enforce", "apply", "run"], words: ["ran"], object: FORMATTER },
  {
    type: "feature",
    verbs: ["add", "introduce", "implement", "support", "enable", "allow", "expose", "enhance", "improve", "extend"],
    words: ["new", "improvement", "improvements", "enhancement", "enhancements"],
    closingWords: ["improvements", "enhancements"],
  },
  {
    type: "refactor",
    verbs: [
      "refactor",
      "rename",
      "move",
      "simplify",
      "clean up",
      "restructure",
      "reorganize",
      "reorganise",
      "extract",
      "factor out",
      "split",
      "unify",
      "consolidate",
      "rework",
      "rewrite",
      "deduplicate",
      "dedupe",
      "dedup",
      "decouple",
      "migrate",
      "tidy",
      "tidy up",
      "replace",
      "inline",
    ],
    words: ["refactoring", "cleanup", "cleanups", "rewrote", "rewritten"],
    closingWords: ["refactoring", "cleanup", "rewritten"],
  },
  { type: "refactor", verbs: ["use", "switch"], object: INSTEAD },
  {
    type: "refactor",
    verbs: ["remove", "delete", "drop", "deprecate", "eliminate", "kill", "strip"],
    words: ["removal", "deprecation"],
    closingWords: ["removal"],
    condition: "unless-public-api-removed",
  },
  {
    type: "dependency",
    verbs: ["bump", "upgrade", "update", "downgrade", "pin", "unpin"],
    closingWords: ["bump", "upgrade"],
    condition: "names-changed-dependency",
  },
  { type: "docs", verbs: ["document"], words: ["docs", "doc", "documentation"] },
  { type: "test", verbs: ["test"] },
];

/**
 * What the verb acts on, when that decides the type whatever the verb: "Added tests
 * for X" is a test change, "Update the docs" a docs change. The word must head the
 * object: up to three words before it, none a preposition, and a preposition,
 * punctuation or the end after it, so "Fix race in telemetry test" and "Add test mode
 * to the CLI" are not test changes by their words.
 */
const PREPOSITIONS = "for|in|of|on|into|when|with|without|to|from|by|at|and|or|that|if|after|before|under|against|so|because|instead";
const OBJECT_LEAD = `^(?:(?!(?:${PREPOSITIONS})\\b)[\\w+.#/-]+\\s+){0,3}`;
const OBJECT_END = `(?=\\s*$|\\s*[,.;:()]|\\s+(?:${PREPOSITIONS})\\b)`;
const TEST_HEADS =
  "tests?|test ?cases?|gtests?|test (?:suites?|harness|helpers?|utils?|utilities|fixtures?|variants?|coverage|infra(?:structure)?|framework|data|files?)";
const DOCS_HEADS = "docs?|documentation|readme(?:\\.md)?|docstrings?|doc ?(?:pages?|strings?|comments?)|changelog(?: entry| entries)?";
/** What a fix of wording fixes: nothing runs differently. */
const COSMETIC_OBJECT = /\b(?:typos?|spelling|misspell\w*|capitali[sz]ation|wording|grammar|punctuation|indentation|whitespace|help (?:text|strings?|messages?)|(?:flags? |option )?descriptions?)\b/i;
export const OBJECT_RULES: ReadonlyArray<{ type: ChangeType; object: RegExp }> = [
  { type: "test", object: new RegExp(`${OBJECT_LEAD}(?:${TEST_HEADS})${OBJECT_END}`, "i") },
  { type: "docs", object: new RegExp(`${OBJECT_LEAD}(?:${DOCS_HEADS})${OBJECT_END}`, "i") },
  { type: "style", object: COSMETIC_OBJECT },
];

/** Short verbs of the table that double their last consonant: dropped, splitting. */
const DOUBLED_CONSONANT: ReadonlySet<string> = new Set(["drop", "split", "cut", "pin", "unpin", "skip", "run"]);
const IRREGULAR_PAST: ReadonlyMap<string, string> = new Map([
  ["split", "split"],
  ["cut", "cut"],
  ["make", "made"],
  ["run", "ran"],
]);

/** One word that may come before the verb without changing it: "Minor fixes", "Initial support for X". */
const MODIFIERS: ReadonlySet<string> = new Set([
  "minor",
  "small",
  "quick",
  "initial",
  "partial",
  "further",
  "more",
  "various",
  "several",
  "multiple",
  "misc",
  "major",
  "tiny",
  "trivial",
  "properly",
  "correctly",
  "also",
  "finally",
  "temporarily",
]);

/**
 * A short label before a colon that the parser did not take for a component because
 * it has spaces ("Mooncake plugin: fix ...", "Python wheel packaging: dedup ..."): the
 * verb is looked for after it when none opens the description.
 */
const LABEL_PREFIX = /^(?<label>[^:\s][^:]{0,39}):\s+(?<rest>\S.*)$/s;
const LABEL_MAX_WORDS = 4;

export interface VerbMatch {
  rule: VerbRule;
  /** The words that decided, as written: "Fixed", "Apply patch", or "Improve … performance". */
  words: string;
  /** The description without the verb: what it acts on. */
  rest: string;
}

/**
 * The first rule whose verb opens the description (or the text after a short label),
 * else whose participle or noun closes it; undefined when none does.
 */
export function readVerb(description: string): VerbMatch | undefined {
  const text = description.trim();
  const leading = matchLeading(text);
  if (leading) return leading;
  const label = LABEL_PREFIX.exec(text)?.groups;
  const afterLabel =
    label && label.label!.trim().split(/\s+/).length <= LABEL_MAX_WORDS ? matchLeading(label.rest!) : undefined;
  return afterLabel ?? matchClosing(text);
}

/** The type the object of the verb decides (tests, docs), or undefined. */
export function readObjectType(rest: string): ChangeType | undefined {
  return OBJECT_RULES.find((rule) => rule.object.test(rest.trim()))?.type;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

interface Phrase {
  rule: VerbRule;
  words: readonly string[];
}

const LEADING_PHRASES: readonly Phrase[] = VERB_RULES.flatMap((rule) => [
  ...rule.verbs.flatMap((verb) => inflectPhrase(verb).map((words) => ({ rule, words }))),
  ...(rule.words ?? []).map((word) => ({ rule, words: word.split(" ") })),
]);

/** Participles ("fixed", "cleaned up") and closing nouns; a past tense that is also the base form ("split") says too little. */
const CLOSING_PHRASES: readonly Phrase[] = VERB_RULES.flatMap((rule) => [
  ...rule.verbs.flatMap((verb) => {
    const [head, ...tail] = verb.split(" ");
    const past = pastOf(head!);
    return past === head ? [] : [{ rule, words: [past, ...tail] }];
  }),
  ...(rule.closingWords ?? []).map((word) => ({ rule, words: word.split(" ") })),
]);

function matchLeading(text: string): VerbMatch | undefined {
  const tokens = tokenize(text);
  const starts = tokens.length > 1 && MODIFIERS.has(tokens[0]!.word) ? [0, 1] : [0];
  for (const rule of VERB_RULES) {
    for (const start of starts) {
      for (const phrase of LEADING_PHRASES) {
        if (phrase.rule !== rule || !matchesAt(tokens, start, phrase.words)) continue;
        const end = tokens[start + phrase.words.length - 1]!.end;
        const match = withObject(rule, text.slice(tokens[start]!.start, end), text.slice(end).replace(/^[\s:,;.-]+/, ""));
        if (match) return match;
      }
    }
  }
  return undefined;
}

function matchClosing(text: string): VerbMatch | undefined {
  const tokens = tokenize(text);
  for (const rule of VERB_RULES) {
    for (const phrase of CLOSING_PHRASES) {
      const start = tokens.length - phrase.words.length;
      if (phrase.rule !== rule || start < 1 || !matchesAt(tokens, start, phrase.words)) continue;
      const match = withObject(rule, text.slice(tokens[start]!.start, tokens.at(-1)!.end), text.slice(0, tokens[start]!.start));
      if (match) return match;
    }
  }
  return undefined;
}

/** The match, if the rule needs no object or finds it; the object read joins the quoted words. */
function withObject(rule: VerbRule, verb: string, rest: string): VerbMatch | undefined {
  if (!rule.object) return { rule, words: verb, rest };
  const trimmed = rest.trim();
  const object = rule.object.exec(trimmed);
  if (!object) return undefined;
  const words = object.index === 0 ? `${verb} ${object[0].trim()}` : `${verb} … ${object[0]}`;
  return { rule, words, rest };
}

function matchesAt(tokens: readonly Token[], start: number, words: readonly string[]): boolean {
  return words.every((word, index) => tokens[start + index]?.word === word);
}

/** Words lower-cased, without the punctuation around them; offsets point into the text. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const raw = match[0];
    const leading = /^["'`(*“‘]*/.exec(raw)![0].length;
    const trailing = /["'`)*:,;.!?”’]*$/.exec(raw.slice(leading))![0].length;
    const start = match.index + leading;
    const end = match.index + raw.length - trailing;
    if (end > start) tokens.push({ word: text.slice(start, end).toLowerCase(), start, end });
  }
  return tokens;
}

/** "fix" → fix, fixes, fixed, fixing; "clean up" → clean up, cleans up, cleaned up, cleaning up. */
function inflectPhrase(phrase: string): string[][] {
  const [head, ...tail] = phrase.split(" ");
  return inflect(head!).map((form) => [form, ...tail]);
}

/** Regular English inflections, with the doubled final consonant and the irregular past of the verbs in the table. */
function inflect(verb: string): string[] {
  const third = /(?:s|x|z|ch|sh)$/.test(verb) ? `${verb}es` : /[^aeiou]y$/.test(verb) ? `${verb.slice(0, -1)}ies` : `${verb}s`;
  const stem = DOUBLED_CONSONANT.has(verb) ? verb + verb.slice(-1) : verb;
  const gerund = verb.endsWith("e") && !verb.endsWith("ee") ? `${verb.slice(0, -1)}ing` : `${stem}ing`;
  return [...new Set([verb, third, pastOf(verb), gerund])];
}

function pastOf(verb: string): string {
  const irregular = IRREGULAR_PAST.get(verb);
  if (irregular) return irregular;
  if (verb.endsWith("e")) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  return DOUBLED_CONSONANT.has(verb) ? `${verb}${verb.slice(-1)}ed` : `${verb}ed`;
}
