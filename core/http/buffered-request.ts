/**
 * A request whose body was read whole (read-body.ts): every body read — arrayBuffer, bytes,
 * text, json, blob, formData, body, clone — is answered from those bytes. Made without Fetch's
 * Request constructor: an object whose prototype chain holds Request.prototype (so it is a
 * Request to `instanceof`) with its own accessors for what the original already has — URL,
 * method, headers (the original's own object, not a copy) and `signal` (the original's: it aborts
 * when the client goes) — and the bytes for the body. A Request made by the constructor costs
 * several times the rest (≈12 µs each, Node 20: a Headers filled from the original's, which on a
 * server first turns @hono/node-server's light headers into a full Headers, an AbortSignal, a URL
 * parsed again), and a body stream each reader reads back. What a handler seldom asks (mode,
 * cache, credentials…) is read from a Request made then, once. Reads can be repeated: the bytes
 * stay in memory for the request's life.
 */
export function bufferedRequest(original: Request, bytes: Buffer): Request {
  const request = Object.create(prototype) as Buffered
  request[originalKey] = original
  request[bytesKey] = bytes
  request[formKey] = undefined
  request[fullKey] = undefined
  return request
}

const originalKey = Symbol('original request')
const bytesKey = Symbol('body bytes')
/** A plain urlencoded form's entries, parsed on the first formData(). */
const formKey = Symbol('form entries')
/** A Request made by Fetch's constructor for the seldom read properties, once asked. */
const fullKey = Symbol('full request')

interface Buffered extends Request {
  [originalKey]: Request
  [bytesKey]: Buffer
  [formKey]: [string, string][] | undefined
  [fullKey]: Request | undefined
}

const get = (read: (request: Buffered) => unknown): PropertyDescriptor => ({
  get(this: Buffered) {
    return read(this)
  },
  configurable: true,
})

const method = (call: (request: Buffered) => unknown): PropertyDescriptor => ({
  value(this: Buffered) {
    return call(this)
  },
  configurable: true,
  writable: true,
})

const full = (request: Buffered): Request => {
  const original = request[originalKey]
  request[fullKey] ??= new Request(original.url, {
    method: original.method,
    headers: original.headers,
  })
  return request[fullKey]
}

const copy = (bytes: Buffer): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

// Fetch's "UTF-8 decode": a leading byte order mark is dropped, as Request.text() does.
const text = (request: Buffered) => utf8.decode(request[bytesKey])

const descriptors: PropertyDescriptorMap = {
  url: get((request) => request[originalKey].url),
  method: get((request) => request[originalKey].method),
  headers: get((request) => request[originalKey].headers),
  signal: get((request) => request[originalKey].signal),
  body: get((request) => new Blob([request[bytesKey]]).stream()),
  bodyUsed: get(() => false),
  arrayBuffer: method((request) => Promise.resolve(copy(request[bytesKey]))),
  bytes: method((request) => Promise.resolve(new Uint8Array(copy(request[bytesKey])))),
  text: method((request) => Promise.resolve(text(request))),
  json: method((request) => Promise.resolve().then(() => JSON.parse(text(request)))),
  blob: method((request) =>
    Promise.resolve(
      new Blob([request[bytesKey]], {
        type: request[originalKey].headers.get('content-type') ?? '',
      }),
    ),
  ),
  /**
   * A plain `application/x-www-form-urlencoded` form is parsed as Fetch's formData() parses it
   * (the bytes UTF-8 decoded, a byte order mark kept, then URLSearchParams), once, without a
   * Response made for it (several times the parse itself); each call gets a FormData of its own.
   * Any other Content-Type goes through Fetch.
   */
  formData: method((request) => {
    const type = request[originalKey].headers.get('content-type') ?? ''
    const bytes = request[bytesKey]
    if (!plainFormType.test(type)) {
      return new Response(bytes, { headers: { 'content-type': type } }).formData()
    }
    request[formKey] ??= [...new URLSearchParams(bytes.toString('utf8'))]
    const form = new FormData()
    for (const [name, value] of request[formKey]) form.append(name, value)
    return Promise.resolve(form)
  }),
  // The clone follows the original's signal too.
  clone: method((request) => bufferedRequest(request[originalKey], request[bytesKey])),
}
// Every other property of Request.prototype that reads the request's state (a brand check that
// this object would fail): from a Request made for it.
for (const [name, descriptor] of Object.entries(
  Object.getOwnPropertyDescriptors(Request.prototype),
)) {
  if (name in descriptors || name === 'constructor') continue
  if (descriptor.get) descriptors[name] = get((request) => Reflect.get(full(request), name))
  else if (typeof descriptor.value === 'function') {
    descriptors[name] = {
      value(this: Buffered, ...args: unknown[]) {
        return (Reflect.get(full(this), name) as (...args: unknown[]) => unknown).apply(
          full(this),
          args,
        )
      },
      configurable: true,
      writable: true,
    }
  }
}

const prototype = Object.create(Request.prototype, descriptors) as Request

const plainFormType = /^application\/x-www-form-urlencoded\s*(?:;\s*charset="?utf-8"?\s*)?$/i

const utf8 = new TextDecoder()
