// `ssoproof serve` in a process of its own for figures 6 and 7, through startServe's public
// options. Arguments: the data folder, then the module to take startServe from — the compiled
// package's `dist/cli/serve.js` (plain Node, as a user runs it) or, by default, the checkout's
// `cli/serve.ts` (run with `--import tsx`). Over the IPC channel it says `ready` with its URLs,
// answers `usage` with its memory as it is (no forced GC: the figure is what a user's process
// holds) and CPU time, and stops on `close` (messages: serve-child-messages.ts).
import { pathToFileURL } from 'node:url'

const [dataDir, serveModule] = process.argv.slice(2)
if (!dataDir || !process.send)
  throw new Error('serve-child: run with a data folder and an IPC channel')
/** @param {import('./serve-child-messages.ts').ServeChildMessage} message */
const send = (message) => process.send?.(message)
const { startServe } = await import(
  serveModule ? pathToFileURL(serveModule).href : '../../cli/serve.ts'
)
const running = await startServe({
  idpPort: 0,
  spPort: 0,
  host: '127.0.0.1',
  dataDir,
  log: () => {},
  // BENCH_SERVE_THREADS=1|2: serve's --threads (unset: its default for the machine).
  ...(process.env.BENCH_SERVE_THREADS ? { threads: Number(process.env.BENCH_SERVE_THREADS) } : {}),
})
process.on('message', async (/** @type {{ type: string }} */ request) => {
  if (request.type === 'usage') {
    const memory = process.memoryUsage()
    const cpu = process.cpuUsage()
    send({
      type: 'usage',
      rssBytes: memory.rss,
      heapTotalBytes: memory.heapTotal,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
      cpuMicros: cpu.user + cpu.system,
    })
  } else if (request.type === 'close') {
    await running.close()
    process.disconnect()
  }
})
send({ type: 'ready', idpUrl: running.idpUrl, spUrl: running.spUrl, startupMs: running.startupMs })
