import * as z from 'zod'
import { parseDuration } from '../../core/clock/index.ts'
import { returnPathVariantNames } from './return-path.ts'

// What every fault may say about where it applies and how long it lives (README.md, "Scope").
const scope = {
  /** The SAML SP entity ID, JWT SP id or OIDC client ID it applies to; absent: every SP. */
  sp: z.string().min(1).optional(),
  /** The IdP user it applies to; absent: every user. */
  user: z.string().min(1).optional(),
  /** How many messages it shapes before it is spent (1: one-shot); absent: until cleared. */
  remaining: z.number().int().positive().optional(),
}
// Discovery and JWKS requests name no client and no user: those faults cannot be scoped.
const unscoped = { remaining: scope.remaining }

const durationText = /^(?:\d+(?:ms|s|m|h|d))+$/
/** `90s`, `10m`, `1h30m` or a number of milliseconds. */
const duration = z.union([
  z.number().int().nonnegative(),
  z.string().regex(durationText, 'a duration such as 90s, 10m or 1h30m'),
])
/** A duration with a sign: `-10m` moves times into the past, `+2m` (or `2m`) into the future. */
const signedDuration = z.union([
  z.number().int(),
  z.string().regex(/^[+-]?(?:\d+(?:ms|s|m|h|d))+$/, 'a signed duration such as -10m or +90s'),
])

/** Milliseconds of a (signed) duration as the schema accepts it. */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return value
  const sign = value.startsWith('-') ? -1 : 1
  return sign * parseDuration(value.replace(/^[+-]/, ''))
}

export const samlTimeFields = [
  'IssueInstant',
  'NotBefore',
  'NotOnOrAfter',
  'SubjectConfirmationData',
] as const

// Catalogue item 33 (look-alike.ts): how the identifier is altered, and whose it imitates.
const lookAlikeShape = {
  variant: z
    .enum([
      'trailing-space',
      'leading-newline',
      'nbsp',
      'ideographic-space',
      'bom',
      'zero-width-space',
      'left-to-right-mark',
      'hangul-filler',
    ])
    .default('ideographic-space'),
  /** The identifier to imitate (another user's); absent: the signed-in user's own. */
  of: z.string().min(1).max(256).optional(),
}

const fault = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ kind: z.literal(kind), ...scope, ...shape }).strict()

