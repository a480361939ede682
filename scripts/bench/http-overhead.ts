// What a trivial route costs the server in CPU through our HTTP stack (core/http: createApp, the
// request guard, lazily mounted routes, as `serve` serves them) against the same route on a bare
// node:http handler and on plain Hono with @hono/node-server — the part of each of a sign-in's
// five requests that is not the route's own work. The servers run in a process of their own
// (`http-overhead-child.mjs`); one keep-alive client here sends a few requests at a time, the
// servers in turns, several rounds, so that a busy machine hits them alike.
// Usage: npx tsx scripts/bench/http-overhead.ts [--requests 3000] [--rounds 3] [--compiled dist]
//   [--only ours]
import { Agent, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startChild } from './child.ts'

type Message =
  | { type: 'ready'; urls: Record<string, string> }
  | { type: 'usage'; cpuMicros: number }

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    concurrent: { type: 'string', default: '4' },
    compiled: { type: 'string' },
    // One server only (a name as printed), e.g. to profile it alone with BENCH_CPU_PROF_DIR.
    only: { type: 'string' },
  },
})
const requests = Number(values.requests)
const rounds = Number(values.rounds)
const concurrent = Number(values.concurrent)
const childScript = fileURLToPath(new URL('./http-overhead-child.mjs', import.meta.url))
const child = values.compiled
  ? startChild<Message>(childScript, [values.compiled], [])
  : startChild<Message>(childScript, [], ['--import', 'tsx'])

// A SAMLResponse-sized form, as the ACS gets it.
const form = `SAMLResponse=${'PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXM'.repeat(200)}&RelayState=abc`

interface Route {
  name: string
  send(url: URL, agent: Agent): Promise<void>
}

function send(
  url: URL,
  agent: Agent,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | undefined,
  status: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { agent, method, hostname: url.hostname, port: url.port, path: url.pathname, headers },
      (incoming) => {
        incoming.on('data', () => {})
        incoming.on('error', reject)
        incoming.on('end', () => {
          if (incoming.statusCode === status) resolve()
          else reject(new Error(`${method} ${url.pathname}: HTTP ${incoming.statusCode}`))
        })
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

const routes: Route[] = [
  {
    name: 'GET /page',
    send: (url, agent) =>
      send(
        new URL('/page', url),
        agent,
        'GET',
        { 'sec-fetch-site': 'same-origin', cookie: 'session=abc; other=def' },
        undefined,
        200,
      ),
  },
  {
    name: 'POST /acs (10 KB form)',
    send: (url, agent) =>
      send(
        new URL('/acs', url),
        agent,
        'POST',
        {
          'sec-fetch-site': 'cross-site',
          origin: 'null',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(form.length),
        },
        form,
        303,
      ),
  },
]

const cpuMicros = async () => {
  const answer = child.next('usage')
  child.send({ type: 'usage' })
  return (await answer).cpuMicros
}

/** Server CPU µs per request over `count` requests of `route`, `concurrent` at a time. */
async function measure(route: Route, url: URL, agent: Agent, count: number): Promise<number> {
  const before = await cpuMicros()
  let started = 0
  const worker = async () => {
    while (started < count) {
      started++
      await route.send(url, agent)
    }
  }
  await Promise.all(Array.from({ length: concurrent }, worker))
  return ((await cpuMicros()) - before) / count
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrent })
try {
  const { urls } = await child.next('ready')
  const servers = Object.entries(urls)
    .filter(([name]) => values.only === undefined || name === values.only)
    .map(([name, url]) => ({ name, url: new URL(url) }))
  const results = new Map<string, number[]>()
  for (const route of routes) {
    for (const server of servers) await measure(route, server.url, agent, 300)
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse()
    for (const route of routes) {
      for (const server of order) {
        const key = `${route.name}\t${server.name}`
        const list = results.get(key) ?? []
        list.push(await measure(route, server.url, agent, requests))
        results.set(key, list)
      }
    }
  }
  console.log(
    `server CPU µs per request (${rounds} rounds of ${requests}, ${concurrent} at a time)`,
  )
  for (const route of routes) {
    const bare = results.get(`${route.name}\t${servers[0]?.name}`) ?? []
    const bareMedian = median(bare)
    console.log(route.name)
    for (const server of servers) {
      const list = results.get(`${route.name}\t${server.name}`) ?? []
      console.log(
        `  ${server.name.padEnd(20)} ${list.map((n) => n.toFixed(0).padStart(5)).join(' ')}  median ${median(list).toFixed(0)} (${(median(list) / bareMedian).toFixed(2)}× node:http)`,
      )
    }
  }
} finally {
  agent.destroy()
  await child.stop()
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
