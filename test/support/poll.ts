/** Waits a real, short while (for polling only; deadline tests never sleep for the time they test). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `ok` holds or the bound passes; returns the last value read (the test asserts on it). */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < end) {
    await pause(stepMs);
    value = await read();
  }
  return value;
}
