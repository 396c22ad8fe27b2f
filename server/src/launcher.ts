// The extension's server entry point. It turns on Node's compile cache (Node 22.1+, which VS Code ships) before it
// loads the 7 MB server bundle, so every start after the first skips compiling it (about a third of start-up here).
import * as nodeModule from 'node:module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the cache is on, and not bundled here
(require('./extension-server.js') as { main(): void }).main();
