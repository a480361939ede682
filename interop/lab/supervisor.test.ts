import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { reapStaleProcesses, Supervisor } from './supervisor.ts'

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'interop-supervisor-'))
  for (const sub of ['logs', 'pids']) mkdirSync(join(dir, sub))
  return dir
}

/** Running (a zombie waiting for a parent that does not reap it has ended). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return false
  }
}

describe('the lab supervisor', () => {
  it('logs a peer, keeps its pid file, and ends its whole process group, children too', async () => {
    const dir = runDir()
    const supervisor = new Supervisor(dir)
    // A parent that starts a child and ignores SIGTERM, as a stubborn daemon would.
    const peer = supervisor.spawn({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', `trap '' TERM; echo started; sleep 60 & echo child $!; wait`, dir],
    })
    await new Promise((done) => setTimeout(done, 300))
    const child = Number(/child (\d+)/.exec(readFileSync(peer.logFile, 'utf8'))?.[1])
    expect(readFileSync(join(dir, 'pids', 'stubborn.pid'), 'utf8').trim()).toBe(String(peer.pid))
    expect(alive(child)).toBe(true)
    await supervisor.stopAll(300)
    await peer.exited
    expect(peer.hasExited()).toBe(true)
    await new Promise((done) => setTimeout(done, 100))
    expect(alive(child)).toBe(false)
    expect(existsSync(join(dir, 'pids', 'stubborn.pid'))).toBe(false)
  })

  it('ends what a killed run left behind, but only processes started from its run folder', async () => {
    const dir = runDir()
    const leftover = new Supervisor(dir).spawn({
      name: 'left',
      command: 'sleep',
      args: ['60', dir],
    })
    // A pid file naming a process of someone else (this test runner) must not kill it.
    writeFileSync(join(dir, 'pids', 'other.pid'), `${process.pid}\n`)
    reapStaleProcesses(dir, () => {})
    await leftover.exited
    expect(alive(leftover.pid)).toBe(false)
    expect(alive(process.pid)).toBe(true)
    expect(existsSync(join(dir, 'pids', 'other.pid'))).toBe(false)
  })
})
