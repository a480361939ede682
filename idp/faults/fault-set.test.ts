import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { parseCertificate } from '../../core/keys/index.ts'
import { parseIdpMetadata } from '../../core/saml/metadata.ts'
import { idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createIdp } from '../create-idp.tsx'
import { createFaultSet } from './fault-set.ts'
import { durationMs, faultSchema } from './schema.ts'

function newSet(initial: unknown[] = []) {
  const log: string[] = []
  const set = createFaultSet({
    clock: createManualClock('2030-01-01T12:00:00Z'),
    log: (line) => log.push(line),
    initial,
  })
  return { set, log }
}

function configError(run: () => unknown): SsoError {
  try {
    run()
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
  throw new Error('no error was thrown')
}

describe('faultSchema', () => {
  it('fills in defaults and keeps the scope', () => {
    expect(faultSchema.parse({ kind: 'saml-clock-skew', skew: '-10m', sp: 'x' })).toEqual({
      kind: 'saml-clock-skew',
      skew: '-10m',
      sp: 'x',
      fields: ['IssueInstant', 'NotBefore', 'NotOnOrAfter', 'SubjectConfirmationData'],
    })
    expect(faultSchema.parse({ kind: 'jwt-expired' })).toEqual({ kind: 'jwt-expired', by: '10m' })
  })

  it('reads signed durations', () => {
    expect(durationMs('-10m')).toBe(-600_000)
    expect(durationMs('+1m30s')).toBe(90_000)
    expect(durationMs('45s')).toBe(45_000)
    expect(durationMs(-1500)).toBe(-1500)
  })

  it.each([
    [{ kind: 'saml-wrapping' }, 'fault: kind: '],
    [{ kind: 'saml-clock-skew', skew: 'ten minutes' }, 'fault: skew: '],
    [{ kind: 'saml-xsw', variant: 9 }, 'fault: variant: '],
    [{ kind: 'saml-tamper', remaining: 0 }, 'fault: remaining: '],
    [{ kind: 'saml-tamper', colour: 'red' }, 'fault: (root): Unrecognized key: "colour"'],
    [{ kind: 'jwks', answer: 'error', sp: 'x' }, 'fault: (root): Unrecognized key: "sp"'],
  ])('refuses %o with CONFIG_INVALID naming the path', (input, reason) => {
    const error = configError(() => newSet().set.add(input))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason.startsWith(reason)).toBe(true)
  })
})

describe('createFaultSet', () => {
  it('applies a fault only to its SP and user, counts uses, and forgets a spent one', () => {
    const { set, log } = newSet()
    set.add({ kind: 'saml-tamper', sp: 'sp-a', user: 'alice', remaining: 2 })
    set.add({ kind: 'saml-untrusted-key' })
    expect(set.take(['saml-tamper'], { sp: 'sp-b', user: 'alice' })).toEqual([])
    expect(set.take(['saml-tamper'], { sp: 'sp-a', user: 'bob' })).toEqual([])
    expect(set.take(['saml-tamper'], { sp: 'sp-a' })).toEqual([])
    expect(set.take(['saml-tamper', 'saml-untrusted-key'], { sp: 'sp-a', user: 'alice' })).toEqual([
      expect.objectContaining({ kind: 'saml-tamper', id: 'fault-1', remaining: 2 }),
      expect.objectContaining({ kind: 'saml-untrusted-key', id: 'fault-2' }),
    ])
    expect(set.list()).toMatchObject([{ id: 'fault-1', remaining: 1 }, { id: 'fault-2' }])
    set.take(['saml-tamper'], { sp: 'sp-a', user: 'alice' })
    expect(set.list().map((fault) => fault.id)).toEqual(['fault-2'])
    expect(set.take(['saml-untrusted-key'], {})).toHaveLength(1)
    expect(set.list()).toHaveLength(1)
    expect(log[0]).toBe('IdP fault saml-tamper (fault-1) applied for sp-a')
  })

  it('adds a list all or nothing, removes by id and clears', () => {
    const { set } = newSet([{ kind: 'jwt-alg-none' }])
    const error = configError(() => set.addAll([{ kind: 'jwt-kid-missing' }, { kind: 'nope' }]))
    expect(error.reason.startsWith('faults.1: kind: ')).toBe(true)
    expect(set.list()).toHaveLength(1)
    const [added] = set.addAll([{ kind: 'jwt-kid-missing' }, { kind: 'jwt-psychic-signature' }])
    expect(added?.id).toBe('fault-2')
    expect(set.remove('fault-2')?.kind).toBe('jwt-kid-missing')
    expect(set.remove('fault-2')).toBeUndefined()
    expect(set.clear()).toBe(2)
    expect(set.list()).toEqual([])
  })

  it('remembers the last token per protocol and SP for jwt-replay', () => {
    const { set } = newSet()
    expect(set.take(['jwt-replay'], { sp: 'sp-a' })).toEqual([])
    set.rememberToken('jwt sp-a', 'first')
    set.rememberToken('jwt sp-a', 'second')
    set.rememberToken('oidc sp-a', 'id-token')
    expect(set.previousToken('jwt sp-a')).toBe('second')
    expect(set.previousToken('oidc sp-a')).toBe('id-token')
    expect(set.previousToken('jwt sp-b')).toBeUndefined()
  })

  it('makes certificates outside their validity window on the fault clock', async () => {
    const { set } = newSet([
      { kind: 'saml-certificate-validity', validity: 'expired' },
      { kind: 'saml-certificate-validity', validity: 'not-yet-valid' },
    ])
    await set.ready()
    const now = Date.parse('2030-01-01T12:00:00Z')
    const [expired, notYet] = set.publishedCertificates().map(parseCertificate)
    expect(expired?.notAfter.getTime()).toBeLessThan(now)
    expect(notYet?.notBefore.getTime()).toBeGreaterThan(now)
    set.clear()
    expect(set.publishedCertificates()).toEqual([])
  })
})

describe('createIdp({ faults })', () => {
  it('starts with the faults, and its metadata lists a certificate-validity fault’s certificate', async () => {
    const keys = await testCredentials()
    const idp = createIdp({
      baseUrl: idpUrl,
      credential: keys.idp,
      log: () => {},
      faults: [{ kind: 'saml-certificate-validity', validity: 'expired', remaining: 1 }],
    })
    expect(idp.faults.list()).toMatchObject([{ id: 'fault-1', remaining: 1 }])
    await idp.faults.ready()
    expect(parseIdpMetadata(idp.metadata()).signingCertificates).toHaveLength(2)
    // The metadata is kept between fetches, and built again as the published certificates change.
    expect(idp.metadata()).toBe(idp.metadata())
    idp.faults.clear()
    expect(parseIdpMetadata(idp.metadata()).signingCertificates).toEqual([
      keys.idp.certificateBase64,
    ])
    idp.faults.add({ kind: 'saml-certificate-validity', validity: 'not-yet-valid' })
    await idp.faults.ready()
    expect(parseIdpMetadata(idp.metadata()).signingCertificates).toHaveLength(2)
  })

  it('refuses a bad fault at start with CONFIG_INVALID naming faults.N', async () => {
    const keys = await testCredentials()
    const error = configError(() =>
      createIdp({
        baseUrl: idpUrl,
        credential: keys.idp,
        log: () => {},
        faults: [{ kind: 'jwt-alg-none' }, { kind: 'saml-status', status: 'Teapot' } as never],
      }),
    )
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toMatch(/^createIdp options: faults\.1\.status: /)
  })
})
