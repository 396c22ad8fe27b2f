// What a project is (service, browser app, command-line tool, library, test-only) and the evidence for it, through
// `breakwater projects` as a process: the kind decides which rules apply, so it is decided first and shown to the user.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bin, buildIfMissing } from './cli-process';

interface Listed {
  name: string;
  kind: string;
  folder: string;
  evidence: string;
}

function workspace(files: Record<string, string | object>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-kinds-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

function projects(root: string): Listed[] {
  return JSON.parse(execFileSync(process.execPath, [bin, 'projects', root, '-f', 'json'], { encoding: 'utf8' }));
}

const src = 'export const x = 1;\n';

describe('breakwater projects: kinds and their evidence', function () {
  this.timeout(60_000);
  before(buildIfMissing);
  let root: string;
  let listed: Listed[];
  before(() => {
    root = workspace({
      'package.json': { name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] },
      'apps/api/package.json': { name: 'api', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4' } },
      'apps/api/src/main.ts': src,
      'apps/web/package.json': { name: 'web', scripts: { dev: 'vite' }, dependencies: { react: '^18', 'react-dom': '^18' }, devDependencies: { vite: '^5' } },
      'apps/web/src/main.tsx': src,
      // An AdonisJS app bundles its front-end assets with Vite, and is still a server.
      'apps/site/package.json': { name: 'site', scripts: { start: 'node bin/server.js' }, dependencies: { '@adonisjs/core': '^6' }, devDependencies: { vite: '^5' } },
      'apps/site/start/routes.ts': src,
      'apps/portal/package.json': { name: 'portal', dependencies: { next: '^15', react: '^19' } },
      'apps/portal/pages/api/orders.ts': src,
      'apps/portal/pages/index.tsx': src,
      'apps/docs/package.json': { name: 'docs', dependencies: { next: '^15', react: '^19' } },
      'apps/docs/app/page.tsx': src,
      'apps/admin/project.json': { name: 'admin', projectType: 'application' },
      'apps/admin/src/index.html': '<app-root></app-root>',
      'apps/admin/src/main.ts': src,
      'packages/cli/package.json': { name: '@mono/cli', bin: { mono: 'dist/cli.js' }, types: 'dist/index.d.ts' },
      'packages/cli/src/cli.ts': src,
      'packages/redis-worker/package.json': { name: '@mono/redis-worker', types: 'dist/index.d.ts', exports: './dist/index.js' },
      'packages/redis-worker/src/index.ts': src,
      'packages/ui/package.json': { name: '@mono/ui', types: 'dist/index.d.ts', dependencies: { 'react-dom': '^18' } },
      'packages/ui/src/button.tsx': src,
      'packages/testcontainers/package.json': { name: '@mono/testcontainers', types: 'src/index.ts' },
      'packages/testcontainers/src/index.ts': src,
    });
    listed = projects(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const kindOf = (name: string) => listed.find((project) => project.name === name);

  it('a server with a start script is a service; an AdonisJS app with Vite assets is one too', () => {
    assert.deepEqual([kindOf('api')?.kind, kindOf('site')?.kind], ['service', 'service']);
    assert.match(kindOf('api')!.evidence, /start script/);
  });

  it('a Vite SPA, an Angular app with src/index.html and a Next.js app without API routes run in a browser', () => {
    assert.deepEqual([kindOf('web')?.kind, kindOf('admin')?.kind, kindOf('docs')?.kind], ['browser', 'browser', 'browser']);
    assert.match(kindOf('web')!.evidence, /front-end package \(vite\), no server framework/);
    assert.match(kindOf('admin')!.evidence, /src\/index\.html/);
    assert.match(kindOf('docs')!.evidence, /Next\.js app without API routes/);
  });

  it('a Next.js app with API routes is a service', () => {
    assert.equal(kindOf('portal')?.kind, 'service');
  });

  it('a package with bin is a tool even when published like a library', () => {
    assert.equal(kindOf('cli')?.kind, 'tool');
    assert.match(kindOf('cli')!.evidence, /bin/);
  });

  it('a published package is a library whatever its name says; a React component package is browser code', () => {
    assert.equal(kindOf('redis-worker')?.kind, 'library');
    assert.equal(kindOf('ui')?.kind, 'library');
    assert.match(kindOf('ui')!.evidence, /browser code: a front-end package/);
  });

  it('a test-helper package is no project: its code is skipped like tests', () => {
    assert.equal(kindOf('testcontainers'), undefined);
    const text = execFileSync(process.execPath, [bin, 'projects', root], { encoding: 'utf8' });
    assert.match(text, /^cli\s+packages\/cli\s+tool\s+a command-line tool/m, 'the text lists the evidence last');
  });

  it('sibling folders named as services, each with its own entry point but no package.json, are services', () => {
    const dir = workspace({
      'backend/package.json': { name: 'backend', scripts: { start: 'ts-node runBackend.ts' } },
      'backend/runBackend.ts': src,
      'backend/auth-service/src/index.ts': src,
      'backend/map-service/src/index.ts': src,
      'backend/database/appDataSource.ts': src,
      // A module folder of one service is never taken for a service of its own: it stands alone.
      'api/package.json': { name: 'api', scripts: { start: 'node main.js' } },
      'api/src/order-service/src/index.ts': src,
    });
    try {
      const found = projects(dir);
      assert.deepEqual(found.map((project) => [project.name, project.kind]).sort(), [['api', 'service'], ['auth-service', 'service'], ['backend', 'library'], ['map-service', 'service']]);
      assert.match(found.find((project) => project.name === 'backend')!.evidence, /holds the services auth-service, map-service/);
      assert.match(found.find((project) => project.name === 'auth-service')!.evidence, /own entry point \(src\/index\.ts\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compose services that run a file from one shared image are services, and the package that holds them is their shared code', () => {
    const dir = workspace({
      'package.json': { name: 'lab', dependencies: { express: '^4' } },
      Dockerfile: 'FROM node:20\nCOPY . .\n',
      'docker-compose.yml': 'services:\n  deals:\n    build: .\n    command: ["node", "services/deals/server.js"]\n  prices:\n    build: .\n    command: node services/prices/server.js\n',
      'services/deals/server.js': src,
      'services/prices/server.js': src,
      'shared/http.js': src,
    });
    try {
      const found = projects(dir);
      assert.deepEqual(found.map((project) => [project.name, project.kind]).sort(), [['deals', 'service'], ['lab', 'library'], ['prices', 'service']]);
      assert.equal(found.find((project) => project.name === 'deals')!.evidence, 'docker-compose runs services/deals/server.js');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
