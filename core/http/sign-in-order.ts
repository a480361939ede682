/**
 * What a request's answer does with the visitor, as the server that gets it sees it:
 * - `landing`: the page a finished sign-in lands on (the sign-in is over);
 * - `onward`: it sends the visitor on to the other party (the SP's /login to the IdP, the IdP's
 *   login form's answer back to the SP);
 * - `here`: it keeps the visitor at this server (the SP's ACS and callbacks, which check what the
 *   IdP sent and then show the SP's own page; the IdP's SSO and authorization endpoints, which
 *   show its login form).
 * Requests that are no step of a sign-in (metadata, back-channel calls, admin) have none.
 */
export type SignInStep = 'here' | 'onward' | 'landing'

/** The step of a request, from its method and path (no query); undefined: no step. */
export type StepOf = (method: string, path: string) => SignInStep | undefined

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>

/**
 * How long a request may wait behind others before it goes first whatever came after it, ms:
 * under a load that never lets up, no step waits for ever.
 */
export const maxStepWaitMs = 1_000

/** Served first: landing, then onward, then here. */
const laneOf: Record<SignInStep, number> = { here: 0, onward: 1, landing: 2 }

interface Job {
  readonly since: number
  readonly run: () => void
}

/** First in, first out, without shifting the array on each take. */
class Lane {
  private jobs: (Job | undefined)[] = []
  private head = 0

  get size(): number {
    return this.jobs.length - this.head
  }

  oldest(): Job | undefined {
    return this.jobs[this.head]
  }

  add(job: Job): void {
    this.jobs.push(job)
  }

  take(): Job | undefined {
    const job = this.jobs[this.head]
    this.jobs[this.head++] = undefined
    if (this.head === this.jobs.length) {
      this.jobs.length = 0
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.jobs.length) {
      this.jobs = this.jobs.slice(this.head)
      this.head = 0
    }
    return job
  }
}

/**
 * The order one thread starts the sign-in requests it has read: one per turn of its event loop
 * (after the turn has read what arrived), landing first, then onward, then here; first come first
 * served within a step; a request that waited `maxWaitMs` goes first, `here` before `onward`.
 *
 * Why: under load, a server that serves each request as it comes moves visitors through a sign-in
 * in convoys — a batch of visitors answered together arrives together at the next hop and waits
 * there behind itself, while the other server of the sign-in runs out of work. Figure 7 of the
 * bench (50 visitors, SP and IdP on a thread each) showed all 50 at the SP for tens of ms, then 30
 * of them at the IdP at once: sign-ins taking 1.8× the mean at p99. Sending visitors on first keeps
 * both servers supplied, and the visitors a server keeps wait in one queue, in the order they came
 * (at the SP, the busier server, in front of its ACS): the time a sign-in takes is then mostly
 * that one wait, much the same for everyone. The mean does not move (as many visitors, as much
 * work).
 */
export class StepQueue {
  private readonly lanes = [new Lane(), new Lane(), new Lane()]
  private waiting = 0
  private scheduled = false

  constructor(
    private readonly maxWaitMs = maxStepWaitMs,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Requests read but not started. */
  get size(): number {
    return this.waiting
  }

  /** Runs `run` in its turn; what it returns or throws is the promise's. */
  enqueue<T>(step: SignInStep, run: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      ;(this.lanes[laneOf[step]] as Lane).add({
        since: this.now(),
        run: () => {
          try {
            resolve(run())
          } catch (error) {
            reject(error)
          }
        },
      })
      this.waiting++
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // The check phase: after the turn's poll has read every request that arrived meanwhile.
    setImmediate(this.next)
  }

  private readonly next = (): void => {
    this.scheduled = false
    const job = this.pick()?.take()
    if (!job) return
    this.waiting--
    if (this.waiting > 0) this.schedule()
    job.run()
  }

  private pick(): Lane | undefined {
    const lanes = this.lanes
    const overdue = this.now() - this.maxWaitMs
    for (const lane of lanes) {
      const oldest = lane.oldest()
      if (oldest && oldest.since <= overdue) return lane
    }
    for (let i = lanes.length - 1; i >= 0; i--) {
      const lane = lanes[i] as Lane
      if (lane.size > 0) return lane
    }
    return undefined
  }
}

/** The thread's own queue: with `serve --threads 1`, the IdP's and the SP's requests share it. */
const threadQueue = new StepQueue()

/**
 * `fetch` with the sign-in requests it gets started in this thread's StepQueue order; the rest
 * (no step) at once, as they come. A request whose browser has gone by its turn (its connection
 * closed: the request's signal aborted, as @hono/node-server sets it) is not started: no one is
 * left to read the answer, and under a load that makes browsers give up, serving them would only
 * keep those still waiting waiting longer. What it would have done is not done (an ACS that is
 * not run signs no one in and consumes nothing), as when the request never arrived.
 */
export function inSignInOrder(fetch: Fetch, stepOf: StepOf, queue = threadQueue): Fetch {
  return (request, env) => {
    const { method, path } = requestLine(request, env)
    const step = stepOf(method, path)
    if (step === undefined) return fetch(request, env)
    return queue.enqueue(step, () => (request.signal.aborted ? browserGone() : fetch(request, env)))
  }
}

/**
 * The answer to a request whose browser went away while it waited: never read, it only ends the
 * exchange. 499, nginx's "client closed request", as such logs name it.
 */
function browserGone(): Response {
  return new Response(null, { status: 499 })
}

/** Method and path as the request line has them (Node's request when the server gave it). */
function requestLine(request: Request, env: unknown): { method: string; path: string } {
  const incoming = (env as { incoming?: { method?: string; url?: string } } | undefined)?.incoming
  const target = incoming?.url ?? new URL(request.url).pathname
  const query = target.indexOf('?')
  return {
    method: incoming?.method ?? request.method,
    path: query < 0 ? target : target.slice(0, query),
  }
}
