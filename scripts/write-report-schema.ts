/**
 * Writes schema/report.schema.json from the zod schema in src/report/report-schema.ts.
 * Run after changing the report's shape: `npm run build && node dist/scripts/write-report-schema.js`
 * (test/report/report-schema.test.ts fails while the committed file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchemaText } from '../src/report/report-schema.js';

// dist/scripts/ -> the repository root.
const out = new URL('../../schema/report.schema.json', import.meta.url);
writeFileSync(out, reportJsonSchemaText());
process.stdout.write(`wrote ${fileURLToPath(out)}\n`);
