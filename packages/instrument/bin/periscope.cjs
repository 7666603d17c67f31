#!/usr/bin/env node
// The `periscope` command. A committed file (not a build output) so package managers can link
// it at install time; the CLI itself is in the built package.
'use strict';
let cli;
try {
  cli = require('../dist/cjs/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('periscope: the package is not built yet; run `npm run build` at the repository root\n');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`periscope: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
