/**
 * The little DER (X.690 §10) a certificate needs: tag, definite length, contents. Each function
 * returns one whole element.
 */

/** X.690 §8.1.3: short form below 128, else the count of length octets then the length. */
function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length)
  const octets: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256)
  return Buffer.of(0x80 | octets.length, ...octets)
}

export function element(tag: number, contents: Buffer): Buffer {
  return Buffer.concat([Buffer.of(tag), lengthOctets(contents.length), contents])
}

export const sequence = (...items: Buffer[]): Buffer => element(0x30, Buffer.concat(items))
export const set = (...items: Buffer[]): Buffer => element(0x31, Buffer.concat(items))
export const octetString = (octets: Buffer): Buffer => element(0x04, octets)
export const nullValue = (): Buffer => Buffer.of(0x05, 0x00)
export const booleanValue = (value: boolean): Buffer => Buffer.of(0x01, 0x01, value ? 0xff : 0x00)
/** Context-specific constructed `[n]` around `contents` (EXPLICIT tagging). */
export const explicit = (n: number, contents: Buffer): Buffer => element(0xa0 | n, contents)

/**
 * A non-negative INTEGER from its big-endian magnitude, in the fewest octets X.690 §8.3.2 allows:
 * leading zero octets dropped, one put back before an octet of 0x80 or more (else it would read
 * as negative). Parsers refuse the padded forms (OpenSSL: "illegal padding"), so a serial number
 * given or drawn as `00 12 ab` must be written `12 ab`.
 */
export function integer(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const octets = magnitude.length === 0 ? Buffer.of(0) : magnitude.subarray(start)
  return element(0x02, (octets[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.of(0), octets]) : octets)
}

/** A BIT STRING whose last octet leaves `unusedBits` bits unused (X.690 §8.6.2). */
export const bitString = (octets: Buffer, unusedBits = 0): Buffer =>
  element(0x03, Buffer.concat([Buffer.of(unusedBits), octets]))

/** X.690 §8.19: the first two arcs in one octet, then each arc in base 128. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const octets: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)]
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [arc & 0x7f]
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
      base128.unshift(0x80 | (rest & 0x7f))
    }
    octets.push(...base128)
  }
  return element(0x06, Buffer.from(octets))
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, Z. */
export function time(date: Date): Buffer {
  const iso = date.toISOString() // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '')
  const year = date.getUTCFullYear()
  return year < 2050 && year >= 1950
    ? element(0x17, Buffer.from(`${digits.slice(2)}Z`, 'latin1'))
    : element(0x18, Buffer.from(`${digits}Z`, 'latin1'))
}
