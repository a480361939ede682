import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { busyTimeoutMs } from '../core/store/open-database.ts'

/**
 * How often the checkpoint thread copies what the databases' write-ahead logs hold into the
 * database files (SQLite's PASSIVE checkpoint: it waits for no one and stops no writer), ms.
 */
export const checkpointIntervalMs = 250

/**
 * The write-ahead log size, pages, at which a request's own commit checkpoints after all
 * (SQLite's `wal_autocheckpoint`; its default is 1,000). It is what lets the log start over:
 * under a steady load writes keep coming while the checkpoint thread copies, so it rarely catches
 * up with the last of them, and only a checkpoint on the writing connection itself, right after
 * its commit, does. By then the thread has copied all but the last pages, so that checkpoint has
 * little to copy and sync. It is also the bound should the checkpoint thread fall behind or fail.
 */
export const requestCheckpointPages = 10_000

/**
 * SQLite's default checkpoints run inside the commit that fills the log to 1,000 pages, in a
 * request, on the thread that serves it: two fsyncs that stop that thread for 5–90 ms on a busy
 * disk, every 40 sign-ins or so (issue 22's figure 7: the SP's thread 0.56 s of 10 s in fsync).
 * Instead a thread of its own, which serves nothing, checkpoints each database file every
 * `checkpointIntervalMs` over a connection of its own, and the serving connections
 * (`serveCheckpointsElsewhere`) checkpoint only at `requestCheckpointPages`. The same checkpoints
 * with the same syncs (synchronous=NORMAL, as open-database.ts sets): nothing is less durable.
 */
export interface Checkpoints {
  /** Stops the thread, its connections closed first. */
  close(): Promise<void>
}

/** The serving connection's side: it checkpoints only at `requestCheckpointPages`. */
export function serveCheckpointsElsewhere(db: { pragma(source: string): unknown }): void {
  db.pragma(`wal_autocheckpoint = ${requestCheckpointPages}`)
}

/**
 * Starts the checkpoint thread for the database files at `paths` (each already created and in
 * WAL mode). A checkpoint that fails is said once through `log` for that file, which the thread
 * then leaves to its serving connection's own checkpoints.
 */
export function startCheckpoints(
  paths: string[],
  log: (line: string) => void,
  intervalMs = checkpointIntervalMs,
): Checkpoints {
  const worker = new Worker(checkpointThread, {
    eval: true,
    workerData: {
      paths,
      intervalMs,
      busyTimeoutMs,
      // Resolved here: an eval'd thread resolves modules from the working folder, not the package.
      sqlite: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
    // A loop of pragmas: the smallest heap V8 takes.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  })
  worker.on('message', (message: { type: 'failed'; path: string; message: string }) => {
    log(
      `ssoproof serve: checkpoints of ${message.path} left to its own connection: ${message.message}`,
    )
  })
  worker.on('error', (error) =>
    log(`ssoproof serve: the checkpoint thread failed: ${error.message}`),
  )
  worker.unref()
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    close: async () => {
      // Held open until the thread has closed its connections: a process that waits for
      // nothing else (its servers closed) would otherwise end before (exit code 13).
      worker.ref()
      worker.postMessage('close')
      await exited
    },
  }
}

// The thread, CommonJS as an eval'd worker is. Its connections are read by no request: a small
// page cache (a checkpoint copies frames through a buffer of its own, not through the cache).
const checkpointThread = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqlite)
const connect = (path) => {
  const db = new Database(path, { fileMustExist: true, timeout: workerData.busyTimeoutMs })
  db.pragma('synchronous = NORMAL')
  db.pragma('cache_size = -256')
  return db
}
let files = workerData.paths.map((path) => ({ path, db: undefined }))
const checkpoint = () => {
  files = files.filter((file) => {
    try {
      file.db ??= connect(file.path)
      file.db.pragma('wal_checkpoint(PASSIVE)')
      return true
    } catch (error) {
      parentPort.postMessage({ type: 'failed', path: file.path, message: String(error?.message ?? error) })
      file.db?.close()
      return false
    }
  })
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  for (const { db } of files) db?.close()
  parentPort.close()
})
`
