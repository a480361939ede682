import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { LogExcerpt } from './report.ts'

const maxBytes = 24_000

/**
 * Notes how long each log is now; the returned function reads what each gained since (its last
 * 24 kB), so a failing cell carries the peer log lines of its own moment.
 */
export function readLogGrowth(files: string[]): () => LogExcerpt[] {
  const sizes = new Map(files.map((file) => [file, sizeOf(file)]))
  return () =>
    files.flatMap((file) => {
      const from = sizes.get(file) ?? 0
      const to = sizeOf(file)
      if (to <= from) return []
      const start = Math.max(from, to - maxBytes)
      const buffer = Buffer.alloc(to - start)
      const fd = openSync(file, 'r')
      try {
        readSync(fd, buffer, 0, buffer.length, start)
      } finally {
        closeSync(fd)
      }
      return [{ file: basename(file), text: buffer.toString('utf8') }]
    })
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}
