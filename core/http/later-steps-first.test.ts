import { describe, expect, it } from 'vitest'
import { laterStepsFirst, type SignInStep, StepQueue } from './later-steps-first.ts'

/** Requests `step` for each path; `/other/*` has no step. */
const stepOf = (_method: string, path: string): SignInStep | undefined =>
  path.startsWith('/other') ? undefined : (path.split('/')[1] as SignInStep)

function recordingServer(queue: StepQueue) {
  const started: string[] = []
  const fetch = laterStepsFirst(
    (request) => {
      started.push(new URL(request.url).pathname)
      return new Response('ok')
    },
    stepOf,
    queue,
  )
  const get = (path: string) => fetch(new Request(`http://sp.example${path}`), undefined)
  return { started, get }
}

describe('later steps of a sign-in first', () => {
  it('starts the requests read in one turn latest step first, in arrival order within a step', async () => {
    const { started, get } = recordingServer(new StepQueue())
    const answers = [
      get('/start/1'),
      get('/answer/1'),
      get('/start/2'),
      get('/landing/1'),
      get('/answer/2'),
      get('/landing/2'),
    ]
    expect(started).toEqual([])
    await Promise.all(answers)
    expect(started).toEqual([
      '/landing/1',
      '/landing/2',
      '/answer/1',
      '/answer/2',
      '/start/1',
      '/start/2',
    ])
  })

  it('serves a request that is no step at once, before those waiting', async () => {
    const { started, get } = recordingServer(new StepQueue())
    const waiting = get('/start/1')
    const other = await get('/other/metadata')
    expect(await other.text()).toBe('ok')
    expect(started).toEqual(['/other/metadata'])
    await waiting
    expect(started).toEqual(['/other/metadata', '/start/1'])
  })

  it('starts one request per turn: a later step read in that turn goes before earlier ones still waiting', async () => {
    const queue = new StepQueue()
    const started: string[] = []
    const run = (name: string) => () => {
      started.push(name)
      return name
    }
    const first = queue.enqueue('start', run('start 1'))
    const second = queue.enqueue('start', run('start 2'))
    // Read by the server in the turn that starts "start 1" (after it, as the queue's turn came first).
    const landing = new Promise<string>((done) =>
      setImmediate(() => done(queue.enqueue('landing', run('landing')))),
    )
    expect(await Promise.all([first, second, landing])).toEqual(['start 1', 'start 2', 'landing'])
    expect(started).toEqual(['start 1', 'landing', 'start 2'])
    expect(queue.size).toBe(0)
  })

  it('lets a request that waited the longest allowed go first, whatever came after it', async () => {
    for (const [waitedMs, expected] of [
      [999, ['answer', 'start']],
      [1_000, ['start', 'answer']],
    ] as const) {
      let now = 0
      const queue = new StepQueue(1_000, () => now)
      const started: string[] = []
      const start = queue.enqueue('start', () => started.push('start'))
      now = waitedMs
      const answer = queue.enqueue('answer', () => started.push('answer'))
      await Promise.all([start, answer])
      expect(started, `after ${waitedMs} ms`).toEqual(expected)
    }
  })

  it('passes on what a request throws and goes on with the next', async () => {
    const queue = new StepQueue()
    const failing = queue.enqueue('landing', () => {
      throw new Error('handler failed')
    })
    const next = queue.enqueue('start', () => 'served')
    await expect(failing).rejects.toThrow('handler failed')
    expect(await next).toBe('served')
  })

  it("reads method and path (no query) from Node's request line when the server gives it", async () => {
    const seen: string[] = []
    const fetch = laterStepsFirst(
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
    for (let i = 0; i < 3_000; i++) all.push(get(`/${['start', 'answer', 'landing'][i % 3]}/${i}`))
    await Promise.all(all)
    const steps = started.map((path) => path.split('/')[1])
    expect(steps.indexOf('answer')).toBe(1_000)
    expect(steps.indexOf('start')).toBe(2_000)
    const numbers = started.map((path) => Number(path.split('/')[2]))
    for (const lane of [numbers.slice(0, 1_000), numbers.slice(1_000, 2_000), numbers.slice(2_000)])
      expect(lane).toEqual([...lane].sort((a, b) => a - b))
  })
})
