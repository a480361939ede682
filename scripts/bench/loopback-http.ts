import { connect, type Socket } from 'node:net'

/** An HTTP/1.1 answer read whole: the headers a visitor acts on, and the body as text. */
export interface LoopbackAnswer {
  status: number
  /** The Location header (the first, as a browser takes it), if any. */
  location: string | undefined
  /** Each Set-Cookie header's value, in order. */
  setCookies: string[]
  body: string
}

/** A kept-alive connection that was gone when a request was sent on it. */
export class StaleConnection extends Error {
  constructor() {
    super('a kept-alive connection was closed by the server as it was reused')
  }
}

/**
 * The visitors' HTTP/1.1 connections over plain-HTTP loopback, kept alive and shared as a
 * browser shares its own: a request takes an idle connection to its host and port, or opens
 * one; one request at a time on each; a connection the server says it closes (`Connection:
 * close`), or closes, is dropped. What it sends and reads is what `http.request` with a
 * keep-alive Agent sent and read (Host, `Connection: keep-alive`, the caller's headers; status,
 * headers, a body by Content-Length, chunked or until the close), without Node's general client
 * around it — its request objects, streams and agent bookkeeping cost the bench process more CPU
 * than the visitor's own work, CPU the server it measures shares on a two-core machine.
 */
export class LoopbackConnections {
  private readonly idle = new Map<string, Connection[]>()
  private readonly open = new Set<Connection>()

  /**
   * One exchange. `fresh`: on a new connection, not an idle one (a request sent again after a
   * stale one). Rejects with StaleConnection when a kept-alive connection was closed before any
   * of the answer came, with another error for anything else.
   */
  request(
    url: URL,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: string | undefined,
    fresh = false,
  ): Promise<LoopbackAnswer> {
    if (url.protocol !== 'http:')
      throw new Error(`the loopback visitor speaks plain HTTP, not ${url.protocol}`)
    let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n`
    for (const name in headers) {
      const value = headers[name] as string
      if (unsafeHeaderValue.test(value)) throw new Error(`header ${name} holds a line break or NUL`)
      head += `${name}: ${value}\r\n`
    }
    if (body !== undefined) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`
    const key = url.host
    const connection = (fresh ? undefined : this.idle.get(key)?.pop()) ?? this.connect(url, key)
    return connection.exchange(`${head}\r\n${body ?? ''}`)
  }

  /** Closes every connection, idle or not. */
  destroy(): void {
    for (const connection of this.open) connection.socket.destroy()
    this.open.clear()
    this.idle.clear()
  }

  private connect(url: URL, key: string): Connection {
    // Read into one buffer for all connections (`onread`): each read is handled whole before the
    // next one, into any connection, can land in it, and no Readable stream stands between.
    const socket = connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port || 80),
      noDelay: true,
      onread: {
        buffer: readBuffer,
        // true: go on reading (false would pause the socket).
        callback: (length: number) => {
          connection.onData(readBuffer.subarray(0, length))
          return true
        },
      },
    })
    const connection: Connection = new Connection(socket, {
      idle: () => {
        const list = this.idle.get(key)
        if (list) list.push(connection)
        else this.idle.set(key, [connection])
      },
      gone: () => {
        this.open.delete(connection)
        const list = this.idle.get(key)
        const at = list?.indexOf(connection) ?? -1
        if (list && at >= 0) list.splice(at, 1)
      },
    })
    this.open.add(connection)
    return connection
  }
}

const unsafeHeaderValue = /[\r\n\0]/
/** Where every connection's reads land (see `connect`): what is kept of one is copied out. */
const readBuffer = Buffer.allocUnsafe(64 * 1024)
const noBytes = Buffer.alloc(0)
const crlf2 = Buffer.from('\r\n\r\n')

interface Pending {
  resolve(answer: LoopbackAnswer): void
  reject(error: Error): void
}

/** One connection: one exchange at a time, its answer parsed as it arrives. */
class Connection {
  private used = 0
  private pending: Pending | undefined
  /** What came of the current answer so far. */
  private received: Buffer = noBytes
  private answer: { status: number; location?: string; setCookies: string[] } | undefined
  private framing: { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' } = {
    kind: 'close',
  }
  private bodyStart = 0
  private closing = false
  private gone = false

  constructor(
    readonly socket: Socket,
    private readonly pool: { idle(): void; gone(): void },
  ) {
    // Reads come through `onData` (the socket's `onread`, see `connect`).
    socket.on('error', (error) => this.onClose(error))
    socket.on('close', () => this.onClose(undefined))
  }

