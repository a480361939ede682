import { open, readFile, stat, unlink } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { SsoError } from '../errors/index.ts'

export interface FileLockOptions {
  /** How long to wait for a lock that a running process holds (default 60 s). */
  waitMs?: number
  /** How often to look again while waiting (default 25 ms). */
  pollMs?: number
}

/**
 * Runs `work` while holding `lockFile`: created exclusively and holding this process's id, removed
 * afterwards. Another process (or another call in this one) waits for it; a lock left behind by
 * a process that no longer runs (killed with -9) is taken over.
 */
export async function withFileLock<T>(
  lockFile: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  await acquire(lockFile, options.waitMs ?? 60_000, options.pollMs ?? 25)
  try {
    return await work()
  } finally {
    await unlink(lockFile).catch(() => {})
  }
}

async function acquire(lockFile: string, waitMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await holderOf(lockFile)
    if (holder === undefined ? await olderThan(lockFile, 5000) : !isRunning(holder)) {
      await unlink(lockFile).catch(() => {})
      continue
    }
    if (Date.now() >= deadline) {
      throw new SsoError(
        'CONFIG_INVALID',
        'CredentialLock',
        'Another process is still creating this key pair; if none is running, delete the lock file.',
        { file: lockFile, pid: holder ?? null },
      )
    }
    await sleep(pollMs)
  }
}

/** The process id in the lock; undefined while its holder has not written it yet. */
async function holderOf(lockFile: string): Promise<number | undefined> {
  const text = await readFile(lockFile, 'utf8').catch(() => '')
  const pid = Number.parseInt(text, 10)
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

/** A lock still empty after this long was left by a process killed right after creating it. */
async function olderThan(lockFile: string, ms: number): Promise<boolean> {
  const stats = await stat(lockFile).catch(() => undefined)
  return stats !== undefined && Date.now() - stats.mtimeMs > ms
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
