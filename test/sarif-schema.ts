// The official SARIF 2.1.0 schema, as the tests check our logs against it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';

const schemaFile = path.join(__dirname, '..', 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

// unicodeRegExp off: the schema's language-tag pattern (`…]?$`) is not a valid regular expression in unicode mode.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
// Ajv ships no format checks; these catch what we could get wrong (an unescaped path, a relative helpUri).
ajv.addFormat('uri', (value: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(value));
ajv.addFormat('uri-reference', (value: string) => /^[^\s#]*(#[^\s#]*)?$/.test(value));
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
const validateSarif = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));

export function assertValidSarif(log: unknown): void {
  assert.ok(validateSarif(log), ajv.errorsText(validateSarif.errors, { separator: '\n' }));
}