/** The faults the IdP can inject; README.md says what each does and what the SP must answer. */
export const faultSchema = z.discriminatedUnion('kind', [
  // SAML: the Response as the IdP builds and signs it (idp/response).
  fault('saml-clock-skew', {
    skew: signedDuration,
    fields: z
      .array(z.enum(samlTimeFields))
      .min(1)
      .default([...samlTimeFields]),
  }),
  fault('saml-mismatch', {
    field: z.enum(['Audience', 'Recipient', 'Destination', 'Issuer']),
    value: z.string().min(1).optional(),
  }),
  fault('saml-in-response-to', {
    /**
     * `another-request`: the ID of another request (`value`, or one from the journal); `none`:
     * no InResponseTo; `envelope-only`: the request's ID on the Response only, none on the
     * Assertion's bearer SubjectConfirmationData.
     */
    answer: z.enum(['another-request', 'none', 'envelope-only']).default('another-request'),
    value: z.string().min(1).optional(),
  }),
  fault('saml-status', {
    status: z.enum(['AuthnFailed', 'RequestDenied', 'NoPassive']),
    message: z.string().max(200).optional(),
  }),
  fault('saml-unsigned', { part: z.enum(['response', 'assertion', 'both']) }),
  fault('saml-weak-algorithm', {
    signature: z
      .enum(['rsa-sha1', 'rsa-sha256', 'dsa-sha256', 'hmac-sha256'])
      .default('rsa-sha256'),
    digest: z.enum(['sha1', 'sha256']).default('sha256'),
  }),
  fault('saml-untrusted-key', {}),
  fault('saml-certificate-validity', { validity: z.enum(['expired', 'not-yet-valid']) }),
  fault('saml-short-key', {}),
  fault('saml-signature-value', { value: z.enum(['empty', 'garbage']) }),
  fault('saml-signature-transform', {
    transform: z.enum(['xslt', 'xpath', 'retrieval-method', 'c14n-with-comments', 'unknown-c14n']),
  }),
  fault('saml-signature-structure', {
    change: z.enum([
      'reference-outside-signed-info',
      'digest-value-outside-signed-info',
      'two-signed-info',
      'digest-value-comment',
    ]),
  }),
  fault('saml-malformed-time', {
    fields: z.array(z.enum(samlTimeFields)).min(1).default(['NotOnOrAfter']),
    /** `words`: "tomorrow"; `no-timezone`: the instant without its Z; `offset`: the same instant at +01:00. */
    form: z.enum(['words', 'no-timezone', 'offset']).default('words'),
  }),
  fault('saml-omit', { element: z.enum(['AuthnStatement', 'NameID', 'NameID-text']) }),
  fault('saml-oversized', { dimension: z.enum(['size', 'depth', 'attributes', 'signed-part']) }),
  fault('saml-tamper', {
    /**
     * NameID or an Attribute's first value changed; `xmlns-named-attribute` adds `xmlnsRole=<value>`
     * to the signed Assertion, a name xml-crypto 6.3.2's canonical form left out;
     * `namespace-name-quote` moves the Assertion's attributes into its last namespace
     * declaration's value, which xml-crypto 6.3.2's canonical form wrote unescaped.
     */
    target: z
      .enum(['NameID', 'Attribute', 'xmlns-named-attribute', 'namespace-name-quote'])
      .default('NameID'),
    /** The attribute whose first value changes (target Attribute). */
    name: z.string().min(1).default('email'),
    value: z.string().min(1).default('mallory'),
  }),
  fault('saml-nameid-injection', {
    node: z.enum(['comment', 'processing-instruction']),
    suffix: z.string().min(1).max(100).default('.evil.example'),
  }),
  fault('saml-doctype', {
    payload: z.enum(['entity', 'external-entity', 'billion-laughs']).default('entity'),
  }),
  fault('saml-two-assertions', { nameId: z.string().min(1).default('mallory') }),
  fault('saml-nameid-look-alike', lookAlikeShape),
  fault('saml-xsw', {
    variant: z.number().int().min(1).max(8),
    nameId: z.string().min(1).default('mallory'),
  }),
  fault('saml-replay', {}),
  // Catalogue item 32 (return-path.ts): the RelayState handed back with a valid Response.
  fault('saml-relay-state', {
    variant: z.enum(returnPathVariantNames).default('scheme-relative'),
    host: z
      .string()
      .regex(/^[a-z0-9.-]{1,60}$/, 'a host name such as evil.example')
      .default('evil.example'),
  }),
  // SAML HTTP-Artifact delivery (idp/artifact).
  fault('saml-artifact', {
    fault: z.enum(['replay', 'expired', 'wrong-source-id', 'wrong-in-response-to']),
  }),
  // SAML single logout the IdP sends by HTTP-Redirect (idp/slo).
  fault('saml-deflate-bomb', {}),

  // JWT token SSO (idp/jwt) and OIDC ID tokens (idp/oidc).
  fault('jwt-alg-none', {}),
  fault('jwt-hs256-public-key', {}),
  fault('jwt-header-key', { header: z.enum(['jwk', 'jku', 'x5u', 'x5c']) }),
  fault('jwt-kid-missing', {}),
  fault('jwt-kid-unknown', { value: z.string().min(1).max(200).default('unknown-kid') }),
  fault('jwt-key-rotation', { when: z.enum(['before-signing', 'after-signing', 'staged']) }),
  /** Signed as usual with the real key and kid, then one bit of the signature flipped. */
  fault('jwt-signature-invalid', {}),
  fault('jwt-expired', { by: duration.default('10m') }),
  fault('jwt-not-yet-valid', { by: duration.default('10m') }),
  fault('jwt-issued-in-future', { by: duration.default('10m') }),
  fault('jwt-claim-missing', {
    claim: z.enum(['iat', 'sub', 'exp', 'iss', 'aud', 'nonce', 'jti']),
  }),
  fault('jwt-wrong-claim', {
    claim: z.enum(['iss', 'aud', 'nonce', 'at_hash', 'sub']),
    value: z.string().min(1).optional(),
  }),
  fault('jwt-audiences-without-azp', {
    audience: z.string().min(1).default('https://other-client.example'),
  }),
  fault('jwt-psychic-signature', {}),
  fault('jwt-claim-type', { claim: z.enum(['exp', 'iat', 'nbf', 'sub', 'aud', 'iss']) }),
  fault('jwt-payload-not-object', { payload: z.enum(['array', 'string']) }),
  fault('jwt-issuer-variant', { variant: z.enum(['trailing-slash', 'prefix', 'suffix']) }),
  fault('jwt-crit', {
    name: z.string().min(1).max(100).default('urn:ssoproof:unknown-extension'),
  }),
  fault('jwt-b64-false', {}),
  fault('jwt-oversized', { bytes: z.number().int().min(1024).max(1_048_576).default(32_768) }),
  fault('jwt-replay', {}),
  /** `sub` (and, for a sign-in token, inSided's `id`) altered to look like another. */
  fault('jwt-subject-look-alike', lookAlikeShape),
  /** The token (or a `jwt-replay`) spelled another way after signing (tokens/respell.ts). */
  fault('jwt-reencoded', {
    part: z.enum(['header', 'payload', 'signature']).default('signature'),
    spelling: z.enum(['padding', 'unused-bits', 'ecdsa-twin']).default('unused-bits'),
  }),
  /**
   * Every protocol: the authentication context the IdP states (SAML AuthnContextClassRef, `acr`
   * and `amr`) is `weaker` (a password sign-in's, whatever happened) or `absent` (SAML's
   * `unspecified` class, no `acr`/`amr`), whatever the request asked and the user did; or
   * `amr-only`: tokens carry the `amr` of what the user did and no `acr` (as Okta and Entra ID
   * state a second factor), SAML the `unspecified` class.
   */
  fault('authn-context', { state: z.enum(['weaker', 'absent', 'amr-only']).default('weaker') }),
  // OIDC endpoints (idp/oidc).
  fault('oidc-userinfo-sub', { value: z.string().min(1).default('mallory') }),
  /**
   * The ID token of a refresh (OIDC Core §12.2) names another `sub`, `iss` or `aud` than the
   * first one: the client must notice that the session changed hands.
   */
  fault('oidc-refresh-claim', {
    claim: z.enum(['sub', 'iss', 'aud']),
    value: z.string().min(1).optional(),
  }),
  /**
   * Userinfo claims moved into a claim source (OIDC Core §5.6.2): aggregated (a JWT inside the
   * answer) or distributed (an endpoint and access token), signed by the IdP, `none`, or an
   * attacker's key.
   */
  fault('oidc-claim-sources', {
    delivery: z.enum(['aggregated', 'distributed']),
    claims: z.array(z.string().min(1)).min(1).default(['email']),
    signature: z.enum(['idp', 'none', 'untrusted']).default('idp'),
  }),
  /**
   * The logout token the IdP sends an OIDC client's back-channel logout URI, or a JWT SP's
   * sign-off URL, when the user's session ends (Back-Channel Logout §2.4): `alg: none`, an
   * algorithm the client did not register, another audience or issuer, no or another event, a
   * nonce, neither sub nor sid, another session's sid, expired, a broken signature, or the last
   * token sent to that party again.
   */
  fault('oidc-logout-token', {
    change: z.enum([
      'alg-none',
      'wrong-alg',
      'wrong-aud',
      'wrong-iss',
      'no-events',
      'wrong-events',
      'with-nonce',
      'no-sub-no-sid',
      'other-sid',
      'expired',
      'bad-signature',
      'replay',
    ]),
  }),
  /** The `state` an end_session answer carries back: another one, or none (RP-Initiated Logout §3). */
  fault('oidc-end-session-state', { answer: z.enum(['other', 'missing']).default('other') }),
  /** The authorization response's `iss` (RFC 9207): another issuer's (`value`), or none at all. */
  fault('oidc-authorization-iss', {
    answer: z.enum(['other', 'missing']).default('other'),
    value: z.string().min(1).optional(),
  }),
  z
    .object({
      kind: z.literal('oidc-discovery-issuer'),
      ...unscoped,
      value: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('jwks'),
      ...unscoped,
      answer: z.enum(['error', 'slow', 'malformed']),
      /** For `error`: the HTTP status. */
      status: z.number().int().min(400).max(599).default(500),
      /** For `slow`: how long the answer takes (real time, not the injected clock). */
      delayMs: z.number().int().positive().max(60_000).default(10_000),
    })
    .strict(),
])

export type Fault = z.output<typeof faultSchema>
export type FaultInput = z.input<typeof faultSchema>
export type FaultKind = Fault['kind']
export type FaultOf<K extends FaultKind> = Extract<Fault, { kind: K }>
