/**
 * Commands on shell lines (scripts, Dockerfile `RUN`, CI `run:` blocks, manifests' argv): who
 * runs, which flags it gets, which variables it sets. Words are split as POSIX sh does for
 * quotes, backslash-newline continuations and the control operators `| || && ; &`
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_02_03); a flag
 * belongs to the command of its own pipeline stage, so `vllm serve m | grep --color` gives
 * `--color` to grep, not to vllm.
 */
import type { ProjectIdentity, Use } from "../../types.js";
import { makeSite, maskAssignments } from "../site.js";

export interface Word {
  text: string;
  /** 1-based line in the file. */
  line: number;
}

/** Splits shell text starting at file line `firstLine` into commands (lists of words). */
export function splitCommands(text: string, firstLine: number): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let word = "";
  let inWord = false;
  let wordLine = firstLine;
  let line = firstLine;
  const endWord = (): void => {
    if (inWord) words.push({ text: word, line: wordLine });
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const start = (): void => {
    if (!inWord) {
      inWord = true;
      wordLine = line;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && text[i + 1] === "\n") {
      i++;
      line++;
      continue;
    }
    if (c === "\\" && i + 1 < text.length) {
      start();
      word += text[++i];
      continue;
    }
    if (c === "'" || c === '"') {
      start();
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (c === '"' && text[j] === "\\" && j + 1 < text.length) j++;
        if (text[j] === "\n") line++;
        j++;
      }
      word += text.slice(i + 1, j);
      i = j;
      continue;
    }
    if (c === "$" && text[i + 1] === "(") {
      // A command substitution stays one word; what runs inside is not the outer command's.
      start();
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === "(") depth++;
        else if (text[j] === ")" && --depth === 0) break;
        else if (text[j] === "\n") line++;
      }
      word += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === "#" && !inWord) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      endCommand();
      line++;
      continue;
    }
    if (c === "|" || c === "&" || c === ";" || c === "(" || c === ")") {
      endCommand();
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      continue;
    }
    start();
    word += c;
  }
  endCommand();
  return commands;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const FLAG = /^--?[A-Za-z][A-Za-z0-9_.-]*$/;
const PYTHON = /^python(\d+(\.\d+)?)?$/;
/** Words that run the next word as the command. */
const WRAPPERS = new Set(["exec", "sudo", "nohup", "time", "command", "nice", "env", "xargs"]);
/** Runners whose `run` runs the next word: `uv run vllm serve`. */
const RUNNERS = new Set(["uv", "poetry", "pdm", "pipenv", "hatch", "rye", "conda", "micromamba", "pixi"]);

function basename(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

/**
 * The uses of one command: variables its prefix assignments and `export` set, and flags when
 * it runs one of the project's commands or `python -m` one of its packages. `lines` gives each
 * site's text (the physical line of the file).
 */
export function readCommand(words: readonly Word[], file: string, lines: readonly string[], identity: ProjectIdentity): Use[] {
  const uses: Use[] = [];
  const site = (line: number) => makeSite(file, line, maskAssignments(lines[line - 1] ?? ""));
  let i = 0;
  const assignments: Word[] = [];
  for (;;) {
    while (i < words.length && ASSIGNMENT.test(words[i]!.text)) assignments.push(words[i++]!);
    const word = words[i]?.text;
    if (word === undefined) break;
    if (WRAPPERS.has(word)) {
      i++;
      while (i < words.length && words[i]!.text.startsWith("-")) i++;
      continue;
    }
    if (RUNNERS.has(word) && words[i + 1]?.text === "run") {
      i += 2;
      while (i < words.length && words[i]!.text.startsWith("-")) i++;
      continue;
    }
    break;
  }
  const command = words[i];
  // A bare `K=v` sets a shell variable, not the environment: only a prefix of a command counts.
  if (command) for (const a of assignments) uses.push({ kind: "env-var", name: ASSIGNMENT.exec(a.text)![1]!, site: site(a.line) });
  if (!command) return uses;
  const name = basename(command.text);
  if (name === "export" || (name === "declare" && words.slice(i + 1).some((w) => w.text === "-x"))) {
    for (const w of words.slice(i + 1)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(=|$)/.exec(w.text);
      if (m) uses.push({ kind: "env-var", name: m[1]!, site: site(w.line) });
    }
    return uses;
  }
  let runs: string | undefined;
  let from = i + 1;
  if (identity.commands.includes(name)) {
    runs = name;
  } else if (PYTHON.test(name)) {
    let j = i + 1;
    while (j < words.length && words[j]!.text.startsWith("-") && words[j]!.text !== "-m") j++;
    const module = words[j]?.text === "-m" ? words[j + 1]?.text : undefined;
    if (module && identity.python.includes(module.split(".")[0]!)) {
      runs = `python -m ${module}`;
      from = j + 2;
    }
  }
  if (!runs) return uses;
  for (const w of words.slice(from)) {
    if (w.text === "--") break;
    const flag = w.text.split("=")[0]!;
    if (FLAG.test(flag)) uses.push({ kind: "cli-flag", name: flag, command: runs, site: site(w.line) });
  }
  return uses;
}

/** Every use in a piece of shell starting at file line `firstLine`. */
export function readShellText(text: string, firstLine: number, file: string, lines: readonly string[], identity: ProjectIdentity): Use[] {
  return splitCommands(text, firstLine).flatMap((words) => readCommand(words, file, lines, identity));
}

/** An exec-form argv (`["sh", "-c", "vllm serve …"]` is read as the shell it runs). */
export function readArgv(words: readonly Word[], file: string, lines: readonly string[], identity: ProjectIdentity): Use[] {
  const shell = words[0] && /^(ba|z|da)?sh$/.test(basename(words[0].text));
  if (shell && words[1]?.text === "-c" && words[2]) return readShellText(words[2].text, words[2].line, file, lines, identity);
  return readCommand(words, file, lines, identity);
}
