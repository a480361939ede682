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
      'forged-jwt-reencoded-signature',
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
      'forged-saml-expired',
      'forged-saml-malformed-time',
      'forged-saml-wrong-destination',
      'forged-saml-wrong-recipient',
      'forged-saml-oversized',
      'forged-saml-doctype-entity',
      'forged-saml-idp-certificate-expired',
      'forged-token-crit-unknown',
      'forged-token-without-exp',
    ]) {
      expect([id, of(id)]).toEqual([id, 'hardening'])
    }
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