  exchange(message: string): Promise<LoopbackAnswer> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.received = noBytes
      this.answer = undefined
      this.socket.write(message)
    })
  }

  /**
   * Bytes read, in the shared read buffer: only valid during this call. An answer that came whole
   * is read from there; the part of one still coming is copied out to wait for the rest.
   */
  onData(chunk: Buffer): void {
    if (!this.pending) {
      // Bytes nobody asked for: the connection is out of step.
      this.socket.destroy()
      return
    }
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk])
    try {
      if (this.answer || this.readHead()) {
        const body = this.readBody(false)
        if (body !== undefined) {
          this.finish(body)
          return
        }
      }
      if (this.received === chunk) this.received = Buffer.from(chunk)
    } catch (error) {
      this.fail(error as Error)
    }
  }

  /** Reads the status line and headers once they are all there; false while they are not. */
  private readHead(): boolean {
    const end = this.received.indexOf(crlf2)
    if (end < 0) {
      if (this.received.length > 64 * 1024) throw new Error('an answer head over 64 KiB')
      return false
    }
    const lines = this.received.toString('latin1', 0, end).split('\r\n')
    const statusLine = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '')
    if (!statusLine) throw new Error(`not an HTTP/1.x answer: ${(lines[0] ?? '').slice(0, 40)}`)
    const status = Number(statusLine[1])
    const setCookies: string[] = []
    let location: string | undefined
    let length: string | undefined
    let chunked = false
    let close = lines[0]?.startsWith('HTTP/1.0') ?? false
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string
      const colon = line.indexOf(':')
      if (colon <= 0) throw new Error('a malformed header line in the answer')
      const name = line.slice(0, colon).toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'set-cookie') setCookies.push(value)
      else if (name === 'location') location ??= value
      else if (name === 'content-length') {
        if (length !== undefined && length !== value) throw new Error('two Content-Lengths')
        length = value
      } else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value)
      else if (name === 'connection') close = /(?:^|,)\s*close\s*(?:,|$)/i.test(value)
    }
    this.closing = close
    this.answer = { status, setCookies, ...(location !== undefined ? { location } : {}) }
    this.bodyStart = end + 4
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      if (status < 200) throw new Error(`an interim answer (HTTP ${status}) was not asked for`)
      this.framing = { kind: 'length', length: 0 }
    } else if (chunked) this.framing = { kind: 'chunked' }
    else if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new Error('a malformed Content-Length')
      this.framing = { kind: 'length', length: Number(length) }
    } else {
      this.framing = { kind: 'close' }
      this.closing = true
    }
    return true
  }

  /** The body once it is whole (`ended`: the server closed the connection), else undefined. */
  private readBody(ended: boolean): Buffer | undefined {
    const framing = this.framing
    const start = this.bodyStart
    if (framing.kind === 'length') {
      const end = start + framing.length
      if (this.received.length < end) return undefined
      if (this.received.length > end) throw new Error('more bytes than the answer holds')
      return this.received.subarray(start, end)
    }
    if (framing.kind === 'close') return ended ? this.received.subarray(start) : undefined
    return dechunk(this.received, start)
  }

  private finish(body: Buffer): void {
    const pending = this.pending as Pending
    const answer = this.answer as NonNullable<Connection['answer']>
    this.pending = undefined
    this.received = noBytes
    this.used++
    if (this.closing) this.socket.destroy()
    else this.pool.idle()
    pending.resolve({
      status: answer.status,
      location: answer.location,
      setCookies: answer.setCookies,
      body: body.toString('utf8'),
    })
  }

  private fail(error: Error): void {
    const pending = this.pending
    this.pending = undefined
    this.socket.destroy()
    pending?.reject(error)
  }

  private onClose(error: Error | undefined): void {
    if (!this.gone) {
      this.gone = true
      this.pool.gone()
    }
    if (!this.pending) return
    if (this.answer && this.framing.kind === 'close' && error === undefined) {
      const body = this.readBody(true)
      if (body) {
        this.finish(body)
        return
      }
    }
    // A kept-alive connection the server closed as it was taken up: nothing of the answer came.
    if (this.used > 0 && this.received.length === 0) this.fail(new StaleConnection())
    else
      this.fail(error ?? new Error('the server closed the connection before its answer was whole'))
  }
}

/**
 * A chunked body (RFC 9112 §7.1) from `start` once its last chunk and trailers came; undefined
 * while they have not. Chunk extensions and trailers are read past.
 */
function dechunk(bytes: Buffer, start: number): Buffer | undefined {
  const parts: Buffer[] = []
  let at = start
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at, 'latin1')
    if (lineEnd < 0) return undefined
    const sizeText = bytes.toString('latin1', at, lineEnd).split(';')[0]?.trim() ?? ''
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error('a malformed chunk size')
    const size = Number.parseInt(sizeText, 16)
    at = lineEnd + 2
    if (size === 0) {
      // Trailers, if any, up to an empty line.
      for (;;) {
        const end = bytes.indexOf('\r\n', at, 'latin1')
        if (end < 0) return undefined
        if (end === at) {
          if (end + 2 !== bytes.length) throw new Error('more bytes than the answer holds')
          return parts.length === 1 ? parts[0] : Buffer.concat(parts)
        }
        at = end + 2
      }
    }
    if (bytes.length < at + size + 2) return undefined
    parts.push(bytes.subarray(at, at + size))
    at += size
    if (bytes[at] !== 13 || bytes[at + 1] !== 10) throw new Error('a chunk without its CRLF')
    at += 2
  }
}
