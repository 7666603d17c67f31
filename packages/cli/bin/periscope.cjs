#!/usr/bin/env node
// The `periscope` command. A committed file (not a build output) so package managers can link
// it at install time, before the build; the command itself is in dist/ (ES modules).
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

import(pathToFileURL(join(__dirname, '..', 'dist', 'main.js')).href).then(
  (cli) =>
    cli.main(process.argv.slice(2)).then((code) => {
      process.exitCode = code;
    }),
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write('periscope: the command is not built yet; run `npm run build` at the repository root\n');
    } else {
      process.stderr.write(`periscope: ${err && err.message ? err.message : String(err)}\n`);
    }
    process.exitCode = 1;
  },
).catch((err) => {
  process.stderr.write(`periscope: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
