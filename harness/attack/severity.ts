import type { FaultInput } from '../../idp/faults/schema.ts'
import type { Expectation } from './plan.ts'

/**
 * How bad it is when an SP accepts a case:
 * - `bypass`: the SP read something the IdP did not sign for it: another identity, or a message
 *   nobody with the IdP's key vouched for (unsigned, altered, re-signed, wrapped, meant for
 *   another SP or another request, or captured and sent again) signs a visitor in;
 * - `hardening`: every byte the SP read as signed is the IdP's own, for this SP and this user,
 *   but a defence in depth is missing (a weak algorithm, a malformed or stale time, an oversized
 *   message, an unsolicited answer, a decoy or a re-spelling beside an intact signature…);
 * - `info`: nothing an attacker gains (a valid counterpart, the baseline, the control).
 */
export type Severity = 'bypass' | 'hardening' | 'info'

export const severities: readonly Severity[] = ['bypass', 'hardening', 'info']

// One line per case of docs/security-catalogue.md (1–38).
const byCatalogueCase: Record<number, Severity> = {
  1: 'bypass', // XSW1–8
  2: 'bypass', // signature exclusion
  3: 'bypass', // attacker key in KeyInfo
  4: 'bypass', // comment / PI in NameID
  5: 'hardening', // DOCTYPE, entities
  6: 'hardening', // dangerous Transforms
  7: 'bypass', // several Assertions
  8: 'bypass', // Reference / DigestValue outside SignedInfo
  9: 'bypass', // parser differentials
  10: 'bypass', // an assertion issued to another SP
  11: 'hardening', // times
  12: 'bypass', // InResponseTo of another session, replay
  13: 'hardening', // weak algorithms
  14: 'hardening', // open redirect
  15: 'hardening', // IdP certificate dates
  16: 'hardening', // oversized input
  17: 'hardening', // failure status, no AuthnStatement, no NameID
  18: 'bypass', // artifact replay, wrong source
  19: 'bypass', // alg none
  20: 'bypass', // HS256 with the public key
  21: 'bypass', // keys offered by the token
  22: 'bypass', // kid tricks
  23: 'hardening', // times, claim types
  24: 'bypass', // wrong iss / aud
  25: 'bypass', // nonce, state
  26: 'bypass', // at_hash, userinfo sub, discovery issuer
  27: 'hardening', // crit, b64, oversized
  28: 'bypass', // psychic signature
  29: 'bypass', // replay
  30: 'info', // key rotation
  31: 'hardening', // JWKS faults
  32: 'hardening', // return paths
  33: 'bypass', // identifier look-alikes
  34: 'bypass', // JWS re-encoding
  35: 'bypass', // envelope-only InResponseTo
  36: 'hardening', // cross-site admin
  37: 'hardening', // secrets at rest
  38: 'hardening', // cost before trust
}

/**
 * Where a fault kind says more than its catalogue case: the envelope Destination and the
 * Recipient are defences in depth beside the Audience (saml-profiles §4.1.4.3), a tampered
 * message is a forgery whatever case it files under, and so on.
 */
function byFault(fault: FaultInput): Severity | undefined {
  switch (fault.kind) {
    case 'saml-mismatch':
      return fault.field === 'Destination' || fault.field === 'Recipient' ? 'hardening' : 'bypass'
    case 'saml-tamper':
    case 'jwt-signature-invalid':
      return 'bypass'
    // One signed part still vouches for the whole (saml-core §5.3): a policy, not a forgery.
    case 'saml-unsigned':
      return fault.part === 'both' ? 'bypass' : 'hardening'
    // The IdP's own signed, fresh message for this SP, bound to another request or none: what an
    // SP that takes unsolicited Responses takes anyway (login CSRF, not another identity).
    case 'saml-in-response-to':
      return 'hardening'
    // Each change adds a copy or a decoy beside the genuine signature (a second Reference or
    // SignedInfo identical to the real one, a DigestValue no content matches, a comment inside
    // the real DigestValue) and leaves every signed byte as the IdP signed it: an SP accepting
    // it still read the IdP's own message. Only a decoy vouching for altered content would be a
    // bypass, and no case sends one (the SimpleSAMLphp lab finding: the genuine alice, hardening).
    case 'saml-signature-structure':
      return 'hardening'
    // The IdP's own token spelled another way after signing: the same claims under the same
    // signature. Alone it is tolerance; with a replay it defeats a cache keyed on the bytes.
    case 'jwt-reencoded':
      return 'hardening'
    case 'jwt-replay':
    case 'saml-replay':
      return 'bypass'
    case 'jwt-claim-missing':
      return fault.claim === 'iss' || fault.claim === 'aud' || fault.claim === 'nonce'
        ? 'bypass'
        : 'hardening'
    default:
      return undefined
  }
}

/**
 * The severity of a case: `info` when the SP should accept it anyway (a valid counterpart);
 * else the gravest its faults name where they say more than the catalogue; else its catalogue
 * case's (`hardening` when it names none).
 */
export function severityOf(attack: {
  expect: Expectation
  faults: FaultInput[]
  catalogueItem: number | undefined
}): Severity {
  if (attack.expect === 'accepted') return 'info'
  const named = attack.faults.map(byFault).filter((severity) => severity !== undefined)
  const gravest = severities.find((severity) => named.includes(severity))
  if (gravest) return gravest
  return (
    (attack.catalogueItem !== undefined && byCatalogueCase[attack.catalogueItem]) || 'hardening'
  )
}
