// What one full SAML POST sign-in against `serve` costs in CPU, the server's and the visitor's,
// and the server's per route — the numbers behind figure 7 that do not depend on how busy the
// machine is. `serve` runs in a process of its own (the checkout through tsx, or with --compiled
// the package's dist/ as figure 7 runs it); the visitors of figure 7 (`loopback-visitor.ts`) in this one.
// Usage: npx tsx scripts/bench/sign-in-cost.ts [--sign-ins 400] [--visitors 50] [--compiled]
//   [--threads 1|2] (serve's; per route only with 1, the default)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startChild } from './child.ts'
import { LoopbackConnections, signInOverLoopback } from './loopback-visitor.ts'
import type { ServeChildMessage } from './serve-child-messages.ts'
import { runVisitors } from './visitors.ts'

type Message =
  | ServeChildMessage
  | { type: 'routes'; routes: [string, { count: number; micros: number }][] }

const { values } = parseArgs({
  options: {
    'sign-ins': { type: 'string', default: '400' },
    visitors: { type: 'string', default: '50' },
    compiled: { type: 'string' },
    // serve's threads. The per-route meter needs one: it meters requests on the main thread, by
    // the process's CPU clock (Node 20 has none per thread).
    threads: { type: 'string', default: '1' },
  },
})
if (values.threads !== '1' && values.threads !== '2') throw new Error('--threads must be 1 or 2')
process.env.BENCH_SERVE_THREADS = values.threads
const signIns = Number(values['sign-ins'])
const visitors = Number(values.visitors)
const childScript = fileURLToPath(new URL('./route-cost-child.mjs', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'sign-in-cost-'))
const child = values.compiled
  ? startChild<Message>(childScript, [dataDir, values.compiled], [])
  : startChild<Message>(childScript, [dataDir], ['--import', 'tsx'])

/** The server's CPU time so far, ms, and its CPU per route since the last reading. */
const usage = async () => {
  const answers = Promise.all([child.next('routes'), child.next('usage')])
  child.send({ type: 'usage' })
  const [routes, usage] = await answers
  return { cpuMs: usage.cpuMicros / 1000, routes: routes.routes }
}

/** Server and visitor CPU ms per sign-in over `count` sign-ins by `concurrent` visitors. */
async function measure(signIn: () => Promise<unknown>, concurrent: number, count: number) {
  const server0 = await usage()
  const visitor0 = process.cpuUsage()
  const result = await runVisitors(concurrent, signIn, (started) => started < count)
  const visitor = process.cpuUsage(visitor0)
  const server1 = await usage()
  if (result.errors > 0) throw new Error(`${result.errors} errors: ${result.firstError}`)
  return {
    server: (server1.cpuMs - server0.cpuMs) / result.signIns,
    visitor: (visitor.user + visitor.system) / 1000 / result.signIns,
    perSecond: result.signIns / (result.durationMs / 1000),
    routes: server1.routes,
  }
}

const connections = new LoopbackConnections()
try {
  const ready = await child.next('ready')
  const signIn = () => signInOverLoopback(ready.spUrl, { connections })
  const ports = new Map([
    [new URL(ready.idpUrl).port, 'IdP'],
    [new URL(ready.spUrl).port, 'SP'],
  ])
  await measure(signIn, visitors, Math.max(200, signIns / 2))
  const one = await measure(signIn, 1, signIns)
  child.send({ type: 'meter', on: false })
  const many = await measure(signIn, visitors, signIns)
  const fixed = (n: number) => n.toFixed(2)
  console.log(
    `one visitor: server ${fixed(one.server)} ms, visitor ${fixed(one.visitor)} ms CPU per sign-in`,
  )
  if (values.threads === '2') console.log('  (per route: only the main thread is metered)')
  for (const [key, { count, micros }] of one.routes) {
    const [port = '', method, path] = key.split(' ')
    const perSignIn = micros / 1000 / signIns
    console.log(
      `  ${ports.get(port) ?? port} ${method} ${path}: ${fixed(micros / 1000 / count)} ms × ${count} (${fixed(perSignIn)} ms per sign-in)`,
    )
  }
  console.log(
    `${visitors} visitors: server ${fixed(many.server)} ms, visitor ${fixed(many.visitor)} ms CPU per sign-in, ${many.perSecond.toFixed(0)}/s`,
  )
} finally {
  connections.destroy()
  await child.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
