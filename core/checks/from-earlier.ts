/**
 * A value that an earlier check of the same table set (the Assertion it selected, the message
 * it read): the table's order guarantees it, so a missing one is a table put together in the
 * wrong order — a programming error, named here instead of hidden behind a type cast.
 */
export function fromEarlier<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new TypeError(`${what} is read before the check that sets it`)
  return value
}
