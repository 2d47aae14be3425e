import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatJson } from '../../src/report/json.js';
import { mergeReports, readReportFile } from '../../src/report/merge.js';
import { SAMPLE_RULES, hostileReport, sampleReport, unknownReport } from './fixture.js';

const opts = { rules: SAMPLE_RULES };
const json = (...reports: Parameters<typeof formatJson>[0]) => formatJson(reports, opts);

describe('merge', () => {
  it('joins shards into one ReportSet sorted by model path, whatever the shard order', () => {
    const a = { file: 'shard-1.json', text: json(unknownReport('models/z.onnx')) };
    const b = { file: 'shard-2.json', text: json(sampleReport({ path: 'models/a.onnx' }), sampleReport({ path: 'models/m.onnx' })) };
    const merged = mergeReports([a, b]);
    expect(merged.schemaVersion).toBe(1);
    expect(merged.tool).toEqual({ name: 'port-check', version: '0.1.0' });
    expect(merged.reports.map((r) => r.model.path)).toEqual(['models/a.onnx', 'models/m.onnx', 'models/z.onnx']);
    expect(mergeReports([b, a])).toEqual(merged);
    // Merging the merged file again gives the same set.
    expect(mergeReports([{ file: 'all.json', text: json(...merged.reports) }])).toEqual(merged);
  });

  it('keeps every finding of every shard', () => {
    const merged = mergeReports([{ file: 'a.json', text: json(sampleReport()) }, { file: 'b.json', text: json(hostileReport()) }]);
    expect(merged.reports.find((r) => r.model.path === 'models/encoder.onnx')).toEqual(sampleReport());
    expect(merged.reports.find((r) => r.model.path !== 'models/encoder.onnx')).toEqual(hostileReport());
  });

  it('rejects another schema version, naming the file', () => {
    const v2 = JSON.stringify({ ...sampleReport(), schemaVersion: 2 });
    expect(() => mergeReports([{ file: 'a.json', text: json(sampleReport()) }, { file: 'old.json', text: v2 }])).toThrow(UsageError);
    expect(() => readReportFile('old.json', v2)).toThrow(
      "old.json: report schemaVersion 2 is not supported; this port-check reads schemaVersion 1: re-run the shards with the same port-check version",
    );
  });

  it('rejects files that are not reports, with the file and the place', () => {
    expect(() => readReportFile('x.json', 'not json')).toThrow(/^x\.json: not a JSON report/);
    expect(() => readReportFile('x.json', '[]')).toThrow(/^x\.json: not a port-check JSON report/);
    const bad = JSON.parse(json(sampleReport())) as { targets: { findings: { severity: string }[] }[] };
    bad.targets[1]!.findings[0]!.severity = 'fatal';
    expect(() => readReportFile('x.json', JSON.stringify(bad))).toThrow(/^x\.json: targets\[1\]\.findings\[0\]\.severity: /);
  });

  it('rejects shards from different port-check versions and overlapping shards', () => {
    const newer = JSON.stringify({ ...JSON.parse(json(unknownReport())), tool: { name: 'port-check', version: '0.2.0' } });
    expect(() => mergeReports([{ file: 'a.json', text: json(sampleReport()) }, { file: 'b.json', text: newer }])).toThrow(
      'merge: the reports come from different port-check versions: a.json (0.1.0), b.json (0.2.0); re-run the shards with one version',
    );
    expect(() => mergeReports([{ file: 'a.json', text: json(sampleReport()) }, { file: 'b.json', text: json(sampleReport()) }])).toThrow(
      'merge: models/encoder.onnx is in both a.json and b.json; shards must not overlap (use --shard i/n)',
    );
    expect(() => mergeReports([])).toThrow(UsageError);
  });
});
