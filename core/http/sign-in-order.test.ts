import type { AddressInfo, Server } from 'node:net'
import { connect } from 'node:net'
import { serve } from '@hono/node-server'
import { describe, expect, it } from 'vitest'
import { inSignInOrder, type SignInStep, StepQueue } from './sign-in-order.ts'

/** Requests `step` for each path; `/other/*` has no step. */
const stepOf = (_method: string, path: string): SignInStep | undefined =>
  path.startsWith('/other') ? undefined : (path.split('/')[1] as SignInStep)

function recordingServer(queue: StepQueue) {
  const started: string[] = []
  const fetch = inSignInOrder(
    (request) => {
      started.push(new URL(request.url).pathname)
      return new Response('ok')
    },
    stepOf,
    queue,
  )
  const get = (path: string, signal?: AbortSignal) =>
    fetch(new Request(`http://sp.example${path}`, { signal }), undefined)
  return { started, get, fetch }
}

describe('sign-in order: landing, onward, here', () => {
  it('starts the requests read in one turn landing, onward, here, in arrival order within a step', async () => {
    const { started, get } = recordingServer(new StepQueue())
    const answers = [
      get('/here/1'),
      get('/onward/1'),
      get('/here/2'),
      get('/landing/1'),
      get('/onward/2'),
      get('/landing/2'),
    ]
    expect(started).toEqual([])
    await Promise.all(answers)
    expect(started).toEqual([
      '/landing/1',
      '/landing/2',
      '/onward/1',
      '/onward/2',
      '/here/1',
      '/here/2',
    ])
  })

  it('serves a request that is no step at once, before those waiting', async () => {
    const { started, get } = recordingServer(new StepQueue())
    const waiting = get('/here/1')
    const other = await get('/other/metadata')
    expect(await other.text()).toBe('ok')
    expect(started).toEqual(['/other/metadata'])
    await waiting
    expect(started).toEqual(['/other/metadata', '/here/1'])
  })

  it('starts one request per turn: a landing read in that turn goes before what still waits', async () => {
    const queue = new StepQueue()
    const started: string[] = []
    const run = (name: string) => () => {
      started.push(name)
      return name
    }
    const first = queue.enqueue('here', run('here 1'))
    const second = queue.enqueue('here', run('here 2'))
    // Read by the server in the turn that starts "here 1" (after it, as the queue's turn came first).
    const landing = new Promise<string>((done) =>
      setImmediate(() => done(queue.enqueue('landing', run('landing')))),
    )
    expect(await Promise.all([first, second, landing])).toEqual(['here 1', 'here 2', 'landing'])
    expect(started).toEqual(['here 1', 'landing', 'here 2'])
    expect(queue.size).toBe(0)
  })

  it('lets a request that waited the longest allowed go first, whatever came after it', async () => {
    for (const [waitedMs, expected] of [
      [999, ['onward', 'here']],
      [1_000, ['here', 'onward']],
    ] as const) {
      let now = 0
      const queue = new StepQueue(1_000, () => now)
      const started: string[] = []
      const here = queue.enqueue('here', () => started.push('here'))
      now = waitedMs
      const onward = queue.enqueue('onward', () => started.push('onward'))
      await Promise.all([here, onward])
      expect(started, `after ${waitedMs} ms`).toEqual(expected)
    }
  })

  it('passes on what a request throws and goes on with the next', async () => {
    const queue = new StepQueue()
    const failing = queue.enqueue('landing', () => {
      throw new Error('handler failed')
    })
    const next = queue.enqueue('here', () => 'served')
    await expect(failing).rejects.toThrow('handler failed')
    expect(await next).toBe('served')
  })

  it("reads method and path (no query) from Node's request line when the server gives it", async () => {
    const seen: string[] = []
    const fetch = inSignInOrder(
      () => new Response('ok'),
      (method, path) => {
        seen.push(`${method} ${path}`)
        return undefined
      },
      new StepQueue(),
    )
    await fetch(new Request('http://sp.example/ignored'), {
      incoming: { method: 'POST', url: '/saml/acs?x=1' },
    })
    await fetch(new Request('http://sp.example/login?return_url=%2F'), undefined)
    expect(seen).toEqual(['POST /saml/acs', 'GET /login'])
  })

  it('keeps its order over many requests', async () => {
    const { started, get } = recordingServer(new StepQueue())
    const all: (Response | Promise<Response>)[] = []
    for (let i = 0; i < 3_000; i++) all.push(get(`/${['here', 'onward', 'landing'][i % 3]}/${i}`))
    await Promise.all(all)
    const steps = started.map((path) => path.split('/')[1])
    expect(steps.indexOf('onward')).toBe(1_000)
    expect(steps.indexOf('here')).toBe(2_000)
    const numbers = started.map((path) => Number(path.split('/')[2]))
    for (const lane of [numbers.slice(0, 1_000), numbers.slice(1_000, 2_000), numbers.slice(2_000)])
      expect(lane).toEqual([...lane].sort((a, b) => a - b))
  })

  it('does not start a request whose browser went away while it waited, and serves the rest', async () => {
    const { started, get } = recordingServer(new StepQueue())
    const leaving = new AbortController()
    const first = get('/here/1')
    const gone = get('/here/2', leaving.signal)
    const last = get('/here/3')
    leaving.abort()
    const answers = await Promise.all([first, gone, last])
    expect(answers.map((answer) => answer.status)).toEqual([200, 499, 200])
    expect(started).toEqual(['/here/1', '/here/3'])
  })

  it('over a real socket: a request whose connection closed before its turn is never started', async () => {
    // A queue whose turns the test gives: each request waits until the test starts it.
    class HeldQueue extends StepQueue {
      readonly held: Array<() => void> = []
      override enqueue<T>(_step: SignInStep, run: () => T | Promise<T>): Promise<T> {
        return new Promise<T>((resolve, reject) =>
          this.held.push(() => {
            try {
              resolve(run())
            } catch (error) {
              reject(error)
            }
          }),
        )
      }
    }
    const queue = new HeldQueue()
    const { started, fetch } = recordingServer(queue)
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }) as Server
    await new Promise((ready) => server.once('listening', ready))
    const { port } = server.address() as AddressInfo
    const closedAtServer: Promise<void>[] = []
    server.on('connection', (socket) => {
      closedAtServer.push(new Promise((done) => socket.once('close', () => done())))
    })
    const request = async (path: string) => {
      const socket = connect(port, '127.0.0.1')
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)
      let answer = ''
      socket.on('data', (chunk) => {
        answer += chunk
      })
      const waiting = queue.held.length
      while (queue.held.length === waiting) await new Promise((turn) => setImmediate(turn))
      return { socket, answered: () => answer, run: queue.held[waiting] as () => void }
    }
    try {
      const leaving = await request('/here/leaving')
      const staying = await request('/here/staying')
      leaving.socket.destroy()
      await closedAtServer[0]
      leaving.run()
      staying.run()
      while (!staying.answered().includes('ok')) await new Promise((turn) => setTimeout(turn, 5))
      expect(staying.answered()).toMatch(/^HTTP\/1\.1 200 /)
      expect(started).toEqual(['/here/staying'])
      staying.socket.destroy()
    } finally {
      await new Promise((done) => server.close(() => done(null)))
    }
  })
})
