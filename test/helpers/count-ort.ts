import { loadOrt } from '../../src/runtime/load-ort.js';

/**
 * Counts the ONNX Runtime sessions created and the runs made while `body` runs (the ORT module the
 * library loads is this one). `counts(feeds)` says which runs to count (default: every run).
 */
export async function countingOrt<T>(
  body: () => Promise<T>, counts: (feeds: Record<string, { size: number }>) => boolean = () => true,
): Promise<{ value: T; sessions: number; runs: number }> {
  const ort = await loadOrt();
  const Session = ort.InferenceSession as unknown as { create: (...a: unknown[]) => Promise<{ run: (...a: unknown[]) => Promise<unknown> }> };
  const create = Session.create;
  let sessions = 0;
  let runs = 0;
  Session.create = async (...args: unknown[]) => {
    sessions++;
    const session = await create.apply(Session, args);
    const run = session.run.bind(session);
    session.run = (...a: unknown[]) => {
      if (counts(a[0] as Record<string, { size: number }>)) runs++;
      return run(...a);
    };
    return session;
  };
  try {
    return { value: await body(), sessions, runs };
  } finally {
    Session.create = create;
  }
}
