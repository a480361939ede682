import { once } from 'node:events'
import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInProcessPair, idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createIdp } from '../create-idp.tsx'

const timeoutMs = 400
const servers: Array<Server | TcpServer> = []
const urls: Record<string, string> = {}

async function listen(server: Server | TcpServer): Promise<string> {
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  const keys = await testCredentials()
  const metadataSource = createIdp({ baseUrl: 'http://127.0.0.1:7300', credential: keys.sp })
  const http = createHttpServer((request, response) => {
    if (request.url === '/not-metadata') return response.end('<html>a web page</html>')
    if (request.url === '/idp-metadata') return response.end(metadataSource.metadata())
    if (request.url === '/to-link-local') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' })
      return response.end()
    }
    response.writeHead(404)
    response.end('no')
  })
  const base = await listen(http)
  urls.notFound = `${base}/missing`
  urls.notMetadata = `${base}/not-metadata`
  urls.idpMetadataNotSp = `${base}/idp-metadata`
  urls.redirectToLinkLocal = `${base}/to-link-local`
  // A port that accepts and never answers, one that hangs up at once, one where nothing listens.
  urls.silent = await listen(createTcpServer(() => {}))
  urls.hangUp = await listen(createTcpServer((socket) => socket.destroy()))
  const closed = createTcpServer()
  urls.closed = await listen(closed)
  closed.close()
  servers.pop()
})

afterAll(() => {
  for (const server of servers) server.close()
})

async function register(metadataUrl: string, fetchTimeoutMs = timeoutMs) {
  const keys = await testCredentials()
  const log: string[] = []
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    log: (line) => log.push(line),
    metadataFetchTimeoutMs: fetchTimeoutMs,
  })
  const started = performance.now()
  const response = await idp.app.request('/admin/service-providers', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metadataUrl }),
  })
  return {
    status: response.status,
    body: await response.text(),
    elapsedMs: performance.now() - started,
    registered: idp.serviceProviders.list().length,
    log,
  }
}

describe('POST /admin/service-providers {metadataUrl}: no port scanning through the IdP', () => {
  it('answers closed, silent, hung-up, 404, non-metadata and redirected URLs alike, after the timeout', async () => {
    const answers = await Promise.all(
      [
        'closed',
        'silent',
        'hangUp',
        'notFound',
        'notMetadata',
        'idpMetadataNotSp',
        'redirectToLinkLocal',
      ].map(async (name) => ({ name, ...(await register(urls[name] as string)) })),
    )
    for (const answer of answers) {
      expect(answer.status, answer.name).toBe(400)
      // The same answer but for the URL the caller sent: no status, cause or timing told apart.
      expect(answer.body.replace(urls[answer.name] as string, 'URL'), answer.name).toBe(
        JSON.stringify({
          error: {
            code: 'METADATA_FETCH_FAILED',
            check: 'metadataUrl',
            reason: 'the metadata URL gave no SAML SP metadata',
            evidence: { metadataUrl: 'URL' },
            hint: JSON.parse(answers[0]?.body ?? '{}').error.hint,
          },
        }),
      )
      // Never sooner than the timeout, whatever failed first (an upper bound would need an idle machine).
      expect(answer.elapsedMs, answer.name).toBeGreaterThanOrEqual(timeoutMs - 5)
      expect(answer.registered, answer.name).toBe(0)
      // The operator still learns why, from the log.
      expect(answer.log.join('\n'), answer.name).toMatch(/no SP metadata from metadataUrl \(.+\)/)
    }
  })

  it('refuses link-local and private hosts at once, before any connection', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[fd00::1]/',
    ]) {
      const answer = await register(url)
      expect(answer.status, url).toBe(403)
      expect(JSON.parse(answer.body).error.code, url).toBe('OUTBOUND_HOST_NOT_ALLOWED')
      expect(answer.registered).toBe(0)
    }
  })

  it('registers the SP from metadata on loopback', async () => {
    const { sp } = await createInProcessPair()
    const base = await listen(createHttpServer((_request, response) => response.end(sp.metadata())))
    // A real answer on a loaded machine may take longer than the refusals' short timeout.
    const answer = await register(`${base}/metadata`, 30_000)
    expect(answer.status, answer.body).toBe(201)
    expect(answer.registered).toBe(1)
  })
})
