import { parentPort, workerData } from 'node:worker_threads'
import { loadCredential } from '../../core/keys/index.ts'
import { createBrowserHost, createHttpHost, type DriverHost } from './drivers/hosts.ts'
import { loadScenarios } from './load.ts'
import { planRuns } from './plan.ts'
import { runScenario } from './run-scenario.ts'
import type { WorkerData, WorkerReply, WorkerRequest } from './runner.ts'

/** Runs the scenarios the main thread asks for, one at a time, in this thread's own host. */
async function main(): Promise<void> {
  const data = workerData as WorkerData
  const port = parentPort
  if (!port) throw new Error('worker-loop runs in a worker thread')
  const keys = { idp: loadCredential(data.keys.idp), sp: loadCredential(data.keys.sp) }
  const scenarios = loadScenarios(data.sources, data.cwd)
  const runs = new Map(planRuns(scenarios, { driver: data.driver }).map((run) => [run.id, run]))
  const host: DriverHost = data.driver === 'browser' ? await createBrowserHost() : createHttpHost()
  const reply = (message: WorkerReply) => port.postMessage(message)
  port.on('message', async (message: WorkerRequest) => {
    if (message.type === 'close') {
      await host.close()
      port.close()
      return
    }
    const run = runs.get(message.id)
    if (!run) {
      reply({ type: 'error', id: message.id, message: `no scenario run "${message.id}" here` })
      return
    }
    const outcome = await runScenario(run, { host, keys, seed: data.seed })
    reply({ type: 'result', outcome })
  })
  reply({ type: 'ready' })
}

await main()
