/**
 * The evidence behind a verdict, as a customer can follow it: each source line of a finding
 * ("title (upstream; file)", see describeSources) split into its title and the places it points
 * at, each with its kind and, where there is one, a link. The project's own data files
 * (knowledge/*.tsv ...) are how port-check stores what it read, not something a reader can open:
 * they are left out.
 */

export type SourceKind = 'vendor documentation' | 'source code' | 'press' | 'web page';

export interface SourcePlace {
  text: string;
  kind: SourceKind;
  url?: string;
}

export interface SourceRef {
  title: string;
  places: SourcePlace[];
}

/** Sites of the vendors whose stacks port-check compares (and of the standards they implement). */
const VENDOR_HOSTS = ['hiascend.com', 'huawei.com', 'nvidia.com', 'onnxruntime.ai', 'onnx.ai', 'pytorch.org', 'mindspore.cn'];
const CODE_HOSTS = ['github.com', 'gitcode.com', 'gitee.com'];

/** Repositories named as "owner/repo ..." in the profiles, and where they are published. */
const REPOSITORIES: Record<string, string> = {
  hicann: 'https://github.com/hicann',
  microsoft: 'https://github.com/microsoft',
  Ascend: 'https://github.com/Ascend',
  'triton-lang': 'https://github.com/triton-lang',
  'ggml-org': 'https://github.com/ggml-org',
  onnx: 'https://github.com/onnx',
  NVIDIA: 'https://github.com/NVIDIA',
};

/** Tool and project names that stand for a repository when the text names no owner. */
const PROJECTS: [RegExp, string][] = [
  [/^onnxruntime\b/, 'https://github.com/microsoft/onnxruntime'],
  [/^msit\b/, 'https://github.com/Ascend/msit'],
  [/^mstt\b/, 'https://github.com/Ascend/mstt'],
  [/^MindSpeed\b/, 'https://github.com/Ascend/MindSpeed'],
  [/^transfer_to_npu\.py\b/, 'https://github.com/Ascend/pytorch'],
];

/** The project's own stored data, never shown to a reader. */
export function isInternalFile(text: string): boolean {
  return /^(knowledge|shared|profiles|src)\//.test(text) || /^[\w.-]+\.(tsv|txt|json|yaml)$/.test(text);
}

/** Splits "title (where)" at the parenthesis that closes the line. */
function splitTitle(line: string): { title: string; where: string } {
  const t = line.trim();
  if (!t.endsWith(')')) return { title: t, where: '' };
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] === ')') depth += 1;
    else if (t[i] === '(') {
      depth -= 1;
      if (depth === 0) return i > 0 ? { title: t.slice(0, i).trim(), where: t.slice(i + 1, -1) } : { title: t, where: '' };
    }
  }
  return { title: t, where: '' };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function matchesHost(host: string, list: readonly string[]): boolean {
  return list.some((h) => host === h || host.endsWith(`.${h}`));
}

export function classifyPlace(text: string): SourcePlace {
  if (/^https?:\/\/\S+$/.test(text)) {
    const host = hostOf(text);
    const kind: SourceKind = matchesHost(host, VENDOR_HOSTS) ? 'vendor documentation' : matchesHost(host, CODE_HOSTS) ? 'source code' : 'press';
    return { text: host || text, kind, url: text };
  }
  if (/^hiascend\b/i.test(text)) return { text, kind: 'vendor documentation', url: 'https://www.hiascend.com/document' };
  const repo = /^([\w.-]+)\/([\w.-]+)/.exec(text);
  if (repo && REPOSITORIES[repo[1]!]) return { text, kind: 'source code', url: `${REPOSITORIES[repo[1]!]}/${repo[2]}` };
  for (const [pattern, url] of PROJECTS) if (pattern.test(text)) return { text, kind: 'source code', url };
  if (/\.(cc|cpp|h|py|md|ts)\b|\/|\bissue\b/.test(text)) return { text, kind: 'source code' };
  return { text, kind: 'web page' };
}

/** Drops "(see x.tsv)"-style asides that name the project's own data files. */
function withoutInternalAsides(text: string): string {
  return text.replace(/\s*\([^()]*\b(?:knowledge\/\S+|[\w-]+\.(?:tsv|txt|json))[^()]*\)/g, '').trim();
}

/** One source line of a finding (or hardware figure) as a title and the places a reader can look. */
export function parseSource(line: string): SourceRef {
  const { title, where } = splitTitle(line);
  const places = where
    .split(/\s*;\s*/)
    .map((s) => withoutInternalAsides(s.trim()))
    .filter((s) => s !== '' && !isInternalFile(s))
    .map(classifyPlace);
  return { title: withoutInternalAsides(title), places };
}
