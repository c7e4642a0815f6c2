/**
 * Polls `check` until it returns true or `timeoutMs` passes. Expiry is asserted this way (never by
 * sleeping exactly the TTL), so a slow machine only makes the case slower, not flaky.
 */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  { timeoutMs = 5000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`${what}: not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
