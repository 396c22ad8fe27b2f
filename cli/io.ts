// What every command shares: the usage error type, and writing a report to stdout or a file.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A mistake in the command line; printed without a stack, exit code 2. */
export class UsageError extends Error {}

export function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** To stdout, or to `output` (its folders are created). */
export function writeReport(report: string, output: string | undefined): void {
  if (!output) {
    if (report) process.stdout.write(report);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
    fs.writeFileSync(output, report);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${(error as Error).message}`);
  }
}

/** `--opt a --opt b,c` → ['a', 'b', 'c']. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}
