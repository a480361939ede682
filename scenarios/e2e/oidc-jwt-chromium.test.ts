import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPair, type PairOptions } from '../../cli/pair.ts'
import { launchChromium } from '../browser/launch.ts'
import { testCredentials } from '../fixtures/in-process.ts'

/** The built-in IdP and SP for one protocol on loopback ports, as a person would reach them. */
async function startPair(protocol: NonNullable<PairOptions['protocol']>) {
  const keys = await testCredentials()
  const apps: { idp?: (request: Request) => Response | Promise<Response>; sp?: typeof apps.idp } =
    {}
  const listen = async (what: 'idp' | 'sp') => {
    const server = serve({
      fetch: (request) => apps[what]?.(request) ?? new Response('starting', { status: 503 }),
      port: 0,
      hostname: '127.0.0.1',
    }) as Server
    await once(server, 'listening')
    return server
  }
  const servers = [await listen('idp'), await listen('sp')]
  const [idpUrl, spUrl] = servers.map(
    (server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  )
  const { idp, sp } = createPair({
    idpBaseUrl: idpUrl ?? '',
    spBaseUrl: spUrl ?? '',
    idpCredential: keys.idp,
    spCredential: keys.sp,
    protocol,
    log: () => {},
  })
  apps.idp = (request) => idp.app.fetch(request)
  apps.sp = (request) => sp.app.fetch(request)
  const close = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      ),
    )
  return { idpUrl: idpUrl ?? '', spUrl: spUrl ?? '', close }
}

describe('JWT and OpenID Connect sign-in in real Chromium, through the IdP login page', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it.each(['jwt', 'oidc'] as const)(
    '%s: a person clicks Sign in, logs in at the IdP, lands back signed in, and signs out',
    async (protocol) => {
      const running = await startPair(protocol)
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(`${running.spUrl}/`)
        await page.click('#sign-in')
        await page.waitForURL(
          protocol === 'jwt'
            ? `${running.idpUrl}/jwt/login?**`
            : `${running.idpUrl}/oidc/authorize?**`,
        )
        await page.fill('#username', 'carol')
        await page.fill('#password', 'carol-secret')
        await page.click('#login-form button[value=login]')
        await page.waitForURL(`${running.spUrl}/`)
        await expect(page.locator('#user-name').textContent()).resolves.toBe('Carol Chen')
        await expect(page.locator('#external-id').textContent()).resolves.toBe('carol')
        await expect(page.locator('#attributes').textContent()).resolves.toContain('moderator')

        // Signing out goes through the IdP (sign-off URL / end_session) and back, signed out.
        await page.click('text=Sign out')
        await page.waitForURL(`${running.spUrl}/`)
        await expect(page.locator('#status').textContent()).resolves.toContain('not signed in')
        await page.click('#sign-in')
        await expect(page.locator('#login-form').count()).resolves.toBe(1)
      } finally {
        await context.close()
        await running.close()
      }
    },
  )
})
