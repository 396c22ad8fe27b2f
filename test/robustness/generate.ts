// Hostile workspaces (issue 12, section 4). Each case is a workspace of its own: an intact service `a` with one known
// finding, and beside it service `b` (or a root file) made the way a hostile or careless repository would make it.
// The suite (robustness.test.ts) runs the CLI on each and checks that it ends, reports JSON, does not crash, still
// finds `a`'s finding, and names each unreadable file exactly once. Run alone to look at them:
//   npx tsx test/robustness/generate.ts [dir]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { YAML_MAX_ALIASES, YAML_MAX_DEPTH } from '../../engine/io/yaml';

const repo = path.resolve(__dirname, '../..');

/** The intact service's finding: missing-timeout at 3:10 of services/a/src/index.ts. */
export const INTACT_FILE = 'services/a/src/index.ts';
export const INTACT_RULE = 'missing-timeout';
export const INTACT_LINE = 3;
const CALL = "import axios from 'axios';\nexport async function pay() {\n  return axios.get(`${process.env.PAYMENTS_URL}/pay`);\n}\n";
const service = (name: string) => JSON.stringify({ name, scripts: { start: 'node src/index.js' }, dependencies: { axios: '^1' } });

export interface Case {
  name: string;
  /** The workspace root. */
  dir: string;
  /** Files (relative to the root) that cannot be read or understood: each must get exactly one notice naming it. */
  refused: string[];
  /** What that notice must say, when the case knows: the whole message (`{file}` stands for the file's name), or a pattern. */
  says?: string | RegExp;
  /** Hostile files that must not crash anything; each gets at most one notice (a truncation may or may not parse). */
  hostile: string[];
  /** Files of the hostile service that must still get the known finding at line 3 (BOM, CRLF, odd names). */
  findings: string[];
  /** What the case tries, for the README. */
  about: string;
}

type Content = string | Buffer | { fifo: true } | { link: string };

