// What `serve-child.mjs` (figures 6 and 7, the two-process test) says and is asked over its IPC
// channel.
export type ServeChildMessage =
  | { type: 'ready'; idpUrl: string; spUrl: string; startupMs: number }
  | ({ type: 'usage'; cpuMicros: number } & MemoryUsage)

/**
 * `process.memoryUsage()` of the child, bytes: RSS; V8's heap as reserved (`heapTotal`) and in use
 * (`heapUsed`, garbage since the last collection included); memory of JavaScript objects held
 * outside the heap (`external`, Buffers and ArrayBuffers among it: `arrayBuffers`). What RSS holds
 * beyond `heapTotal` is native: Node itself, SQLite's page caches, malloc.
 */
export interface MemoryUsage {
  rssBytes: number
  heapTotalBytes: number
  heapUsedBytes: number
  externalBytes: number
  arrayBuffersBytes: number
}

export type ServeChildRequest = { type: 'usage' } | { type: 'close' }
