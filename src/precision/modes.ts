import type { PrecisionMode } from './types.js';

/** What --precision takes; its own module so that --help lists them without loading the emulation. */
export const PRECISION_MODES: readonly PrecisionMode[] = ['profile', 'fp16', 'bf16', 'fp32'];
