import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { systemClock } from '../../core/clock/index.ts'
import type { SupervisedProcess } from './supervisor.ts'

export interface WaitOptions {
  timeoutMs?: number
  /** Stop waiting, with its log, when this process exits first. */
  process?: SupervisedProcess
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
export async function waitForPort(port: number, options: WaitOptions = {}): Promise<void> {
  await poll(`port ${port}`, options, () => canConnect(port))
}

/** Resolves once `check` resolves true; polls every 100 ms. */
export async function poll(
  what: string,
  options: WaitOptions,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = systemClock.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    if (options.process?.hasExited()) {
      throw new Error(
        `${options.process.name} exited while waiting for ${what}:\n${tail(options.process.logFile)}`,
      )
    }
    if (await check()) return
    if (systemClock.now() > deadline) {
      const log = options.process ? `:\n${tail(options.process.logFile)}` : ''
      throw new Error(`timed out waiting for ${what}${log}`)
    }
    await new Promise((done) => setTimeout(done, 100))
  }
}

/** The last `lines` lines of a log file, or a note that there is none. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return `(no log at ${file})`
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      done(true)
    })
    socket.once('error', () => done(false))
  })
}
