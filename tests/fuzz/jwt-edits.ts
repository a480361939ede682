import { type KeyObject, sign } from 'node:crypto'
import fc from 'fast-check'
import { applyByteEdits, byteEdits } from './byte-edits.ts'

/**
 * Mutations of a valid compact JWT: its bytes or one segment's; its header or claims changed and
 * re-encoded under the old signature; changed and signed again with the IdP's key (RS256), to
 * reach the checks after the signature; segments dropped, swapped or added; or random text.
 */
export type JsonEdit = { op: 'set'; name: string; value: unknown } | { op: 'delete'; name: string }

const at = Date.parse('2030-01-01T12:00:00Z') / 1000

const memberName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('iss', 'aud', 'sub', 'id', 'exp', 'iat', 'nbf', 'jti') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'azp',
      'nonce',
      'at_hash',
      'email',
      'name',
      'alg',
      'kid',
      'typ',
      'crit',
      'jku',
      'jwk',
      'x5u',
      'b64',
      '__proto__',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
)

const memberValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1e308,
    2 ** 53,
    '',
    'alice',
    'admin',
    'none',
    'HS256',
    'RS512',
    'ES256',
    'http://127.0.0.1:7000',
    'http://127.0.0.1:7100',
    'https://evil.example',
    [],
    {},
    ['http://127.0.0.1:7100', 'https://evil.example'],
    at,
    at - 86_400,
    at + 86_400,
    String(at),
  ),
  fc.jsonValue({ maxDepth: 2 }),
)

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), name: memberName, value: memberValue }),
  fc.record({ op: fc.constant('delete' as const), name: memberName }),
)

const segment = fc.constantFrom(0, 1, 2)

export const jwtInput = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: fc.string() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('segment' as const), segment, edits: byteEdits }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      part: fc.constantFrom(0, 1),
      edits: fc.array(jsonEdit, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('resigned' as const),
      header: fc.array(jsonEdit, { maxLength: 1 }),
      claims: fc.array(jsonEdit, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('shape' as const),
      shape: fc.constantFrom('no-signature', 'two-segments', 'swap', 'four-segments', 'padded'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'valid' as const }) },
)

export type JwtInput = typeof jwtInput extends fc.Arbitrary<infer T> ? T : never

/** The mutated token; `key` signs the `resigned` kind (RS256, the IdP's private key). */
export function applyJwtInput(token: string, input: JwtInput, key: KeyObject): string {
  const parts = token.split('.')
  switch (input.kind) {
    case 'random':
      return input.text
    case 'valid':
      return token
    case 'bytes':
      return applyByteEdits(token, input.edits)
    case 'segment':
      parts[input.segment] = applyByteEdits(parts[input.segment] ?? '', input.edits)
      return parts.join('.')
    case 'json':
      parts[input.part] = encodeJson(editJson(decodeJson(parts[input.part]), input.edits))
      return parts.join('.')
    case 'resigned': {
      const header = editJson(decodeJson(parts[0]), input.header)
      const input64 = `${encodeJson(header)}.${encodeJson(editJson(decodeJson(parts[1]), input.claims))}`
      const signature = sign('sha256', Buffer.from(input64), key).toString('base64url')
      return `${input64}.${signature}`
    }
    case 'shape':
      switch (input.shape) {
        case 'no-signature':
          return `${parts[0]}.${parts[1]}.`
        case 'two-segments':
          return `${parts[0]}.${parts[1]}`
        case 'swap':
          return `${parts[1]}.${parts[0]}.${parts[2]}`
        case 'four-segments':
          return `${token}.${parts[2]}`
        case 'padded':
          return parts.map((part) => `${part}==`).join('.')
      }
  }
}

function decodeJson(segment: string | undefined): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null ? value : {}
  } catch {
    return {}
  }
}

function editJson(value: Record<string, unknown>, edits: readonly JsonEdit[]) {
  const copy: Record<string, unknown> = { ...value }
  for (const edit of edits) {
    if (edit.op === 'delete') delete copy[edit.name]
    else
      Object.defineProperty(copy, edit.name, {
        value: edit.value,
        enumerable: true,
        configurable: true,
        writable: true,
      })
  }
  return copy
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
