import { readCommitsFromGit } from "/work/main/src/sources/git/read-log.js";
const [gitDir, sha] = process.argv.slice(2);
for await (const c of readCommitsFromGit([sha!], { gitDir: gitDir! })) for (const f of c.files) console.log(f.path, f.status, f.oldBlob, f.newBlob, f.patch.length);
