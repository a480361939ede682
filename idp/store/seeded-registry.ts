import type { RecordTable } from './record-table.ts'

/** A registry by id: seeded from the options, added to through the admin API. */
export interface SeededRegistry<T> {
  get(id: string): T | undefined
  list(): T[]
  /** Validates, keeps in `stored` and adds (or replaces). */
  register(input: unknown): T
  delete(id: string): boolean
}

/**
 * The seeds (options, the users file) first, then what was registered through the admin API and
 * kept in `stored`, so a restart keeps it; reads come from memory. A seed deleted through the API
 * is back at the next start, as its options say.
 */
export function createSeededRegistry<T>(
  parse: (input: unknown) => T,
  idOf: (item: T) => string,
  initial: readonly unknown[],
  stored?: RecordTable<T>,
): SeededRegistry<T> {
  const items = new Map<string, T>()
  for (const input of initial) {
    const item = parse(input)
    items.set(idOf(item), item)
  }
  for (const item of stored?.all() ?? []) items.set(idOf(item), item)
  return {
    get: (id) => items.get(id),
    list: () => [...items.values()],
    register(input) {
      const item = parse(input)
      stored?.put(idOf(item), item)
      items.set(idOf(item), item)
      return item
    },
    delete(id) {
      stored?.delete(id)
      return items.delete(id)
    },
  }
}
