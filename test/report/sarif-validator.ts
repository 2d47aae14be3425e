import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';

/** The SARIF 2.1.0 schema (rtm.5, draft-04) as Microsoft's SARIF SDK ships it. */
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;

// A CommonJS module: under NodeNext its class is the default export's `default`.
const Ajv04 = AjvDraft04.default;
// unicodeRegExp: false, because the schema's own language-tag pattern is not valid with the u flag.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
// RFC 3986 characters, and "%" only as a percent-escape.
ajv.addFormat('uri-reference', (s: string) => /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(s));
ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(s));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));

/** Validates a parsed SARIF log against the 2.1.0 schema; `errors` is set when it fails. */
export const validateSarif = ajv.compile(schema);
