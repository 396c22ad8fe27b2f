// Checkstyle XML, which Jenkins (warnings-ng), reviewdog, SonarQube and GitLab converters read. ESLint's layout:
//
//   <checkstyle version="4.3">
//     <file name="src/orders.ts">
//       <error line="3" column="10" severity="warning" message="axios has no timeout … (missing-timeout)" source="breakwater.rules.missing-timeout"/>
//     </file>
//   </checkstyle>
//
// Paths are relative to the working directory. A notice's source is "breakwater"; without a position it is at 0:0.
import type { AnalysisResult } from '../index';
import type { ReportOptions } from './index';
import { problemsByFile, relativePath } from './problems';
import { XML_DECLARATION, xmlAttributes } from './xml';

export function formatCheckstyle(result: AnalysisResult, options: ReportOptions = {}): string {
  let out = `${XML_DECLARATION}\n<checkstyle version="4.3">\n`;
  for (const { file, problems } of problemsByFile(result)) {
    out += `  <file${xmlAttributes({ name: relativePath(result, file, options.cwd) })}>\n`;
    for (const problem of problems) {
      const attributes = xmlAttributes({
        line: problem.line ?? 0,
        column: problem.column ?? 0,
        severity: problem.severity,
        message: problem.ruleId ? `${problem.message} (${problem.ruleId})` : problem.message,
        source: problem.ruleId ? `breakwater.rules.${problem.ruleId}` : 'breakwater',
      });
      out += `    <error${attributes}/>\n`;
    }
    out += '  </file>\n';
  }
  return `${out}</checkstyle>\n`;
}
