import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, expect } from 'vitest'

/** The bound on heap growth across one fuzz file (README of tests/fuzz). */
export const maxHeapGrowthBytes = 96 * 1024 * 1024

/**
 * Guards one fuzz file: no unhandled rejection or uncaught exception while it runs, and the heap,
 * measured after a full garbage collection before the first test and after the last, grows by
 * less than the bound.
 */
export function guardProcess(): void {
  const problems: string[] = []
  const record = (kind: string) => (error: unknown) => {
    problems.push(`${kind}: ${error instanceof Error ? error.stack : String(error)}`)
  }
  const onRejection = record('unhandled rejection')
  const onException = record('uncaught exception')
  let heapBefore = 0
  beforeAll(() => {
    process.on('unhandledRejection', onRejection)
    process.on('uncaughtException', onException)
    heapBefore = settledHeap()
  })
  afterAll(async () => {
    // Rejections surface on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 10))
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
    expect(problems).toEqual([])
    expect(settledHeap() - heapBefore).toBeLessThan(maxHeapGrowthBytes)
  })
}

let gc: (() => void) | undefined

/** heapUsed after a full collection (V8's gc, exposed at run time for this measurement). */
function settledHeap(): number {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
  return process.memoryUsage().heapUsed
}
