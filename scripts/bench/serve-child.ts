// `ssoproof serve` in a process of its own for figures 6 and 7, through startServe's public
// options. Argument: the data folder. Over the IPC channel it says `ready` with its URLs,
// answers `usage` with its memory as it is (no forced GC: the figure is what a user's process
// holds) and CPU time, and stops on `close`.
import { startServe } from '../../cli/serve.ts'

export type ServeChildMessage =
  | { type: 'ready'; idpUrl: string; spUrl: string; startupMs: number }
  | { type: 'usage'; rssBytes: number; heapUsedBytes: number; cpuMicros: number }

export type ServeChildRequest = { type: 'usage' } | { type: 'close' }

const dataDir = process.argv[2]
if (!dataDir || !process.send)
  throw new Error('serve-child: run with a data folder and an IPC channel')
const send = (message: ServeChildMessage) => process.send?.(message)
const running = await startServe({
  idpPort: 0,
  spPort: 0,
  host: '127.0.0.1',
  dataDir,
  log: () => {},
})
process.on('message', async (request: ServeChildRequest) => {
  if (request.type === 'usage') {
    const memory = process.memoryUsage()
    const cpu = process.cpuUsage()
    send({
      type: 'usage',
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      cpuMicros: cpu.user + cpu.system,
    })
  } else {
    await running.close()
    process.disconnect()
  }
})
send({ type: 'ready', idpUrl: running.idpUrl, spUrl: running.spUrl, startupMs: running.startupMs })
