import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import {
  type FromSpThread,
  fromThreadError,
  type SpAttach,
  type SpThreadData,
  type ToSpThread,
} from './serve-sp-thread-messages.ts'

type Attached = Extract<FromSpThread, { type: 'attached' }>

/** `serve`'s reference SP on a thread of its own (serve-sp-thread-worker.ts), seen from the IdP's. */
export interface SpThread {
  /** The port the SP listens on; rejects with the listener's error (EADDRINUSE, …). */
  listening: Promise<number>
  /** Makes and wires the SP; resolves with the registrations for the IdP and its campaigns. */
  attach(input: SpAttach): Promise<Attached>
  /** The IdP registered the SP: the SP answers once this resolves. */
  go(): Promise<void>
  /** Stops the SP's server, closes its database and ends the thread. */
  close(): Promise<void>
}

/**
 * The SP thread's young generation, MB. The thread is a V8 heap of its own, whose young
 * generation V8 grows to its default maximum under load: serve's RSS (figure 6) was 181–182 MB
 * after warm-up with it, 166–167 at 16 MB, 156–157 at 8 MB (one thread: 124). At 8 MB the SP's
 * thread scavenged twice as often as at 16 (559 against 275 in 2,000 sign-ins under 50
 * visitors) for twice the scavenge time; at 16 that time was no more than at the default.
 */
const spYoungGenerationMb = 16

/** How long `close` waits for the thread to stop its server before ending it anyway. */
const closeTimeoutMs = 10_000

/**
 * Starts the SP's thread, listening at `data`. Its log lines go to `log`. An error of the thread
 * (an exception nothing caught, or its end) rejects the step under way; once the SP answers
 * (`go`), it goes to `onFailure` instead: the SP no longer answers, and serve must not go on
 * as if it did.
 */
export function startSpThread(
  data: SpThreadData,
  handlers: { log: (line: string) => void; onFailure: (error: Error) => void },
): SpThread {
  // From a checkout the thread registers tsx first (the .mjs); compiled, it is plain JS.
  const url = new URL(
    import.meta.url.endsWith('.ts')
      ? './serve-sp-thread-worker.mjs'
      : './serve-sp-thread-worker.js',
    import.meta.url,
  )
  const worker = new Worker(url, {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: spYoungGenerationMb },
  })
  let waiter:
    | {
        type: FromSpThread['type']
        resolve(message: FromSpThread): void
        reject(error: Error): void
      }
    | undefined
  let ended: Error | undefined
  let running = false
  let closing = false
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  let closedMessage: () => void = () => {}
  const closedReply = new Promise<void>((resolve) => (closedMessage = resolve))

  const fail = (error: Error) => {
    if (closing) return
    ended ??= error
    const current = waiter
    waiter = undefined
    if (current) current.reject(error)
    else if (running) {
      running = false
      handlers.onFailure(error)
    }
  }
  const next = <T extends FromSpThread['type']>(type: T) =>
    ended
      ? Promise.reject(ended)
      : new Promise<Extract<FromSpThread, { type: T }>>((resolve, reject) => {
          waiter = { type, resolve: resolve as (message: FromSpThread) => void, reject }
        })

  worker.on('message', (message: FromSpThread) => {
    if (message.type === 'log') {
      for (const line of message.lines) handlers.log(line)
    } else if (message.type === 'closed') {
      closedMessage()
    } else if (message.type === 'failed') {
      fail(fromThreadError(message.error))
    } else if (waiter?.type === message.type) {
      const current = waiter
      waiter = undefined
      current.resolve(message)
    }
  })
  worker.on('error', (error) => fail(error))
  worker.on('exit', (code) => fail(new Error(`the SP's thread stopped (exit code ${code})`)))
  const send = (message: ToSpThread) => worker.postMessage(message)

  const listening = next('listening').then((message) => message.port)
  listening.catch(() => {}) // awaited by serve; a failure is thrown there
  return {
    listening,
    attach: (input) => {
      const attached = next('attached')
      send({ type: 'attach', attach: input })
      return attached
    },
    go: async () => {
      const live = next('live')
      send({ type: 'go' })
      await live
      running = true
    },
    close: async () => {
      if (closing) return exited
      closing = true
      send({ type: 'close' })
      await Promise.race([closedReply, exited, sleep(closeTimeoutMs, undefined, { ref: false })])
      await worker.terminate()
    },
  }
}
