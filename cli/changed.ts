// `check --changed-since <git-ref>`: the files that changed since a commit, as git sees them (committed, staged or
// not, and new files it does not ignore). The analysis still reads the whole workspace; only the report is narrowed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError } from './io';

const run = promisify(execFile);

/** Workspace-relative, `/`-separated paths of the files changed since `ref` (deleted ones included; they match nothing). */
export async function filesChangedSince(root: string, ref: string): Promise<Set<string>> {
  // A ref is never an option: `--output=…` would make git write a file.
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--changed-since: "${ref}" is not a git ref`);
  await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], () => `--changed-since: no commit "${ref}" in the git repository at ${root}`);
  // --relative: paths relative to the workspace root, even when it is a folder of a larger repository.
  const changed = await git(root, ['diff', '--name-only', '-z', '--relative', '--no-renames', ref, '--'], () => `--changed-since: git diff against "${ref}" failed`);
  const untracked = await git(root, ['ls-files', '-z', '--others', '--exclude-standard'], () => '--changed-since: git ls-files failed');
  return new Set([...changed.split('\0'), ...untracked.split('\0')].filter(Boolean));
}

async function git(cwd: string, args: string[], failure: () => string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    return stdout;
  } catch (error) {
    const problem = error as NodeJS.ErrnoException & { stderr?: string };
    if (problem.code === 'ENOENT') throw new UsageError('--changed-since needs git, which was not found on the PATH');
    const said = problem.stderr?.trim().split('\n')[0];
    if (said && /not a git repository/i.test(said)) throw new UsageError(`--changed-since: ${cwd} is not in a git repository`);
    throw new UsageError(`${failure()}${said ? `: ${said}` : ''}`);
  }
}
