import Ajv from 'ajv';

/**
 * A Code Quality report as GitLab documents it ("Code Quality report format", docs.gitlab.com
 * ci/testing/code_quality): a JSON array of objects, each with
 * - `description` (string): a human-readable description of the violation;
 * - `check_name` (string): the check or rule;
 * - `fingerprint` (string): unique to this violation (GitLab tells new from fixed ones by it);
 * - `severity`: one of info, minor, major, critical, blocker;
 * - `location.path` (string): relative to the repository, without a leading "./";
 * - `location.lines.begin` or `location.positions.begin.line` (integer): the line.
 * Other Code Climate fields are allowed (GitLab ignores them).
 */
const schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(\\./|/)' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
          positions: {
            type: 'object',
            required: ['begin'],
            properties: { begin: { type: 'object', required: ['line'], properties: { line: { type: 'integer', minimum: 1 } } } },
          },
        },
        anyOf: [{ required: ['lines'] }, { required: ['positions'] }],
      },
    },
  },
} as const;

// A CommonJS module: under NodeNext its class is the default export's `default`.
const AjvClass = (Ajv as unknown as { default: typeof Ajv }).default ?? Ajv;

/** Validates a parsed Code Quality report; `errors` is set when it fails. */
export const validateCodeQuality = new AjvClass({ allErrors: true }).compile(schema);
