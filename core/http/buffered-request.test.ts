import { describe, expect, it } from 'vitest'
import { bufferedRequest } from './buffered-request.ts'

const url = 'http://127.0.0.1:28750/login'

/** The same request both ways: made with its body (Fetch's own reads), and buffered. */
function both(type: string, body: Buffer) {
  const headers = new Headers({ 'content-type': type })
  const signal = new AbortController().signal
  return {
    fetch: () => new Request(url, { method: 'POST', headers, body, signal }),
    buffered: bufferedRequest(new Request(url, { method: 'POST', headers, signal }), body),
  }
}

describe('bufferedRequest', () => {
  it('reads as a Request made with the same bytes does: text (byte order mark dropped), bytes, JSON, blob, stream', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"user":"zoë"}')])
    const { fetch, buffered } = both('application/json', body)
    expect(await buffered.text()).toBe(await fetch().text())
    expect(Buffer.from(await buffered.arrayBuffer())).toEqual(
      Buffer.from(await fetch().arrayBuffer()),
    )
    const plain = both('application/json', Buffer.from('{"user":"zoë"}'))
    expect(await plain.buffered.json()).toEqual(await plain.fetch().json())
    const blob = await buffered.blob()
    expect(blob.type).toBe('application/json')
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(body)
    expect(Buffer.from(await new Response(buffered.body).arrayBuffer())).toEqual(body)
    expect(buffered.method).toBe('POST')
    expect(buffered.url).toBe(url)
    expect(buffered).toBeInstanceOf(Request)
  })

  it('parses a form as Fetch does, repeatably, and clones with its bytes', async () => {
    const body = Buffer.from('a=1&b=%2Fx+y&a=2&empty=&caf%C3%A9=%E2%9C%93')
    const { fetch, buffered } = both('application/x-www-form-urlencoded', body)
    const expected = [...(await fetch().formData()).entries()]
    expect([...(await buffered.formData()).entries()]).toEqual(expected)
    expect([...(await buffered.formData()).entries()]).toEqual(expected)
    expect(await buffered.clone().text()).toBe(body.toString())
    expect(await buffered.text()).toBe(body.toString())
  })

  it('parses a urlencoded form as Fetch does, byte order mark, leading ? and bad escapes included', async () => {
    const body = Buffer.from('\ufeff?x=%ZZ&y=%E2%82&=&&z')
    const { fetch, buffered } = both('Application/X-WWW-Form-Urlencoded; charset="UTF-8"', body)
    const expected = [...(await fetch().formData()).entries()]
    expect([...(await buffered.formData()).entries()]).toEqual(expected)
  })

  it('gives each formData() call a FormData of its own', async () => {
    const { buffered } = both('application/x-www-form-urlencoded', Buffer.from('a=1'))
    const first = await buffered.formData()
    first.set('a', 'changed')
    expect((await buffered.formData()).get('a')).toBe('1')
  })

  it("has the original request's signal, and so has its clone: aborted when the client goes", () => {
    const client = new AbortController()
    const original = new Request(url, { method: 'POST', signal: client.signal })
    const buffered = bufferedRequest(original, Buffer.from('a=1'))
    const clone = buffered.clone()
    expect(buffered.signal.aborted).toBe(false)
    client.abort(new Error('client gone'))
    expect(buffered.signal.aborted).toBe(true)
    expect(clone.signal.aborted).toBe(true)
    expect(buffered.signal.reason).toEqual(new Error('client gone'))
  })

  it('refuses a body that is not a form as Fetch does', async () => {
    const { buffered } = both('text/plain', Buffer.from('a=1'))
    await expect(buffered.formData()).rejects.toThrow(TypeError)
  })

  it("is made without a copy of the original's headers, and answers what it seldom is asked as Fetch does", async () => {
    const original = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: 'a=1' },
    })
    const buffered = bufferedRequest(original, Buffer.from('x'))
    // The original's own Headers: not filled again for each buffered request.
    expect(buffered.headers).toBe(original.headers)
    expect(buffered.headers.get('cookie')).toBe('a=1')
    const made = new Request(url, { method: 'POST', body: 'x' })
    for (const name of [
      'mode',
      'cache',
      'credentials',
      'redirect',
      'referrer',
      'keepalive',
    ] as const)
      expect(buffered[name]).toEqual(made[name])
    expect(buffered.bodyUsed).toBe(false)
    expect(await buffered.text()).toBe('x')
    expect(buffered.bodyUsed).toBe(false)
    expect(Object.prototype.toString.call(buffered)).toBe('[object Request]')
  })
})
