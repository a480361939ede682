/** A log whose lines are written together once per turn of the event loop. */
export interface BatchedLog {
  log(line: string): void
  /** Writes what is waiting now (before the process stops). */
  flush(): void
}

/**
 * Log lines off the request's path: a line is queued and the queue written in one call after the
 * current turn of the event loop, instead of one write per line inside the handler (a write to
 * stderr that is a pipe or a file is synchronous in Node and waits on the reader).
 */
export function batchedLog(write: (text: string) => void): BatchedLog {
  let waiting: string[] = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (waiting.length === 0) return
    const text = `${waiting.join('\n')}\n`
    waiting = []
    write(text)
  }
  return {
    log(line) {
      waiting.push(line)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    flush,
  }
}
