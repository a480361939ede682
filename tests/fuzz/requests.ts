import fc from 'fast-check'

/**
 * How a fuzzed form reaches an endpoint: urlencoded or multipart as browsers send it, every
 * field twice, the first field as a file upload, a JSON body, or no content type at all.
 */
export type FormShape = 'urlencoded' | 'multipart' | 'duplicated' | 'file' | 'json' | 'untyped'

export const formShape: fc.Arbitrary<FormShape> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<FormShape>('urlencoded') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<FormShape>('multipart', 'duplicated', 'file', 'json', 'untyped'),
  },
)

/** A POST of `fields` (undefined ones left out) in the given shape. */
export function formRequest(
  url: string,
  fields: Record<string, string | undefined>,
  shape: FormShape,
  headers: Record<string, string> = {},
): Request {
  const entries = Object.entries(fields).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  )
  const post = (body: NonNullable<RequestInit['body']>, type?: string) =>
    new Request(url, {
      method: 'POST',
      headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
      body,
    })
  switch (shape) {
    case 'urlencoded':
    case 'untyped': {
      const body = new URLSearchParams(entries).toString()
      return post(body, shape === 'urlencoded' ? 'application/x-www-form-urlencoded' : undefined)
    }
    case 'duplicated':
      return post(
        new URLSearchParams([...entries, ...entries]).toString(),
        'application/x-www-form-urlencoded',
      )
    case 'multipart':
    case 'file': {
      const form = new FormData()
      entries.forEach(([name, value], index) => {
        if (shape === 'file' && index === 0) form.append(name, new Blob([value]), 'message.xml')
        else form.append(name, value)
      })
      return post(form)
    }
    case 'json':
      return post(JSON.stringify(Object.fromEntries(entries)), 'application/json')
  }
}

/** A query string from `params` in order (a name may repeat); undefined values left out. */
export function queryOf(params: readonly (readonly [string, string | undefined])[]): string {
  return params
    .filter((param): param is readonly [string, string] => param[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
}

/** Random text: any code points, lone surrogates included, sometimes long. */
export const anyText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 64 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 256 }) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 512 }) },
  { weight: 1, arbitrary: fc.integer({ min: 4_000, max: 3_000_000 }).map((n) => 'A'.repeat(n)) },
)

/**
 * RelayState as an SP or an attacker may send it: mostly the one that came with the valid
 * message (`valid`), else absent, a path, random, at and over 80 bytes.
 */
export const relayStateInput: fc.Arbitrary<string | undefined | 'valid'> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<'valid'>('valid') },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('/', '/account', '//evil.example/', 'https://evil.example/', 'r'.repeat(80)),
      fc.constant('r'.repeat(81)),
      anyText,
    ),
  },
)

/** The RelayState to send: the valid one unless the input says otherwise. */
export function relayStateOf(
  input: string | undefined | 'valid',
  valid: string,
): string | undefined {
  return input === 'valid' ? valid : input
}
