import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { type BenchChild, startChild } from '../../scripts/bench/child.ts'
import type { ServeChildMessage } from '../../scripts/bench/serve-child-messages.ts'
import { apiSession, signIn } from '../fixtures/visitor.ts'

/**
 * `serve` processes over one --data folder, hence one sp.sqlite and one idp.sqlite (issue 22): concurrent sign-ins
 * through both must all succeed (read-then-write transactions take the write lock first, and a
 * writer waits for the other's lock), and a process killed with SIGKILL mid-load must leave the
 * file clean and every sign-in it had answered still there after a restart.
 */
const serveChild = fileURLToPath(new URL('../../scripts/bench/serve-child.mjs', import.meta.url))
const children: Array<BenchChild<ServeChildMessage>> = []
const folders: string[] = []

afterEach(async () => {
  for (const child of children.splice(0)) await child.stop()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

async function startServe(dataDir: string) {
  const child = startChild<ServeChildMessage>(serveChild, [dataDir], ['--import', 'tsx'])
  children.push(child)
  return { child, ...(await child.next('ready')) }
}

function dataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ssoproof-shared-db-'))
  folders.push(folder)
  return folder
}

const users = ['alice', 'bob', 'dave']

/** One new browser signing in as `user` at `spUrl`: whether it ended signed in, and how. */
async function visit(spUrl: string, user: string) {
  const agent = new UserAgent()
  try {
    const page = await signIn(agent, user, { base: spUrl })
    const code = page.document.querySelector('#error-code')?.text
    return {
      agent,
      ok: page.document.querySelector('#user-name') !== null,
      status: page.status,
      code,
    }
  } catch (error) {
    return { agent, ok: false, status: 0, code: (error as Error).message }
  }
}

describe('two processes on one SP database', () => {
  it('signs visitors in concurrently through both with no error', async () => {
    const dataDir = dataFolder()
    const first = await startServe(dataDir)
    const second = await startServe(dataDir)
    const outcomes: Array<{ ok: boolean; status: number; code?: string }> = []
    // Each server's IdP is another issuer (its port is in its entity ID), so one person signing
    // in through both would be two accounts with one email: each server gets people of its own.
    const people = [['alice', 'bob'], ['dave']]
    const visitor = async (index: number) => {
      for (let round = 0; round < 6; round++) {
        const server = (index + round) % 2
        const spUrl = server === 0 ? first.spUrl : second.spUrl
        const { ok, status, code } = await visit(
          spUrl,
          people[server]?.[index % (people[server]?.length ?? 1)] as string,
        )
        outcomes.push({ ok, status, ...(code === undefined ? {} : { code }) })
      }
    }
    await Promise.all(Array.from({ length: 16 }, (_, index) => visitor(index)))
    expect(outcomes).toHaveLength(96)
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([])
  })

  it('after SIGKILL mid-load the file opens clean and every answered sign-in is still there', async () => {
    const dataDir = dataFolder()
    const serve = await startServe(dataDir)
    const answered: UserAgent[] = []
    let killed = false
    const visitor = async (index: number) => {
      while (!killed) {
        // A sign-in the kill cut short ends not signed in, and is not counted.
        const outcome = await visit(serve.spUrl, users[index % users.length] as string)
        if (outcome.ok && !killed) answered.push(outcome.agent)
      }
    }
    const load = Promise.all(Array.from({ length: 8 }, (_, index) => visitor(index)))
    while (answered.length < 20) {
      if (serve.child.process.exitCode !== null) throw new Error('serve exited before the kill')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    serve.child.process.kill('SIGKILL')
    killed = true
    await load
    for (const file of ['sp.sqlite', 'idp.sqlite']) {
      const db = new Database(join(dataDir, file))
      expect(db.pragma('integrity_check', { simple: true }), file).toBe('ok')
      db.close()
    }

    const again = await startServe(dataDir)
    // Cookies are not bound to a port (RFC 6265 8.5): each browser comes back to the new one.
    const sessions = await Promise.all(answered.map((agent) => apiSession(agent, again.spUrl)))
    expect(sessions.filter((session) => !session.signedIn)).toEqual([])
    expect(sessions.length).toBeGreaterThanOrEqual(20)
  })
})
