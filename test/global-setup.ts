/**
 * Fetches the real-model fixtures once per test run (see test/fixtures/real-models.ts).
 * PORT_CHECK_SKIP_FIXTURES=1 skips it, for a quick run of tests that build their own models.
 */
export default async function setup(): Promise<void> {
  if (process.env.PORT_CHECK_SKIP_FIXTURES === '1') return;
  const { ensureRealModels } = await import('./fixtures/real-models.js');
  await ensureRealModels();
}
