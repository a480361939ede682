import { once } from 'node:events'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { describe, expect, it } from 'vitest'
import { responseText } from './response-text.ts'

describe('responseText', () => {
  it('reads a plain Response by consuming it', async () => {
    const response = new Response('<p>plain</p>')
    expect(await responseText(response)).toEqual({ text: '<p>plain</p>', consumed: true })
    expect(response.bodyUsed).toBe(true)
  })

  it("reads a server's light answer without consuming it, and a streamed one by consuming it", async () => {
    const seen: unknown[] = []
    // Inside a server's handler Response is @hono/node-server's light Response.
    const server = serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async () => {
        const light = new Response('<p>light</p>', { headers: { 'content-type': 'text/html' } })
        seen.push(await responseText(light))
        const stream = new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('<p>streamed</p>'))
              controller.close()
            },
          }),
        )
        seen.push(await responseText(stream))
        return light
      },
    }) as Server
    try {
      await once(server, 'listening')
      const address = server.address()
      if (!address || typeof address === 'string') throw new Error('no port')
      const answer = await fetch(`http://127.0.0.1:${address.port}/`)
      expect(await answer.text()).toBe('<p>light</p>')
      expect(seen).toEqual([
        { text: '<p>light</p>', consumed: false },
        { text: '<p>streamed</p>', consumed: true },
      ])
    } finally {
      server.close()
    }
  })
})
