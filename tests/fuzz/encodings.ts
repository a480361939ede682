import { deflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import { applyByteEdits, type ByteEdit, byteEdits } from './byte-edits.ts'

/**
 * How a (mutated) message is put back on the wire for HTTP-POST: base64 as the binding says, or
 * wrapped in lines, URL-safe, unpadded, twice, with spaces, not at all — and then, maybe, the
 * base64 text itself mutated.
 */
export type Base64Variant =
  | 'standard'
  | 'lines'
  | 'url'
  | 'unpadded'
  | 'twice'
  | 'spaces'
  | 'plain'
  | 'deflated'

export const base64Variant: fc.Arbitrary<Base64Variant> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Base64Variant>('standard') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Base64Variant>(
      'lines',
      'url',
      'unpadded',
      'twice',
      'spaces',
      'plain',
      'deflated',
    ),
  },
)

export const wireEdits: fc.Arbitrary<{ variant: Base64Variant; edits: ByteEdit[] | null }> =
  fc.record({
    variant: base64Variant,
    edits: fc.oneof(
      { weight: 5, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: byteEdits },
    ),
  })

export function encodeForPost(
  xml: string,
  wire: { variant: Base64Variant; edits: ByteEdit[] | null },
): string {
  const encoded = encode(Buffer.from(xml, 'utf8'), wire.variant)
  return wire.edits ? applyByteEdits(encoded, wire.edits) : encoded
}

function encode(bytes: Buffer, variant: Base64Variant): string {
  const base64 = bytes.toString('base64')
  switch (variant) {
    case 'standard':
      return base64
    case 'lines':
      return base64.replace(/.{76}/g, '$&\r\n')
    case 'url':
      return bytes.toString('base64url')
    case 'unpadded':
      return base64.replace(/=+$/, '')
    case 'twice':
      return Buffer.from(base64).toString('base64')
    case 'spaces':
      return base64.replace(/.{8}/g, '$& ')
    case 'plain':
      return bytes.toString('utf8')
    case 'deflated':
      return deflateRawSync(bytes).toString('base64')
  }
}
