// What `serve-child.mjs` (figures 6 and 7, the two-process test) says and is asked over its IPC
// channel.
export type ServeChildMessage =
  | { type: 'ready'; idpUrl: string; spUrl: string; startupMs: number }
  | { type: 'usage'; rssBytes: number; heapUsedBytes: number; cpuMicros: number }

export type ServeChildRequest = { type: 'usage' } | { type: 'close' }
