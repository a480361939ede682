import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../core/clock/index.ts'
import { TraceRecorder } from '../engine/trace.ts'
import { AttackBrowser } from './browser.ts'
import { createHostPolicy } from './hosts.ts'
import { writeReplayKit } from './replay-kit.ts'

const execFileAsync = promisify(execFile)
const idpOrigin = 'http://idp.test'

/**
 * An SP that starts its own sign-ins and keeps the request's state in a cookie, as
 * SimpleSAMLphp and Shibboleth do: /login sets `state` and sends the browser to the IdP; /acs
 * takes a message only with that cookie, once, then opens a session and shows who it is.
 */
function statefulSp() {
  const delivered: string[] = []
  const app = new Hono()
  let states = 0
  app.get('/login', (c) => {
    states++
    c.header('Set-Cookie', `state=s${states}; Path=/; HttpOnly; SameSite=None`)
    return c.redirect(`${idpOrigin}/sso?request=r${states}`, 302)
  })
  app.post('/acs', async (c) => {
    const form = await c.req.parseBody()
    const state = /(?:^|;\s*)state=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1]
    delivered.push(`${form.SAMLResponse}@${state ?? 'no state'}`)
    if (state === undefined || form.SAMLResponse !== `for-${state.replace('s', 'r')}`) {
      return c.text('state lost', 403)
    }
    c.header('Set-Cookie', 'session=alice; Path=/; HttpOnly')
    return c.redirect('/home', 302)
  })
  app.get('/home', (c) =>
    c.text(/session=alice/.test(c.req.header('cookie') ?? '') ? 'Signed in as alice' : 'nobody'),
  )
  return { app, delivered }
}

/** The IdP, reached in-process: answers the SP's request with a self-posting Response. */
function idpFor(acsUrl: string) {
  return (request: Request) => {
    const id = new URL(request.url).searchParams.get('request') ?? ''
    return new Response(
      `<html><body onload="document.forms[0].submit()"><form method="post" action="${acsUrl}"><input type="hidden" name="SAMLResponse" value="for-${id}"></form></body></html>`,
      { headers: { 'content-type': 'text/html' } },
    )
  }
}

const open: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

async function listen(app: Hono): Promise<string> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  await once(server, 'listening')
  open.push(
    () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('a replay kit made for an SP-initiated sign-in', () => {
  it('holds a fresh message with the state cookie of its request, and replays once into a session', async () => {
    const sp = statefulSp()
    const spUrl = await listen(sp.app)
    const browser = new AttackBrowser({
      idpOrigin,
      idp: idpFor(`${spUrl}/acs`),
      hosts: createHostPolicy([]),
      timeoutMs: 60_000,
      trace: new TraceRecorder(systemClock, { [idpOrigin]: 'idp' }),
    })

    const held = await browser.visit(`${spUrl}/login`, undefined, true)
    // Stopped before the delivery: the SP never saw the message.
    expect(sp.delivered).toEqual([])
    expect(held.final).toBeUndefined()
    expect(held.delivery).toEqual({
      method: 'POST',
      url: `${spUrl}/acs`,
      form: { SAMLResponse: 'for-r1' },
    })
    expect(held.held?.map((cookie) => [cookie.name, cookie.value])).toEqual([['state', 's1']])

    const outDir = mkdtempSync(join(tmpdir(), 'ssoproof-kit-'))
    const kit = await writeReplayKit(
      outDir,
      'forged-case',
      held.delivery ?? { method: 'GET', url: '' },
      {
        cookies: held.held ?? [],
        fresh: true,
      },
    )
    expect(kit.fresh).toBe(true)
    expect(kit.files).toEqual([
      'forged/forged-case.b64',
      'forged/forged-case.xml',
      'forged/forged-case.cookies',
      'forged/forged-case.curl.sh',
    ])
    // The command names the files, never the message or a cookie value.
    expect(kit.command).not.toContain('for-r1')
    expect(kit.command).not.toContain('s1')
    // Asynchronously: the SP answering curl runs in this process.
    const { stdout } = await execFileAsync('sh', [join(outDir, 'forged/forged-case.curl.sh')], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(sp.delivered).toEqual(['for-r1@s1'])
    expect(stdout).toMatch(/^HTTP\/1\.1 302/)
    expect(stdout).toContain('Signed in as alice')
    // The jar now holds the session the SP opened.
    expect(readFileSync(join(outDir, 'forged/forged-case.cookies'), 'utf8')).toMatch(
      /\tsession\talice/,
    )
  }, 180_000)

  it('without the state cookie the same message is refused (what a kit lacked before)', async () => {
    const sp = statefulSp()
    const spUrl = await listen(sp.app)
    const outDir = mkdtempSync(join(tmpdir(), 'ssoproof-kit-'))
    await writeReplayKit(
      outDir,
      'no-state',
      { method: 'POST', url: `${spUrl}/acs`, form: { SAMLResponse: 'for-r1' } },
      { cookies: [], fresh: false },
    )
    const { stdout } = await execFileAsync('sh', [join(outDir, 'forged/no-state.curl.sh')], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(stdout).toMatch(/^HTTP\/1\.1 403/)
    expect(readFileSync(join(outDir, 'forged/no-state.curl.sh'), 'utf8')).toContain(
      'replay cache refuses it again',
    )
  }, 180_000)
})
