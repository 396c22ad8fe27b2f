#!/usr/bin/env node
'use strict';
// The installed command. The code lives in dist/, built from TypeScript by scripts/build.mjs.
const fs = require('node:fs');
const path = require('node:path');

// Node 22.1+ can cache the compiled code of dist/ and its dependencies between runs (TypeScript alone is 9 MB).
require('node:module').enableCompileCache?.();

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`breakwater: ${cli} is missing; run npm run build first.\n`);
  process.exit(2);
}
// Stacks are only printed with DEBUG=breakwater; then they should point at the TypeScript sources.
if (/(^|,)\s*(breakwater\b|\*)/.test(process.env.DEBUG ?? '')) process.setSourceMapsEnabled(true);
require(cli);
