import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../core/clock/index.ts'
import { TraceRecorder } from '../engine/trace.ts'
import { AttackBrowser } from './browser.ts'
import { createHostPolicy } from './hosts.ts'

const open: Array<() => void> = []
afterEach(() => {
  for (const close of open.splice(0)) close()
})

describe('the attack browser', () => {
  it('sends a POST once more when the server closed the connection without answering', async () => {
    const seen: string[] = []
    const server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => {
        body += chunk
      })
      request.on('end', () => {
        seen.push(body)
        // The first delivery meets a connection closed under it, as a stale keep-alive does.
        if (seen.length === 1) {
          request.socket.destroy()
          return
        }
        response.writeHead(200, { 'content-type': 'text/plain' })
        response.end(`signed in with ${body}`)
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    open.push(() => server.close())
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acs`
    const browser = new AttackBrowser({
      idpOrigin: 'http://idp.test',
      idp: () => new Response('idp'),
      hosts: createHostPolicy([]),
      timeoutMs: 60_000,
      trace: new TraceRecorder(systemClock, {}),
    })
    const visit = await browser.visit(url, { SAMLResponse: 'x' })
    expect(visit.problem).toBeUndefined()
    expect(visit.final?.text).toBe('signed in with SAMLResponse=x')
    expect(seen).toEqual(['SAMLResponse=x', 'SAMLResponse=x'])
  }, 120_000)
})
