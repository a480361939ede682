/**
 * `Promise.all` that settles only when every promise has: it rejects with the first failure (in
 * argument order), but not before the others are done. A start-up that fails on one input (a
 * bad config file) must not return while another (a key being written to the data folder) is
 * still running behind it.
 */
export async function allDone<const T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises)
  const failure = settled.find((result) => result.status === 'rejected')
  if (failure) throw failure.reason
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>
  }
}
