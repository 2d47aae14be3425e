/**
 * Validates every built-in profile and writes it as JSON to dist/profiles/ (see
 * src/profiles/compiled.ts). Part of `npm run build`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compiledProfilePath, sha256, type CompiledProfile } from '../src/profiles/compiled.js';
import { builtinProfileIds, builtinProfilesDir, parseProfileText } from '../src/profiles/load.js';

for (const id of builtinProfileIds()) {
  const text = readFileSync(join(builtinProfilesDir(), `${id}.yaml`), 'utf8');
  const profile = parseProfileText(text, `profiles/${id}.yaml`);
  if (profile.id !== id) throw new Error(`profiles/${id}.yaml: id is '${profile.id}', expected '${id}' (the file name)`);
  const compiled: CompiledProfile = { yamlSha256: sha256(text), profile };
  const out = compiledProfilePath(id);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(compiled));
}
