import { type ChildProcess, spawn } from 'node:child_process'
import { openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ProcessSpec {
  /** Names the pid file and the log file. */
  name: string
  command: string
  args: string[]
  env?: Record<string, string>
  cwd?: string
}

export interface SupervisedProcess {
  name: string
  pid: number
  logFile: string
  /** Settles when the process exits, with its exit code (null after a signal). */
  exited: Promise<number | null>
  /** Whether it has exited already. */
  hasExited(): boolean
}

/**
 * Starts every peer process in a process group of its own, with its output in
 * `<runDir>/logs/<name>.log` and its pid in `<runDir>/pids/<name>.pid`, and ends them all —
 * when asked, on Ctrl-C, and on the way out of a crashed run. A run killed outright leaves its pid
 * files behind; the next run ends what they name before it starts anything.
 */
export class Supervisor {
  private readonly running: { child: ChildProcess; spec: ProcessSpec }[] = []

  constructor(private readonly runDir: string) {}

  spawn(spec: ProcessSpec): SupervisedProcess {
    const logFile = join(this.runDir, 'logs', `${spec.name}.log`)
    const out = openSync(logFile, 'a')
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd ?? this.runDir,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', out, out],
    })
    if (child.pid === undefined) throw new Error(`cannot start ${spec.command} for ${spec.name}`)
    writeFileSync(join(this.runDir, 'pids', `${spec.name}.pid`), `${child.pid}\n`)
    this.running.push({ child, spec })
    let code: number | null | undefined
    const exited = new Promise<number | null>((done) =>
      child.once('exit', (exitCode) => {
        code = exitCode
        done(exitCode)
      }),
    )
    return { name: spec.name, pid: child.pid, logFile, exited, hasExited: () => code !== undefined }
  }

  /** Ends every process group, newest first: SIGTERM, then SIGKILL after `graceMs`. */
  async stopAll(graceMs = 5_000): Promise<void> {
    const all = this.running.splice(0).reverse()
    for (const { child, spec } of all) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.forget(spec.name)
        continue
      }
      signalGroup(child.pid, 'SIGTERM')
      const ended = await Promise.race([
        new Promise<boolean>((done) => child.once('exit', () => done(true))),
        new Promise<boolean>((done) => setTimeout(() => done(false), graceMs).unref()),
      ])
      if (!ended) signalGroup(child.pid, 'SIGKILL')
      // Children that outlive their group leader (apache workers) get the same end.
      signalGroup(child.pid, 'SIGKILL')
      this.forget(spec.name)
    }
  }

  /** For `process.on('exit')`: no waiting possible, so SIGKILL at once. */
  killAllNow(): void {
    for (const { child } of this.running.splice(0)) signalGroup(child.pid, 'SIGKILL')
  }

  private forget(name: string): void {
    rmSync(join(this.runDir, 'pids', `${name}.pid`), { force: true })
  }
}

/** Ends what an earlier run that was killed outright left running, as its pid files say. */
export function reapStaleProcesses(runDir: string, log: (line: string) => void): void {
  const pidDir = join(runDir, 'pids')
  let files: string[]
  try {
    files = readdirSync(pidDir)
  } catch {
    return
  }
  for (const file of files) {
    const path = join(pidDir, file)
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    // A recycled pid belongs to someone else: only end processes started from this run folder.
    if (Number.isInteger(pid) && pid > 1 && commandLineOf(pid).includes(runDir)) {
      log(`interop: ending ${file.replace(/\.pid$/, '')} (pid ${pid}) left by an earlier run`)
      signalGroup(pid, 'SIGKILL')
    }
    rmSync(path, { force: true })
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}
