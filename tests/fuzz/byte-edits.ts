import fc from 'fast-check'

/**
 * Byte-level mutations of a valid message: flip a bit, insert bytes or a token that parsers find
 * interesting, delete, truncate, repeat a slice (up to megabytes). Positions are drawn as plain
 * numbers and taken modulo the length, so one edit applies to any input.
 */
export type ByteEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'token'; at: number; token: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeat'; at: number; length: number; times: number }

/** Strings that mean something to XML, URL, base64, JSON or JWT parsers. */
export const parserTokens = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '"',
  "'",
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\r\n',
  ']]>',
  '<!--x-->',
  '<![CDATA[x]]>',
  '<?pi x?>',
  '<!DOCTYPE x [<!ENTITY e "e">]>',
  '<x:y xmlns:x="urn:x"/>',
  ' xmlns="urn:evil"',
  ' ID="_dup"',
  '%',
  '%zz',
  '%00',
  '+',
  '=',
  '==',
  '.',
  '..',
  '{}',
  '[]',
  'null',
  '{"alg":"none"}',
  'eyJhbGciOiJub25lIn0',
  '9'.repeat(40),
  '-1',
] as const

const position = fc.nat()

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip'), at: position, bit: fc.nat(7) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('insert'),
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('token'),
      at: position,
      token: fc.constantFrom(...parserTokens),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('delete'),
      at: position,
      length: fc.integer({ min: 1, max: 64 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate'), at: position }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('repeat'),
      at: position,
      length: fc.integer({ min: 1, max: 64 }),
      times: fc.oneof(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1_000, max: 60_000 })),
    }),
  },
)

export const byteEdits = fc.array(byteEdit, { minLength: 1, maxLength: 4 })

/** Applies the edits in order to the UTF-8 bytes of `text`; the result is read back as UTF-8. */
export function applyByteEdits(text: string, edits: readonly ByteEdit[]): string {
  let bytes: Buffer = Buffer.from(text, 'utf8')
  for (const edit of edits) bytes = applyByteEdit(bytes, edit)
  return bytes.toString('utf8')
}

function applyByteEdit(bytes: Buffer, edit: ByteEdit): Buffer {
  const at = bytes.length === 0 ? 0 : edit.at % (bytes.length + 1)
  switch (edit.op) {
    case 'flip': {
      if (bytes.length === 0) return bytes
      const copy = Buffer.from(bytes)
      const index = at % bytes.length
      copy[index] = (copy[index] ?? 0) ^ (1 << edit.bit)
      return copy
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)])
    case 'token':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.token), bytes.subarray(at)])
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)])
    case 'truncate':
      return bytes.subarray(0, at)
    case 'repeat': {
      const slice = bytes.subarray(at, at + edit.length)
      const repeated = Buffer.alloc(slice.length * edit.times)
      for (let i = 0; i < edit.times; i++) slice.copy(repeated, i * slice.length)
      return Buffer.concat([bytes.subarray(0, at), repeated, bytes.subarray(at)])
    }
  }
}
