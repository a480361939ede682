import { describe, expect, it } from 'vitest'
import { planAttack } from './plan.ts'
import { severityOf } from './severity.ts'

describe('severityOf', () => {
  const cases = new Map(
    (['saml-post', 'jwt', 'oidc'] as const).flatMap((protocol) =>
      planAttack(protocol, { spInitiated: true }).cases.map((attack) => [attack.id, attack]),
    ),
  )
  const of = (id: string) => {
    const attack = cases.get(id)
    if (!attack) throw new Error(`no case ${id}`)
    return severityOf(attack)
  }

  it('calls another identity or an unvouched message a bypass', () => {
    for (const id of [
      'forged-saml-xsw4',
      'forged-saml-unsigned-everything',
      'forged-saml-untrusted-key',
      'forged-saml-tampered-nameid',
      'forged-saml-wrong-audience',
      'forged-saml-nameid-look-alike',
      'saml-nameid-comment-read-whole',
      'forged-token-alg-none',
      'forged-token-wrong-audience',
      'forged-token-without-aud',
    ]) {
      expect([id, of(id)]).toEqual([id, 'bypass'])
    }
  })

  it('calls a missing defence in depth hardening', () => {
    for (const id of [
      'forged-saml-rsa-sha1',
      'forged-saml-unsigned-assertion',
      'forged-saml-in-response-to-other-request',
      'forged-saml-in-response-to-envelope-only',
      'forged-saml-digest-value-comment',
      'forged-saml-reference-outside-signed-info',
      'forged-saml-digest-value-outside-signed-info',
      'forged-saml-two-signed-info',
      'forged-jwt-reencoded-signature',
      'forged-jwt-reencoded-header-padding',
      'forged-saml-expired',
      'forged-saml-malformed-time',
      'forged-saml-wrong-destination',
      'forged-saml-wrong-recipient',
      'forged-saml-oversized',
      'forged-saml-doctype-entity',
      'forged-saml-idp-certificate-expired',
      'forged-token-crit-unknown',
      'forged-token-without-exp',
      // An open redirect after a genuine sign-in (catalogue 32): phishing help, no identity.
      'forged-saml-relay-state-absolute',
      'forged-saml-relay-state-backslash',
    ]) {
      expect([id, of(id)]).toEqual([id, 'hardening'])
    }
    // Signing in and refusing are both right with a hostile return path: only off-site is not.
    expect(cases.get('forged-saml-relay-state-tab')?.expect).toBe('on-site')
  })

  it('calls a decoy or a re-spelling beside an intact signature hardening, and a replay a bypass', () => {
    // Every signed byte stays the IdP's: SimpleSAMLphp accepted the first two as the genuine
    // alice in the lab, which is tolerance of a malformed Signature, not a forged sign-in.
    for (const change of [
      'reference-outside-signed-info',
      'digest-value-outside-signed-info',
      'two-signed-info',
      'digest-value-comment',
    ] as const) {
      const faults = [{ kind: 'saml-signature-structure' as const, change }]
      expect([change, severityOf({ expect: 'refused', faults, catalogueItem: 8 })]).toEqual([
        change,
        'hardening',
      ])
    }
    const respelled = { kind: 'jwt-reencoded' as const, spelling: 'padding' as const }
    expect(severityOf({ expect: 'refused', faults: [respelled], catalogueItem: 34 })).toBe(
      'hardening',
    )
    // The same re-spelling carrying a captured token again defeats a replay cache: a bypass.
    expect(
      severityOf({
        expect: 'refused',
        faults: [{ kind: 'jwt-replay' }, respelled],
        catalogueItem: 34,
      }),
    ).toBe('bypass')
    expect(
      severityOf({ expect: 'refused', faults: [{ kind: 'saml-replay' }], catalogueItem: 12 }),
    ).toBe('bypass')
  })

  it('calls a valid counterpart info, and gives every case a severity', () => {
    expect(of('saml-clock-skew-within-tolerance')).toBe('info')
    expect(of('token-clock-skew-within-tolerance')).toBe('info')
    for (const attack of cases.values()) {
      expect(['bypass', 'hardening', 'info']).toContain(severityOf(attack))
      if (attack.expect !== 'accepted') expect(severityOf(attack)).not.toBe('info')
    }
  })
})
