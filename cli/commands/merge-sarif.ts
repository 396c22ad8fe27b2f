// `breakwater merge-sarif <files...>`: one SARIF log from the logs of per-project runs, for one code-scanning upload.
import * as fs from 'node:fs';
import { mergeSarif, SarifMergeError, stringifySarif, type SarifInput } from '../../engine/report/sarif-merge';
import { UsageError, writeReport } from '../io';

export interface MergeSarifOptions {
  output?: string;
}

export function mergeSarifCommand(files: string[], options: MergeSarifOptions): void {
  const inputs = files.map(readLog);
  let merged;
  try {
    merged = mergeSarif(inputs);
  } catch (error) {
    if (error instanceof SarifMergeError) throw new UsageError(error.message);
    throw error;
  }
  for (const warning of merged.warnings) process.stderr.write(`breakwater: warning: ${warning}\n`);
  writeReport(stringifySarif(merged.log), options.output);
}

function readLog(file: string): SarifInput {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    // A byte-order mark is allowed at the start of a JSON file written by other tools.
    return { name: file, log: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}
