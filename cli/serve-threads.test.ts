import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SsoError } from '../core/errors/index.ts'
import { UserAgent } from '../harness/http-driver/user-agent.ts'
import { apiSession, signIn } from '../tests/fixtures/visitor.ts'
import { type RunningServe, startServe } from './serve.ts'
import { takeEarlyIdpKeyPair } from './serve-keys.ts'
import { fromThreadError, toThreadError } from './serve-sp-thread-messages.ts'
import { runCli } from './test-support.ts'

// `serve` on two threads (serve-sp-thread.ts): the IdP on the caller's, the SP on its own.

const running: RunningServe[] = []
const folders: string[] = []

const processes: ChildProcess[] = []

afterEach(async () => {
  // A test that timed out leaves its process behind: ended here, not by its own `finally`.
  for (const child of processes.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  for (const serve of running.splice(0)) await serve.close()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function folder(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'ssoproof-serve-threads-'))
  folders.push(made)
  return made
}

async function start(threads: 1 | 2, log: (line: string) => void = () => {}) {
  const serve = await startServe({
    idpPort: 0,
    spPort: 0,
    host: '127.0.0.1',
    dataDir: await folder(),
    threads,
    log,
  })
  running.push(serve)
  return serve
}

/** serve on two threads, its log lines collected, and alice signed in at its SP. */
async function aliceSignedInOnTwoThreads() {
  const lines: string[] = []
  const serve = await start(2, (line) => lines.push(line))
  const browser = new UserAgent()
  await signIn(browser, 'alice', { base: serve.spUrl })
  return { serve, lines, browser }
}

/**
 * Fetches `url` from another process while this thread is held (spawnSync blocks it): the
 * status, or undefined when nothing answered within `timeoutMs`.
 */
function statusWhileThisThreadIsBusy(url: string, timeoutMs: number): number | undefined {
  const result = spawnSync(
    process.execPath,
    [
      '-e',
      'fetch(process.argv[1]).then((r) => process.stdout.write(String(r.status)), () => process.stdout.write("refused"))',
      url,
    ],
    { encoding: 'utf8', timeout: timeoutMs },
  )
  return /^\d+$/.test(result.stdout) ? Number(result.stdout) : undefined
}

describe('serve on two threads', () => {
  it('the SP answers while the IdP’s thread is busy; with one thread it waits for it', {
    timeout: 90_000,
  }, async () => {
    const two = await start(2)
    expect(statusWhileThisThreadIsBusy(`${two.spUrl}/saml/metadata`, 30_000)).toBe(200)
    const one = await start(1)
    expect(statusWhileThisThreadIsBusy(`${one.spUrl}/saml/metadata`, 3_000)).toBeUndefined()
    // Once this thread is free again, the one-thread SP answers too.
    expect((await fetch(`${one.spUrl}/saml/metadata`)).status).toBe(200)
  })

  it('signs a visitor in across the two threads, the SP’s log lines reaching `log`', {
    timeout: 60_000,
  }, async () => {
    const { serve, lines, browser } = await aliceSignedInOnTwoThreads()
    expect(await apiSession(browser, serve.spUrl)).toMatchObject({
      signedIn: true,
      subject: { nameId: 'alice', issuer: `${serve.idpUrl}/saml/metadata` },
    })
    // The IdP (this thread) registered the SP its thread made: the admin API lists it.
    const { serviceProviders } = (await (
      await fetch(`${serve.idpUrl}/admin/service-providers`)
    ).json()) as { serviceProviders: Array<{ entityId: string }> }
    expect(serviceProviders.map((sp) => sp.entityId)).toContain(`${serve.spUrl}/saml/metadata`)
    // The SP thread sends its lines in batches (at most 50 ms old), in the order logged.
    const sent = `SP AuthnRequest sent to ${serve.idpUrl}/saml/metadata`
    const accepted = () => lines.findIndex((line) => line.startsWith('SP sign-in accepted'))
    await vi.waitFor(() => expect(accepted()).toBeGreaterThanOrEqual(0), { timeout: 10_000 })
    expect(lines.indexOf(sent)).toBeGreaterThanOrEqual(0)
    expect(accepted()).toBeGreaterThan(lines.indexOf(sent))
  })

  it('close() delivers the SP thread’s last log lines before it resolves', {
    timeout: 60_000,
  }, async () => {
    const { serve, lines } = await aliceSignedInOnTwoThreads()
    await serve.close()
    expect(lines.filter((line) => line.startsWith('SP sign-in accepted'))).toHaveLength(1)
  })

  it('one thread (threads: 1) signs a visitor in as well', { timeout: 60_000 }, async () => {
    const serve = await start(1)
    const browser = new UserAgent()
    await signIn(browser, 'bob', { base: serve.spUrl })
    expect(await apiSession(browser, serve.spUrl)).toMatchObject({ signedIn: true })
  })

  it('close() stops both servers and closes both databases', { timeout: 60_000 }, async () => {
    const serve = await start(2)
    const dataDir = folders.at(-1) as string
    const browser = new UserAgent()
    await signIn(browser, 'carol', { base: serve.spUrl })
    // While open, each database in WAL mode keeps its -wal file; closing the last connection
    // checkpoints and removes it.
    expect(existsSync(join(dataDir, 'sp.sqlite-wal'))).toBe(true)
    expect(existsSync(join(dataDir, 'idp.sqlite-wal'))).toBe(true)
    await serve.close()
    running.splice(0)
    expect(existsSync(join(dataDir, 'sp.sqlite-wal'))).toBe(false)
    expect(existsSync(join(dataDir, 'idp.sqlite-wal'))).toBe(false)
    await expect(fetch(`${serve.spUrl}/saml/metadata`)).rejects.toThrow()
    await expect(fetch(`${serve.idpUrl}/saml/metadata`)).rejects.toThrow()
  })

  it('an SP port in use is the usage error it always was, and the IdP’s port is let go', {
    timeout: 60_000,
  }, async () => {
    const taken = createServer()
    taken.listen(25120, '127.0.0.1')
    await once(taken, 'listening')
    try {
      const dataDir = await folder()
      await expect(
        startServe({
          idpPort: 25121,
          spPort: 25120,
          host: '127.0.0.1',
          dataDir,
          threads: 2,
          log: () => {},
        }),
      ).rejects.toThrow('port 25120 (sp) is already in use; choose another with --sp-port')
      expect(existsSync(join(dataDir, 'sp.sqlite'))).toBe(false)
      const again = createServer()
      again.listen(25121, '127.0.0.1')
      await once(again, 'listening')
      again.close()
    } finally {
      taken.close()
    }
  })

  it('--threads takes 1 or 2', async () => {
    const dataDir = await folder()
    const result = await runCli(['serve', '--threads', '3', '--data', dataDir])
    takeEarlyIdpKeyPair() // the first start's key it began, of no use now
    expect([result.code, result.stderr]).toEqual([
      2,
      'ssoproof serve: --threads must be 1 or 2, got "3"\nRun "ssoproof serve --help" for the options.\n',
    ])
  })
})

describe('errors across the threads', () => {
  it('an SsoError stays one (code, check, reason, evidence); a system error keeps its code', () => {
    const sso = fromThreadError(
      toThreadError(new SsoError('CONFIG_INVALID', 'campaigns', 'bad', { path: 'campaigns.1' })),
    )
    expect(sso).toBeInstanceOf(SsoError)
    expect(sso).toMatchObject({
      code: 'CONFIG_INVALID',
      check: 'campaigns',
      reason: 'bad',
      evidence: { path: 'campaigns.1' },
      message: 'CONFIG_INVALID: bad',
    })
    const system = fromThreadError(
      toThreadError(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })),
    )
    expect([system.message, (system as NodeJS.ErrnoException).code]).toEqual([
      'listen EADDRINUSE',
      'EADDRINUSE',
    ])
  })
})

