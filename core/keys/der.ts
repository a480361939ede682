/**
 * The little of DER (X.690) that a self-signed certificate needs, written and read here instead
 * of loading an ASN.1 library at every start: definite lengths, a handful of universal types, an
 * explicit context tag, and a walker over nested SEQUENCEs.
 */

/** One element: tag, definite length (X.690 §8.1.3), contents. */
export function element(tag: number, contents: Buffer): Buffer {
  const length = contents.length
  let header: number[]
  if (length < 0x80) header = [tag, length]
  else {
    const octets: number[] = []
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256)
    header = [tag, 0x80 | octets.length, ...octets]
  }
  return Buffer.concat([Buffer.from(header), contents])
}

export const sequence = (...items: Buffer[]) => element(0x30, Buffer.concat(items))
export const set = (...items: Buffer[]) => element(0x31, Buffer.concat(items))
export const nullValue = () => element(0x05, Buffer.alloc(0))
/** `[n] EXPLICIT` around one element. */
export const explicit = (tagNumber: number, inner: Buffer) => element(0xa0 | tagNumber, inner)

/** A non-negative INTEGER from its big-endian magnitude, in the fewest octets (§8.3.2). */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const octets = magnitude.subarray(start)
  const body = octets.length === 0 ? Buffer.from([0]) : octets
  return element(0x02, (body[0] ?? 0) > 0x7f ? Buffer.concat([Buffer.from([0]), body]) : body)
}

export function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const octets = [first * 40 + second]
  for (const arc of rest) {
    const base128 = [arc & 0x7f]
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      base128.unshift(0x80 | (value & 0x7f))
    }
    octets.push(...base128)
  }
  return element(0x06, Buffer.from(octets))
}

/** PrintableString when every character allows it (X.680 §41.4), else UTF8String. */
export function directoryString(text: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)
    ? element(0x13, Buffer.from(text, 'ascii'))
    : element(0x0c, Buffer.from(text, 'utf8'))
}

/** UTCTime through 2049, GeneralizedTime from 2050, whole seconds, UTC (RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const iso = date.toISOString()
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
  const year = date.getUTCFullYear()
  return year >= 1950 && year < 2050
    ? element(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : element(0x18, Buffer.from(digits, 'ascii'))
}

/** A BIT STRING of whole octets (no unused bits). */
export const bitString = (octets: Buffer) =>
  element(0x03, Buffer.concat([Buffer.from([0]), octets]))

/** The elements directly inside a constructed element (e.g. a SEQUENCE's members). */
export function children(der: Buffer): Buffer[] {
  const { headerLength, length } = readHeader(der, 0)
  const contents = der.subarray(headerLength, headerLength + length)
  const items: Buffer[] = []
  for (let offset = 0; offset < contents.length; ) {
    const header = readHeader(contents, offset)
    items.push(contents.subarray(offset, offset + header.headerLength + header.length))
    offset += header.headerLength + header.length
  }
  return items
}

/** The dotted form of an OBJECT IDENTIFIER element. */
export function readObjectIdentifier(der: Buffer): string {
  const { headerLength, length } = readHeader(der, 0)
  const octets = der.subarray(headerLength, headerLength + length)
  const arcs: number[] = []
  let value = 0
  for (const octet of octets) {
    value = value * 128 + (octet & 0x7f)
    if ((octet & 0x80) === 0) {
      if (arcs.length > 0) arcs.push(value)
      else {
        // The first subidentifier holds two arcs: 40 × first + second (X.690 §8.19.4).
        const first = value < 40 ? 0 : value < 80 ? 1 : 2
        arcs.push(first, value - first * 40)
      }
      value = 0
    }
  }
  return arcs.join('.')
}

function readHeader(der: Buffer, offset: number): { headerLength: number; length: number } {
  const first = der[offset + 1]
  if (first === undefined) throw new RangeError('DER element cut short')
  if (first < 0x80) return { headerLength: 2, length: first }
  const count = first & 0x7f
  let length = 0
  for (let index = 0; index < count; index++) length = length * 256 + (der[offset + 2 + index] ?? 0)
  if (offset + 2 + count + length > der.length) throw new RangeError('DER element cut short')
  return { headerLength: 2 + count, length }
}
