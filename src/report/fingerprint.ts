import { createHash } from 'node:crypto';
import type { Finding } from '../findings/finding.js';

/** What identifies a finding across runs: never node order, names or counts, which edits shift. */
export interface FingerprintParts {
  /** Repository-relative, forward-slash model path (see repoRelativePath). */
  model: string;
  target: string;
  rule: string;
  code: string;
  domain: string;
  op: string;
}

export function fingerprintParts(model: string, target: string, f: Finding): FingerprintParts {
  // '' and an absent domain both mean ai.onnx for an op (the ONNX default domain).
  const domain = f.domain === undefined || f.domain === '' ? (f.op !== undefined ? 'ai.onnx' : '') : f.domain;
  return { model, target, rule: f.rule, code: f.code, domain, op: f.op ?? '' };
}

/**
 * A stable hash of a finding's identity, shared by SARIF partialFingerprints and baselines:
 * 32 hex digits of SHA-256 over the parts, length-delimited by JSON so that no two part lists
 * collide.
 */
export function fingerprintOf(parts: FingerprintParts): string {
  const { model, target, rule, code, domain, op } = parts;
  return createHash('sha256')
    .update(JSON.stringify(['port-check/v1', model, target, rule, code, domain, op]))
    .digest('hex')
    .slice(0, 32);
}

export function findingFingerprint(model: string, target: string, f: Finding): string {
  return fingerprintOf(fingerprintParts(model, target, f));
}
