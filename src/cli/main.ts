#!/usr/bin/env node
// `repo-digest --version` answers before the command tree and every library its commands
// import are loaded: that takes most of the start-up time (bench/startup.bench.ts).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import("./program.js");
  process.exitCode = await main(process.argv);
}