/** Writes every case under `base` and returns them; cases the platform cannot make (FIFO, a newline in a name) are left out. */
export function generate(base: string): Case[] {
  const cases: Case[] = [];
  const add = (name: string, about: string, files: Record<string, Content>, roles: Partial<Pick<Case, 'refused' | 'hostile' | 'findings' | 'says'>>) => {
    const dir = path.join(base, name);
    const all: Record<string, Content> = {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['services/*'] }),
      'services/a/package.json': service('a'),
      [INTACT_FILE]: CALL,
      'services/b/package.json': service('b'),
      ...files,
    };
    for (const [file, content] of Object.entries(all)) {
      const full = path.join(dir, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      if (typeof content === 'string' || Buffer.isBuffer(content)) fs.writeFileSync(full, content);
      else if ('fifo' in content) {
        if (spawnSync('mkfifo', [full]).status !== 0) return; // no mkfifo here: the case is left out
      } else fs.symlinkSync(content.link, full);
    }
    cases.push({ name, dir, about, refused: [], hostile: [], findings: [], ...roles });
  };

  // Truncations of a real file (the shop's orders routes) at 48 offsets, and of a real package.json.
  const real = fs.readFileSync(path.join(repo, 'examples/shop/services/orders/src/routes/orders.ts'));
  const truncated: Record<string, Buffer> = {};
  for (let i = 1; i <= 48; i++) {
    const at = Math.floor((real.length * i) / 49);
    truncated[`services/b/src/cut-${String(at).padStart(5, '0')}.ts`] = real.subarray(0, at);
  }
  add('truncated-source', 'examples/shop orders.ts cut at 48 offsets', truncated, { hostile: Object.keys(truncated) });
  const manifest = fs.readFileSync(path.join(repo, 'examples/shop/services/orders/package.json'), 'utf8');
  add('truncated-manifest', "a service's package.json cut in half", { 'services/b/package.json': manifest.slice(0, manifest.length >> 1), 'services/b/src/index.ts': CALL }, {
    refused: ['services/b/package.json'],
  });

  // Deep nesting and long chains: analysed in the large-stack worker; deeper than the issue's reproductions.
  const deep = {
    'services/b/src/callbacks.ts': `${CALL}${'x(() => {\n'.repeat(2000)}y();\n${'});\n'.repeat(2000)}`,
    'services/b/src/parentheses.ts': `${CALL}export const y = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`,
    'services/b/src/arrays.ts': `${CALL}export const a = ${'['.repeat(5000)}1${']'.repeat(5000)};\n`,
    'services/b/src/objects.ts': `${CALL}export const o = ${'{ k: '.repeat(3000)}1${' }'.repeat(3000)};\n`,
    'services/b/src/binary-ops.ts': `${CALL}export const s = ${Array.from({ length: 20_000 }, (_, i) => `'p${i}'`).join(' + ')};\n`,
  };
  add('deep-nesting', '2,000 nested callbacks, 5,000 parentheses and arrays, 3,000 objects, a 20,000-term sum', deep, { hostile: Object.keys(deep), findings: Object.keys(deep) });
  const chains = { 'services/b/src/chain.ts': `${CALL}export const z = q${'.b()'.repeat(10_000)};\n`, 'services/b/src/await-chain.ts': `${CALL}export const w = async () => ${'await '.repeat(5000)}1;\n` };
  add('long-chains', 'a 10,000-call chain, 5,000 awaits', chains, { hostile: Object.keys(chains), findings: Object.keys(chains) });

  // Bytes that are not text.
  let seed = 12;
  const random = Buffer.from(Buffer.alloc(256 * 1024, 0).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff));
  const bytes = {
    'services/b/src/random.ts': random,
    'services/b/src/nul.ts': Buffer.concat([Buffer.from(CALL), Buffer.alloc(4096, 0), Buffer.from(CALL)]),
    'services/b/src/invalid-utf8.ts': Buffer.concat([Buffer.from(CALL), Buffer.from("const s = '"), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]), Buffer.from("';\n")]),
    'services/b/src/elf.ts': fs.readFileSync(process.execPath).subarray(0, 512 * 1024),
    'services/b/.env': Buffer.concat([Buffer.from('A=1\n'), Buffer.alloc(64, 0), Buffer.from([0xff, 0xfe]), Buffer.from('\nB=2\n')]),
  };
  add('binary', '256 KB of random bytes, NUL bytes, invalid UTF-8, 512 KB of the node binary, a binary .env', bytes, { hostile: Object.keys(bytes) });

  // Text that is fine but unusual: the finding must still be found at line 3.
  const bom = {
    'services/b/src/bom.ts': `\uFEFF${CALL}`,
    'services/b/src/crlf.ts': CALL.replace(/\n/g, '\r\n'),
    'services/b/src/bom-crlf.ts': `\uFEFF${CALL.replace(/\n/g, '\r\n')}`,
    'services/b/src/cr.ts': CALL.replace(/\n/g, '\r'),
  };
  add('bom-crlf', 'byte-order mark, CRLF, both, CR only', bom, { findings: ['services/b/src/bom.ts', 'services/b/src/crlf.ts', 'services/b/src/bom-crlf.ts'], hostile: ['services/b/src/cr.ts'] });
  add('huge-literal', 'a 1.5 MB string literal and a 100,000-element array literal', {
    'services/b/src/huge.ts': `${CALL}export const s = '${'x'.repeat(1.5 * 1024 * 1024)}';\n`,
    'services/b/src/many.ts': `${CALL}export const n = [${Array.from({ length: 100_000 }, (_, i) => i).join(',')}];\n`,
  }, { findings: ['services/b/src/huge.ts', 'services/b/src/many.ts'] });
  add('oversized', 'a 3 MB source file (over the 2 MB default)', { 'services/b/src/big.ts': `${CALL}${'// padding padding padding\n'.repeat(120_000)}` }, { refused: ['services/b/src/big.ts'] });

  // YAML alias bombs (billion laughs): refused by the explicit alias limit (engine/io/yaml.ts); each gets one warning that says so.
  const laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
  const bomb = laughs.join('\n');
  add('yaml-bomb', 'billion-laughs alias bombs (10^10 nodes) in docker-compose.yml, a Kubernetes manifest and pnpm-workspace.yaml', {
    'docker-compose.yml': `${bomb}\nservices:\n  a:\n    build: ./services/a\n`,
    'k8s/bomb.yaml': `${bomb}\nkind: Deployment\nmetadata:\n  name: a\n`,
    'pnpm-workspace.yaml': `${bomb}\npackages:\n  - services/*\n`,
  }, { refused: ['docker-compose.yml', 'k8s/bomb.yaml', 'pnpm-workspace.yaml'], says: `{file} uses too many YAML aliases (more than ${YAML_MAX_ALIASES}); not read` });

  // YAML nested a million deep (2 MB): the yaml package overflowed its stack at about 800 levels and took about 40 s
  // per read to say so, and a compose file is read twice; a linear scan refuses it first (engine/io/yaml.ts).
  const flowDeep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
  add('yaml-deep', 'YAML nested a million deep: flow brackets in docker-compose.yml and a manifest, compact `- ` entries in pnpm-workspace.yaml', {
    'docker-compose.yml': `services: ${flowDeep}\n`,
    'k8s/deep.yaml': `kind: ${flowDeep}\n`,
    'pnpm-workspace.yaml': `packages:\n  ${'- '.repeat(1_000_000)}services/*\n`,
  }, { refused: ['docker-compose.yml', 'k8s/deep.yaml', 'pnpm-workspace.yaml'], says: new RegExp(`is nested too deeply \\(more than ${YAML_MAX_DEPTH} levels of indentation and brackets, at \\d+:\\d+\\); not read$`) });

  // Import cycles.
  add('import-cycle', 'a two-file cycle, a self-import, a barrel that re-exports itself', {
    'services/b/src/one.ts': "import { two } from './two';\nexport const one = () => two();\n",
    'services/b/src/two.ts': "import { one } from './one';\nexport const two = () => one();\n",
    'services/b/src/self.ts': "import { self } from './self';\nexport const self = () => self();\n",
    'services/b/src/index.ts': `${CALL}export * from './index';\nexport * from './one';\n`,
  }, { findings: ['services/b/src/index.ts'] });

  // Odd file names, each holding the finding.
  const odd = ['with space.ts', 'ünïcødé-名前.ts', '-dash.ts', '$(touch pwned).ts', 'quote\'"`.ts', '\u001b[31mred.ts', 'new\nline.ts'];
  const names: string[] = [];
  const oddFiles: Record<string, string> = {};
  for (const name of odd) {
    const probe = path.join(os.tmpdir(), `breakwater-name-probe-${process.pid}-${name}`);
    try {
      fs.writeFileSync(probe, '');
      fs.rmSync(probe);
    } catch {
      continue; // the filesystem refuses this name
    }
    names.push(`services/b/src/${name}`);
    oddFiles[`services/b/src/${name}`] = CALL;
  }
  add('odd-names', `file names: ${odd.map((name) => JSON.stringify(name)).join(', ')}`, oddFiles, { findings: names });

  // Special files and links.
  add('fifo', 'FIFOs as .env, docker-compose.yml and a source file', { 'services/b/.env': { fifo: true }, 'docker-compose.yml': { fifo: true }, 'services/b/src/pipe.ts': { fifo: true } }, {
    refused: ['services/b/.env', 'docker-compose.yml', 'services/b/src/pipe.ts'],
  });
  const outside = path.join(base, 'outside');
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.ts'), CALL);
  fs.writeFileSync(path.join(outside, '.env'), 'SECRET=1\n');
  add('links-out', 'links out of the workspace: .env, a source file, a k8s folder to /etc, /dev/zero as compose file', {
    'services/b/.env': { link: path.join(outside, '.env') },
    'services/b/src/secret.ts': { link: path.join(outside, 'secret.ts') },
    'k8s': { link: '/etc' },
    'docker-compose.yml': { link: '/dev/zero' },
  }, { refused: ['services/b/.env', 'docker-compose.yml', 'services/b/src/secret.ts'] });
  add('links-in', 'links inside: a file to the intact one, a folder loop, a dangling link, a link chain', {
    'services/b/src/alias.ts': { link: '../../a/src/index.ts' },
    'services/b/src/loop': { link: '.' },
    'services/b/src/up': { link: '../..' },
    'services/b/src/dangling.ts': { link: 'nowhere.ts' },
    'services/b/src/chain1.ts': { link: 'chain2.ts' },
    'services/b/src/chain2.ts': { link: 'alias.ts' },
  }, {
    // The source walk does not follow links (no cycles, no duplicates): alias.ts is the intact file, analysed once.
    hostile: ['services/b/src/alias.ts', 'services/b/src/chain1.ts'],
  });
  return cases;
}

if (require.main === module) {
  const base = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'breakwater-robust-'));
  for (const made of generate(base)) console.log(`${made.dir}  ${made.about}`);
}
