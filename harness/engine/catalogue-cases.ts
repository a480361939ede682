import type { CatalogueCoverage, ScenarioResult } from '../../reports/model.ts'

/**
 * The cases of the security catalogue (../shared/docs/security-catalogue.md), by number, in
 * a few words each. Scenarios name the numbers they exercise in `catalogue:`; every report
 * shows which cases no scenario of the run exercises.
 */
export const catalogueCases = [
  'XML signature wrapping (XSW1–XSW8)',
  'signature exclusion',
  'certificate faking (key in KeyInfo)',
  'comment or processing instruction in NameID',
  'DOCTYPE, external entities, entity expansion',
  'dangerous Transforms, RetrievalMethod, unknown c14n',
  'several Assertions or roots, unsigned beside signed',
  'Reference or DigestValue outside SignedInfo',
  'parser differentials',
  'Destination, Recipient, Audience or Issuer mismatch',
  'SAML time window and clock skew',
  'InResponseTo and SAML replay',
  'weak algorithms and short keys',
  'RelayState / return_url open redirect',
  'expired or not-yet-valid IdP certificate',
  'oversized or deeply nested input, deflate bombs',
  'non-success status, no AuthnStatement, no NameID',
  'artifact replay, expiry, SourceID, resolver',
  'alg none, empty signature',
  'HS256 with the RSA public key',
  'keys offered by the token (jwk, jku, x5u, x5c)',
  'kid tricks',
  'JWT time claims, claim types, payload not an object',
  'iss, aud and azp',
  'nonce, state and PKCE',
  'at_hash, userinfo sub, discovery issuer',
  'crit, b64 false, oversized tokens',
  'ECDSA psychic signature',
  'token replay, token of another client',
  'key rotation',
  'JWKS and discovery failures',
  'return paths normalised into another origin',
  'identifier look-alikes (white space, invisible characters)',
  'JWS re-encoding (non-canonical base64url) and replay',
  'InResponseTo only on the unsigned envelope',
  'admin and state-changing endpoints driven cross-site',
  'secrets at rest',
  'cost before trust, queued test logins',
] as const

/** Each case with the results of this run that exercise it. */
export function catalogueCoverage(results: ScenarioResult[]): CatalogueCoverage[] {
  return catalogueCases.map((title, index) => {
    const number = index + 1
    const exercising = results.filter((result) => result.catalogue?.includes(number))
    const status =
      exercising.length === 0
        ? 'uncovered'
        : exercising.some((result) => result.status === 'failed')
          ? 'failing'
          : 'covered'
    return { case: number, title, scenarios: exercising.map((result) => result.id), status }
  })
}
