import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** The repository root, where tsx finds tsconfig.json (JSX settings) for a child. */
const root = fileURLToPath(new URL('../../', import.meta.url))

/** A Node process of the bench's own with an IPC channel. */
export interface BenchChild<Message> {
  process: ChildProcess
  /** The next message of this type (rejects if the process exits first). */
  next<T extends Message extends { type: infer U } ? U : never>(
    type: T,
  ): Promise<Extract<Message, { type: T }>>
  send(request: unknown): void
  /** Asks it to close (sends `{type: 'close'}`) and waits for it to exit; kills it after 5 s. */
  stop(): Promise<void>
}

/**
 * Starts `script` in a child Node with `execArgv` (e.g. `--import tsx`), quietly. With
 * BENCH_CPU_PROF_DIR set, the child writes a CPU profile there (`node --cpu-prof`) when it exits.
 */
export function startChild<Message extends { type: string }>(
  script: string,
  args: string[],
  execArgv: string[],
): BenchChild<Message> {
  const profileDir = process.env.BENCH_CPU_PROF_DIR
  const child = fork(script, args, {
    cwd: root,
    execArgv: profileDir ? [...execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000)
  })
  const exited = once(child, 'exit')
  return {
    process: child,
    next(type) {
      return new Promise((resolve, reject) => {
        const onMessage = (message: Message) => {
          if (message.type !== type) return
          child.off('message', onMessage)
          resolve(message as never)
        }
        child.on('message', onMessage)
        exited.then(([code]) => {
          child.off('message', onMessage)
          reject(new Error(`${script} exited (${String(code)}) before "${type}": ${stderr.trim()}`))
        })
      })
    },
    send(request) {
      child.send(request as never)
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      if (child.connected) child.send({ type: 'close' })
      await exited
      clearTimeout(timer)
    },
  }
}
