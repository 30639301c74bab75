/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what = 'condition', timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
