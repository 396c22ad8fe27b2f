// JUnit XML, which GitLab (`artifacts:reports:junit`), Jenkins, Azure Pipelines and CircleCI show as test results.
// One test suite per file with problems, one test case per problem, failed; suppressed findings are skipped test
// cases, so accepted findings stay visible:
//
//   <testsuites name="breakwater" tests="2" failures="1" errors="0" skipped="1">
//     <testsuite name="src/orders.ts" tests="2" failures="1" errors="0" skipped="1" time="0">
//       <testcase classname="src/orders.ts" name="missing-timeout at 3:10" file="src/orders.ts" line="3" time="0">
//         <failure type="missing-timeout" message="axios has no timeout …">line 3, col 10, Warning - axios has no timeout … (missing-timeout)</failure>
//       </testcase>
//       …
//
// Paths are relative to the working directory. Clean runs give an empty <testsuites/>, still a valid report.
import type { AnalysisResult } from '../index';
import type { ReportOptions } from './index';
import { problemsByFile, relativePath, type Problem } from './problems';
import { XML_DECLARATION, xmlAttributes, xmlEscape } from './xml';

export function formatJunit(result: AnalysisResult, options: ReportOptions = {}): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const { file, problems } of problemsByFile(result, { withSuppressed: true })) {
    const name = relativePath(result, file, options.cwd);
    const suiteSkipped = problems.filter((problem) => problem.suppressed).length;
    const suiteFailures = problems.length - suiteSkipped;
    tests += problems.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    let suite = `  <testsuite${xmlAttributes({ name, tests: problems.length, failures: suiteFailures, errors: 0, skipped: suiteSkipped, time: 0 })}>\n`;
    for (const problem of problems) suite += testCase(name, problem);
    suites.push(`${suite}  </testsuite>\n`);
  }
  return `${XML_DECLARATION}\n<testsuites${xmlAttributes({ name: 'breakwater', tests, failures, errors: 0, skipped })}>\n${suites.join('')}</testsuites>\n`;
}

function testCase(file: string, problem: Problem): string {
  const at = problem.line === undefined ? '' : ` at ${problem.line}:${problem.column ?? 1}`;
  const open = `    <testcase${xmlAttributes({ classname: file, name: `${problem.ruleId ?? 'breakwater'}${at}`, file, line: problem.line, time: 0 })}>\n`;
  if (problem.suppressed) {
    const why = problem.suppressed.justification ? `suppressed: ${problem.suppressed.justification}` : 'suppressed';
    return `${open}      <skipped${xmlAttributes({ message: why })}/>\n    </testcase>\n`;
  }
  const type = problem.severity === 'error' ? 'Error' : 'Warning';
  const detail = `line ${problem.line ?? 0}, col ${problem.column ?? 0}, ${type} - ${problem.message}${problem.ruleId ? ` (${problem.ruleId})` : ''}`;
  return `${open}      <failure${xmlAttributes({ type: problem.ruleId ?? 'notice', message: problem.message })}>${xmlEscape(detail)}</failure>\n    </testcase>\n`;
}
