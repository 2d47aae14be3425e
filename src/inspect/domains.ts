/**
 * How port-check sorts op domains. The checks split the work by domain (see checks/op-owner.ts:
 * op-support owns the standard ones, contrib-ops com.microsoft, tensorrt-plugins TensorRT plugin
 * ops, custom-domains the rest), so inspect and every check must classify a node the same way.
 */

/** Domains defined by the ONNX standard. */
export const STANDARD_DOMAINS: ReadonlySet<string> = new Set([
  'ai.onnx',
  'ai.onnx.ml',
  'ai.onnx.preview.training',
]);

export const TENSORRT_PLUGIN_DOMAIN = 'trt.plugins';

export function isStandardDomain(domain: string): boolean {
  return STANDARD_DOMAINS.has(domain);
}

/** ONNX Runtime's contrib domains: com.microsoft and its internal layout domains (com.microsoft.nchwc, com.ms.internal.nhwc). */
export function isContribDomain(domain: string): boolean {
  return domain === 'com.microsoft' || domain.startsWith('com.microsoft.') || domain.startsWith('com.ms.');
}

/**
 * TensorRT plugin ops: the trt.plugins domain, and any op type ending in _TRT (exporters put
 * EfficientNMS_TRT and friends in the default or a custom domain).
 */
export function isTensorRtPluginOp(domain: string, opType: string): boolean {
  return domain === TENSORRT_PLUGIN_DOMAIN || opType.endsWith('_TRT');
}

/** The key facts use for a model-local function, and for a call to one. */
export function functionKey(domain: string, name: string): string {
  return `${domain === '' ? 'ai.onnx' : domain}::${name}`;
}
