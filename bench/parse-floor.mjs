// The parse floor: TypeScript's parser alone (ts.createSourceFile: no binder, no checker, no module resolution) over
// every .ts file of the workspace's services and libraries. Prints JSON with the in-process times; the runner times
// the whole process as well.
//
//   node bench/parse-floor.mjs <workspace>
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

function listTs(dir, into) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listTs(full, into);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) into.push(full);
  }
  return into;
}

const root = path.resolve(process.argv[2] ?? '.');
const started = performance.now();
const files = [...listTs(path.join(root, 'services'), []), ...listTs(path.join(root, 'libs'), [])];
const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
const read = performance.now();
let nodes = 0;
for (let i = 0; i < files.length; i++) {
  const source = ts.createSourceFile(files[i], texts[i], ts.ScriptTarget.ESNext, false, ts.ScriptKind.TS);
  nodes += source.statements.length; // keep the result alive and observable
}
const parsed = performance.now();
console.log(JSON.stringify({ files: files.length, bytes: texts.reduce((sum, text) => sum + text.length, 0), statements: nodes, listAndReadMs: read - started, parseMs: parsed - read }));
