import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The stages of src/, in the order data flows (DESIGN.md): a file may import its own stage or an
 * earlier one, never a later one. Files at the top of src/ (the orchestrators check.ts, rules.ts,
 * index.ts, and small utilities) are not a stage.
 */
const STAGES: string[][] = [
  ['onnx', 'profiles'],
  ['findings'],
  ['inspect'],
  ['assess'],
  ['checks'],
  ['runtime'],
  ['precision'],
  ['estimate'],
  // The LLM serving plan: from the estimate's transformer structure (or a config.json) and the profiles.
  ['serve'],
  ['analysis'],
  ['report'],
  ['plan'],
  ['config', 'cli'],
];

const rank = new Map(STAGES.flatMap((names, i) => names.map((n) => [n, i] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** "src/report/html/x.ts" → "report"; a top-level file → undefined. */
function stageOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1] : undefined;
}

describe('architecture', () => {
  const files = sourceFiles('src');

  it('no file imports from a later stage', () => {
    const backwards: string[] = [];
    for (const file of files) {
      const from = stageOf(file);
      if (from === undefined || !rank.has(from)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = join(file, '..', m[1]!);
        const to = stageOf(target);
        if (to === undefined || !rank.has(to)) continue;
        if (rank.get(to)! > rank.get(from)!) backwards.push(`${file} imports ${target}`);
      }
    }
    expect(backwards).toEqual([]);
  });

  it('every folder of src/ is a known stage', () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !rank.has(f))).toEqual([]);
  });

  it('src/checks/ holds only checks (and their registry)', () => {
    const others = readdirSync('src/checks')
      .filter((f) => f !== 'index.ts')
      .filter((f) => !/export default defineCheck\(/.test(readFileSync(join('src/checks', f), 'utf8')));
    expect(others).toEqual([]);
  });

  it('no comment numbers a plan\'s parts ("part 2")', () => {
    const numbered = files.filter((f) => /\(part \d\)|\bpart \d\b/.test(readFileSync(f, 'utf8')));
    expect(numbered).toEqual([]);
  });
});
