// Bundles the CLI, the engine API, the report formatters and the language server into dist/ with esbuild. For them
// dependencies stay external: they are installed next to the package. It also writes the declarations of the public
// API (`breakwater` and `breakwater/report`) to dist/types (tsconfig.types.json), with the native TypeScript compiler
// when it is installed (1.5 s), else tsc (10 s). With --extension it also bundles the VS Code extension: the client and
// a self-contained server, minified, with their sourcemaps kept out of the .vsix (.vscodeignore).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const extension = process.argv.includes('--extension');

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  // breakwater.schema.json (config validation) and package.json (version) are inlined.
  loader: { '.json': 'json' },
  logLevel: 'warning',
};
const withPackagesExternal = { ...shared, packages: 'external' };
// The .vsix carries no node_modules: everything is bundled, but `vscode` (the host provides it) and
// dependency-cruiser (ESM, loaded on demand to describe cross-service imports; without it they are still found).
// ESM entries first: jsonc-parser's UMD build loads its parts through a `require` esbuild cannot follow.
const selfContained = { ...shared, minify: true, sourcemap: 'external', external: ['vscode', 'dependency-cruiser'], mainFields: ['module', 'main'] };

/** Declarations of the public API; resolves to false (after printing the compiler's errors) when they fail. */
function declarations() {
  const require = createRequire(import.meta.url);
  let compiler;
  try {
    compiler = path.join(path.dirname(require.resolve('@typescript/native-preview/package.json')), 'bin', 'tsgo');
  } catch {
    compiler = require.resolve('typescript/bin/tsc');
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [compiler, '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

try {
  const [typesBuilt] = await Promise.all([
    declarations(),
    build({ ...withPackagesExternal, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js' }),
    build({ ...withPackagesExternal, entryPoints: ['engine/index.ts'], outfile: 'dist/engine.js' }),
    build({ ...withPackagesExternal, entryPoints: ['engine/report/index.ts'], outfile: 'dist/report.js' }),
    build({ ...withPackagesExternal, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
    ...(extension
      ? [
          build({ ...selfContained, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
          build({ ...selfContained, entryPoints: ['server/src/server.ts'], outfile: 'dist/extension-server.js' }),
          // A small entry that turns on the compile cache, then loads the server bundle above.
          build({ ...selfContained, entryPoints: ['server/src/launcher.ts'], outfile: 'dist/extension-launcher.js', external: ['./extension-server.js'] }),
        ]
      : []),
  ]);
  if (!typesBuilt) {
    process.stderr.write('build: the declarations (tsconfig.types.json) failed\n');
    process.exitCode = 1;
  }
} catch {
  // esbuild has already printed the errors.
  process.exitCode = 1;
}
