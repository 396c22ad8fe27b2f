#!/usr/bin/env node
// The Breakwater language server, for any LSP client: `breakwater-language-server --stdio`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

// Node 22.1+ can cache the compiled code of dist/ and its dependencies between runs (TypeScript alone is 9 MB).
require('node:module').enableCompileCache?.();

const server = path.join(__dirname, '..', 'dist', 'server.js');
if (!fs.existsSync(server)) {
  process.stderr.write(`breakwater-language-server: ${server} is missing; run npm run build first.\n`);
  process.exit(2);
}
require(server).main();
