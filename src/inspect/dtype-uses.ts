import { DATA_TYPES, type DataTypeName } from '../onnx/data-types.js';
import type { DtypeSite, DtypeUse } from './facts.js';

/** Example names kept per (dtype, site); counts keep the total. */
export const MAX_DTYPE_EXAMPLES = 5;

const SITE_ORDER: readonly DtypeSite[] = [
  'initializer', 'constant', 'graph_input', 'graph_output', 'value_info', 'cast_target',
  'zero_point', 'attribute',
];

interface SiteTally {
  count: number;
  examples: string[];
}

/** Collects where each element type appears; `result()` gives them in dtype-code order. */
export class DtypeUses {
  private readonly sites = new Map<DataTypeName, Map<DtypeSite, SiteTally>>();
  private readonly bytes = new Map<DataTypeName, number>();

  add(dtype: DataTypeName | undefined, site: DtypeSite, example: string): void {
    if (dtype === undefined || dtype === 'UNDEFINED') return;
    let perSite = this.sites.get(dtype);
    if (!perSite) this.sites.set(dtype, (perSite = new Map()));
    let tally = perSite.get(site);
    if (!tally) perSite.set(site, (tally = { count: 0, examples: [] }));
    tally.count += 1;
    if (tally.examples.length < MAX_DTYPE_EXAMPLES && example !== '') tally.examples.push(example);
  }

  addInitializerBytes(dtype: DataTypeName, bytes: number): void {
    if (dtype === 'UNDEFINED') return;
    this.bytes.set(dtype, (this.bytes.get(dtype) ?? 0) + finite(bytes));
  }

  result(): DtypeUse[] {
    return [...this.sites.entries()]
      .sort(([a], [b]) => codeOf(a) - codeOf(b))
      .map(([dtype, perSite]) => ({
        dtype,
        sites: SITE_ORDER.flatMap((site) => {
          const t = perSite.get(site);
          return t ? [{ site, count: t.count, examples: t.examples }] : [];
        }),
        initializerBytes: this.bytes.get(dtype) ?? 0,
      }));
  }
}

/** Hostile dims can make sizes Infinity or NaN; totals stay finite numbers that JSON can hold. */
export function finite(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.min(n, Number.MAX_SAFE_INTEGER) : 0;
}

const CODES = new Map<string, number>(DATA_TYPES.map((t) => [t.name, t.code]));

function codeOf(name: DataTypeName): number {
  return CODES.get(name) ?? Number.MAX_SAFE_INTEGER;
}
