/**
 * A request whose body was read whole (read-body.ts): every body read — arrayBuffer, text,
 * json, blob, formData, body, clone — is answered from those bytes. Built without a body, it
 * costs no WHATWG body stream, which a Request made with the bytes builds at once and each
 * reader reads back (about 0.1–0.2 ms per POST, the lazily loaded routes reading it again).
 * Reads can be repeated: the bytes stay in memory for the request's life.
 */
export class BufferedRequest extends Request {
  readonly #bytes: Buffer

  constructor(
    url: string,
    init: { method: string; headers: Headers; signal: AbortSignal },
    bytes: Buffer,
  ) {
    super(url, init)
    this.#bytes = bytes
    // `body` is an accessor of Request's prototype: shadowed here by a stream of the bytes.
    Object.defineProperty(this, 'body', { get: () => new Blob([bytes]).stream() })
  }

  override arrayBuffer = (): Promise<ArrayBuffer> => {
    const bytes = this.#bytes
    return Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    )
  }

  // Fetch's "UTF-8 decode": a leading byte order mark is dropped, as Request.text() does.
  override text = (): Promise<string> => Promise.resolve(utf8.decode(this.#bytes))

  override json = async (): Promise<unknown> => JSON.parse(await this.text())

  override blob = (): Promise<Blob> =>
    Promise.resolve(new Blob([this.#bytes], { type: this.headers.get('content-type') ?? '' }))

  override formData = (): Promise<FormData> =>
    new Response(this.#bytes, {
      headers: { 'content-type': this.headers.get('content-type') ?? '' },
    }).formData()

  override clone = (): BufferedRequest =>
    new BufferedRequest(
      this.url,
      { method: this.method, headers: this.headers, signal: this.signal },
      this.#bytes,
    )
}

const utf8 = new TextDecoder()
