/** Shell scripts and Makefiles: variables exported or set for a command, flags passed to the project's commands. */
import type { UsageReader } from "../types.js";
import { readShellText } from "./shell-command.js";

export const shellReader: UsageReader = {
  id: "shell",
  kinds: ["env-var", "cli-flag"],
  accepts: (path) => /\.(sh|bash|zsh|mk)$/i.test(path) || /(^|\/)(GNU)?[Mm]akefile$/.test(path),
  read(file, identity) {
    const lines = file.text.split("\n");
    return { uses: readShellText(file.text, 1, file.path, lines, identity), dynamic: 0 };
  },
};
