import { describe, expect, it } from 'vitest';
import { singleOp } from './models.js';
import { check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';
import { message, remedy } from '../helpers/words.js';

const efficientNms = singleOp({ opType: 'EfficientNMS_TRT', name: 'nms' });
const trtDomain = singleOp({ opType: 'CustomGeluPluginDynamic', domain: 'trt.plugins', name: 'gelu' });

describe('tensorrt-plugins', () => {
  ruleTable('tensorrt-plugins', [
    { name: 'EfficientNMS_TRT in the default domain', model: efficientNms, expect: gpuVsAscend(['tensorrt-plugin degraded'], ['tensorrt-plugin unsupported']) },
    { name: 'an op in the trt.plugins domain', model: trtDomain, expect: gpuVsAscend(['tensorrt-plugin degraded'], ['tensorrt-plugin unsupported']) },
  ]);

  it('owns *_TRT ops: op-support does not call them unknown', () => {
    const findings = check(efficientNms, 'ascend-910b');
    expect(ofRule(findings, 'op-support')).toEqual([]);
    const [finding] = ofRule(findings, 'tensorrt-plugins');
    expect(message(finding!)).toMatch(/^EfficientNMS_TRT \(1 node\) is a TensorRT plugin: /);
    expect(remedy(finding!)).toMatch(/Ascend C/);
  });

  it('on the GPU, points at the TensorRT execution provider and its plugin library', () => {
    const [finding] = ofRule(check(trtDomain, 'h20'), 'tensorrt-plugins');
    expect(finding).toMatchObject({ severity: 'warning', domain: 'trt.plugins' });
    expect(remedy(finding!)).toMatch(/TensorRT/);
  });
});