// bin/ssoproof.js in a process of its own (tsx from the checkout): seconds on a busy machine.
describe('ssoproof serve, the process', () => {
  const bin = fileURLToPath(new URL('../bin/ssoproof.js', import.meta.url))

  function serveProcess(args: string[], preload?: string) {
    const child = spawn(
      process.execPath,
      [...(preload ? ['--import', preload] : []), bin, 'serve', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    processes.push(child)
    const output = { stdout: '', stderr: '' }
    child.stdout.on('data', (chunk: Buffer) => {
      output.stdout += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString('utf8')
    })
    const ready = async () => {
      for (let tries = 0; tries < 1200 && !output.stdout.includes('Press Ctrl-C'); tries++) {
        if (child.exitCode !== null) throw new Error(`serve exited: ${output.stderr}`)
        await new Promise((done) => setTimeout(done, 100))
      }
    }
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    return { child, output, ready, exited }
  }

  it('stops cleanly on SIGTERM, both threads', { timeout: 180_000 }, async () => {
    const dataDir = await folder()
    const serve = serveProcess(['--data', dataDir, '--idp-port', '25122', '--sp-port', '25123'])
    try {
      await serve.ready()
      expect((await fetch('http://127.0.0.1:25123/saml/metadata')).status).toBe(200)
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toEqual([0, null])
      expect(serve.output.stdout).toContain('ssoproof serve: stopped\n')
      expect(existsSync(join(dataDir, 'sp.sqlite-wal'))).toBe(false)
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL')
    }
  })

  it('fails loudly when the SP’s thread crashes: exit 1 with the error, no hang', {
    timeout: 180_000,
  }, async () => {
    const dataDir = await folder()
    const trigger = join(dataDir, 'crash-now')
    // A preload runs in every thread of the process; in the SP's (its workerData names the port)
    // it throws, outside any handler, once the test says so.
    const preload = join(dataDir, 'crash-sp-thread.mjs')
    await writeFile(
      preload,
      `import { existsSync } from 'node:fs'
import { workerData } from 'node:worker_threads'
if (workerData?.port === 25125) {
  const timer = setInterval(() => {
    if (!existsSync(${JSON.stringify(trigger)})) return
    clearInterval(timer)
    throw new Error('the SP thread crashed on purpose')
  }, 50)
  timer.unref()
}
`,
    )
    const serve = serveProcess(
      ['--data', dataDir, '--idp-port', '25124', '--sp-port', '25125'],
      preload,
    )
    try {
      await serve.ready()
      expect((await fetch('http://127.0.0.1:25125/saml/metadata')).status).toBe(200)
      await writeFile(trigger, '')
      const [code] = await serve.exited
      expect(code).toBe(1)
      expect(serve.output.stderr).toContain(
        "ssoproof serve: the SP's thread failed: the SP thread crashed on purpose",
      )
      await expect(fetch('http://127.0.0.1:25124/saml/metadata')).rejects.toThrow()
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL')
    }
  })
})
