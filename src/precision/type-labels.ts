/** How the emulation's notes name the float types it rounds through ("fp32 … converted to fp16"). */
export const TYPE_LABEL: Record<string, string> = {
  FLOAT: 'fp32', FLOAT16: 'fp16', BFLOAT16: 'bf16', DOUBLE: 'fp64',
};
