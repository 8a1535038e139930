#!/usr/bin/env node
'use strict';
// The only place that calls process.exit: all the work is in run().
const { run } = require('../dist/cli/run.js');

run({ argv: process.argv.slice(2), cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`perfguard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
