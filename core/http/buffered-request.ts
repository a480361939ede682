/**
 * A request whose body was read whole (read-body.ts): every body read — arrayBuffer, text,
 * json, blob, formData, body, clone — is answered from those bytes. Built without a body, it
 * costs no WHATWG body stream, which a Request made with the bytes builds at once and each
 * reader reads back (about 0.1–0.2 ms per POST, the lazily loaded routes reading it again).
 * Reads can be repeated: the bytes stay in memory for the request's life.
 *
 * Its URL, method and headers are the original request's, and its `signal` is the original's
 * own (it aborts when the client goes): a Request made to follow a signal costs several times
 * the rest of its construction (≈60 µs of ≈80, Node 20). Only a Request made from this one by
 * `new Request(buffered)` would not follow it; `clone()` does.
 */
export class BufferedRequest extends Request {
  readonly #bytes: Buffer
  /** A plain urlencoded form's entries, parsed on the first formData(). */
  #form: [string, string][] | undefined

  constructor(original: Request, bytes: Buffer) {
    super(original.url, { method: original.method, headers: original.headers })
    this.#bytes = bytes
    // `body` and `signal` are accessors of Request's prototype: shadowed here.
    Object.defineProperty(this, 'body', { get: () => new Blob([bytes]).stream() })
    Object.defineProperty(this, 'signal', { get: () => original.signal })
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

  /**
   * A plain `application/x-www-form-urlencoded` form is parsed as Fetch's formData() parses it
   * (the bytes UTF-8 decoded, a byte order mark kept, then URLSearchParams), once, without a Response
   * made for it (several times the parse itself); each call gets a FormData of its own. Any
   * other Content-Type goes through Fetch.
   */
  override formData = (): Promise<FormData> => {
    const type = this.headers.get('content-type') ?? ''
    if (!plainFormType.test(type)) {
      return new Response(this.#bytes, { headers: { 'content-type': type } }).formData()
    }
    this.#form ??= [...new URLSearchParams(this.#bytes.toString('utf8'))]
    const form = new FormData()
    for (const [name, value] of this.#form) form.append(name, value)
    return Promise.resolve(form)
  }

  override clone = (): BufferedRequest => new BufferedRequest(this, this.#bytes)
}

const plainFormType = /^application\/x-www-form-urlencoded\s*(?:;\s*charset="?utf-8"?\s*)?$/i

const utf8 = new TextDecoder()
