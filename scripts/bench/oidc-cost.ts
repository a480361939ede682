// What one OIDC code flow of figure 4 (`oidc-loopback`) costs in CPU, ssoproof's against the
// peer's, and per route — figures that hold on a busy machine, where the rate does not. The
// setup is figure 4's (`figures/oidc-flow.ts`): IdP, SP and oauth2-mock-server on loopback ports
// in this process, a new visitor each time (figure 7's lean one, or with --visitor general
// `visitor.ts`); everything runs on one event loop, so the CPU of a sign-in is the process's
// CPU over a batch of sign-ins done one at a time, in turns.
// A route's CPU runs from the request's arrival until its answer is written; the SP's callback
// holds the token and userinfo requests it makes, which are also counted on their own.
// Usage: npx tsx scripts/bench/oidc-cost.ts [--sign-ins 300] [--rounds 4] [--visitor lean|general]
import http from 'node:http'
import { parseArgs } from 'node:util'
import { createCredential } from '../../core/keys/index.ts'
import { loopbackFlows } from './figures/oidc-flow.ts'

const { values } = parseArgs({
  options: {
    'sign-ins': { type: 'string', default: '300' },
    rounds: { type: 'string', default: '4' },
    visitor: { type: 'string', default: 'lean' },
  },
})
const signIns = Number(values['sign-ins'])
const rounds = Number(values.rounds)

const routes = new Map<string, { count: number; micros: number; wallMs: number }>()
let metering = false
const emit = http.Server.prototype.emit
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (metering && event === 'request') {
    const [request, response] = args as [http.IncomingMessage, http.ServerResponse]
    const start = process.cpuUsage()
    const began = performance.now()
    const address = this.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const key = `${port} ${request.method} ${(request.url ?? '').split('?')[0]}`
    response.once('finish', () => {
      const spent = process.cpuUsage(start)
      const route = routes.get(key) ?? { count: 0, micros: 0, wallMs: 0 }
      route.count++
      route.wallMs += performance.now() - began
      route.micros += spent.user + spent.system
      routes.set(key, route)
    })
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>)
} as typeof http.Server.prototype.emit

const [idp, sp] = await Promise.all([
  createCredential({ commonName: 'ssoproof bench IdP' }),
  createCredential({ commonName: 'ssoproof bench SP' }),
])
const flows = await loopbackFlows({ idp, sp }, values.visitor === 'general' ? 'general' : 'lean')
const cpu = { ssoproof: 0, peer: 0 }
const wall = { ssoproof: 0, peer: 0 }
try {
  for (let i = 0; i < 50; i++) {
    await flows.ssoproof()
    await flows.peer()
  }
  metering = true
  for (let round = 0; round < rounds; round++) {
    const order =
      round % 2 === 0 ? (['ssoproof', 'peer'] as const) : (['peer', 'ssoproof'] as const)
    for (const side of order) {
      const start = process.cpuUsage()
      const began = performance.now()
      for (let i = 0; i < signIns / rounds; i++) await flows[side]()
      wall[side] += performance.now() - began
      const spent = process.cpuUsage(start)
      cpu[side] += (spent.user + spent.system) / 1000
    }
  }
  const fixed = (n: number) => n.toFixed(2)
  console.log(
    `CPU per sign-in (process): ssoproof ${fixed(cpu.ssoproof / signIns)} ms, peer ${fixed(cpu.peer / signIns)} ms, ratio ${fixed(cpu.peer / cpu.ssoproof)}`,
  )
  console.log(
    `wall time per sign-in: ssoproof ${fixed(wall.ssoproof / signIns)} ms, peer ${fixed(wall.peer / signIns)} ms, ratio ${fixed(wall.peer / wall.ssoproof)}`,
  )
  const names = new Map([
    [new URL(flows.idpUrl).port, 'IdP'],
    [new URL(flows.spUrl).port, 'SP'],
    [new URL(flows.peerSpUrl).port, 'SP (peer)'],
    [new URL(flows.peerUrl).port, 'oauth2-mock-server'],
  ])
  for (const [key, { count, micros, wallMs }] of [...routes].sort(
    (a, b) => b[1].micros - a[1].micros,
  )) {
    const [port = '', method, path] = key.split(' ')
    console.log(
      `  ${names.get(port) ?? port} ${method} ${path}: ${fixed(micros / 1000 / count)} ms × ${count} (${fixed(micros / 1000 / signIns)} ms per sign-in; wall ${fixed(wallMs / count)} ms)`,
    )
  }
} finally {
  await flows.close()
}
