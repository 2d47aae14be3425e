import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { profileSchema } from '../src/profiles/schema.js';
import { ASCEND_TARGETS, buildAscendProfile } from './build-profiles/ascend.js';
import { buildH20Profile } from './build-profiles/h20.js';
import { readKnowledge } from './build-profiles/knowledge.js';
import type { ProfileInput } from './build-profiles/profile-input.js';
import { REGENERATE_COMMAND, renderProfileYaml } from './build-profiles/render.js';

/**
 * Builds profiles/*.yaml from knowledge/. Deterministic: the same knowledge files give
 * byte-identical profiles. Usage:
 *   node dist/scripts/build-profiles.js [--knowledge DIR] [--out DIR] [--check]
 * --check writes nothing and exits 1 when a profile on disk differs from what it would write.
 */

/** File name → YAML text, for every built-in profile. */
export function renderProfiles(knowledgeDir: string): Map<string, string> {
  const k = readKnowledge(knowledgeDir);
  const profiles: ProfileInput[] = [buildH20Profile(k), ...ASCEND_TARGETS.map((t) => buildAscendProfile(k, t))];
  const out = new Map<string, string>();
  for (const profile of profiles) {
    // The loader validates again; failing here keeps a broken profile from being written at all.
    const checked = profileSchema.safeParse(profile);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new Error(`generated profile '${profile.id}' breaks the schema at ${issue.path.join('.')}: ${issue.message}`);
    }
    out.set(`${profile.id}.yaml`, renderProfileYaml(profile));
  }
  return out;
}

/** Writes every built-in profile into `outDir`; returns the paths written. */
export function writeProfiles(knowledgeDir: string, outDir: string): string[] {
  const rendered = renderProfiles(knowledgeDir);
  mkdirSync(outDir, { recursive: true });
  return [...rendered].map(([file, text]) => {
    const path = join(outDir, file);
    writeFileSync(path, text);
    return path;
  });
}

/** The folder holding package.json, found by walking up from this module (works from src and dist). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

function main(argv: string[]): number {
  const root = packageRoot();
  let knowledgeDir = join(root, 'knowledge');
  let outDir = join(root, 'profiles');
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--knowledge' || arg === '--out') {
      const value = argv[++i];
      if (!value) { console.error(`${arg} needs a folder`); return 2; }
      if (arg === '--knowledge') knowledgeDir = resolve(value); else outDir = resolve(value);
    } else if (arg === '--check') check = true;
    else { console.error(`unknown argument '${arg}'; usage: build-profiles [--knowledge DIR] [--out DIR] [--check]`); return 2; }
  }
  if (check) {
    const rendered = renderProfiles(knowledgeDir);
    const stale = [...rendered].filter(([file, text]) => {
      const path = join(outDir, file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    }).map(([file]) => file);
    if (stale.length > 0) { console.error(`out of date: ${stale.join(', ')}; run ${REGENERATE_COMMAND}`); return 1; }
    return 0;
  }
  console.log(`wrote ${writeProfiles(knowledgeDir, outDir).join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    // A knowledge file that no longer reads as expected: say which, without a stack trace.
    console.error(`build-profiles: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
