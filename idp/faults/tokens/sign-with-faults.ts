import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import {
  CompactSign,
  exportJWK,
  FlattenedSign,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose'
import { type JwtSigner, signJwt } from '../../../core/jwt/sign.ts'
import type { IdpContext } from '../../context.ts'
import { type RingAlgorithm, ringAlgorithms } from '../../keys/key-ring.ts'
import type { FaultTarget } from '../fault-set.ts'
import type { FaultOf } from '../schema.ts'
import { respell } from './respell.ts'
import { type ClaimFault, shapeClaims } from './shape-claims.ts'

/** Faults in how a token is signed: the first one that applies wins. */
const signingFaultKinds = [
  'jwt-alg-none',
  'jwt-hs256-public-key',
  'jwt-header-key',
  'jwt-kid-missing',
  'jwt-kid-unknown',
  'jwt-key-rotation',
  'jwt-psychic-signature',
  'jwt-payload-not-object',
  'jwt-crit',
  'jwt-b64-false',
  'jwt-signature-invalid',
] as const

/** Faults in what a token says (shape-claims.ts). */
const claimFaultKinds = [
  'jwt-expired',
  'jwt-not-yet-valid',
  'jwt-issued-in-future',
  'jwt-claim-missing',
  'jwt-wrong-claim',
  'jwt-audiences-without-azp',
  'jwt-claim-type',
  'jwt-issuer-variant',
  'jwt-oversized',
  'jwt-subject-look-alike',
] as const satisfies readonly ClaimFault['kind'][]

/** The faults that shape a JWT sign-in token or an ID token (`jwt-replay` aside). */
export const tokenFaultKinds = [...signingFaultKinds, ...claimFaultKinds] as const

type SigningFault = FaultOf<(typeof signingFaultKinds)[number]>

const isClaimFault = (fault: { kind: string }): fault is ClaimFault =>
  (claimFaultKinds as readonly string[]).includes(fault.kind)

export interface TokenToSign {
  claims: JWTPayload
  /** The honest signer, asked for after any key rotation a fault makes. */
  signer: () => Promise<JwtSigner>
  /** `jwt`: a sign-in token (the inSided `id` names the user too); `oidc`: an ID token. */
  protocol: 'jwt' | 'oidc'
}

/**
 * The IdP's hook into token issuance (jwt/issue-token.ts, oidc/id-token.ts): signs the claims,
 * first changed by the claim faults that apply to this SP and user, then signed as the first
 * signing fault says. Honest signing goes through jose; only `alg: none` (jose's UnsecuredJWT)
 * and the r = s = 0 ES256 signature are written by hand. `jwt-replay` sends the token last
 * issued to this SP (of this protocol) again instead, when there is one. `jwt-reencoded` then
 * spells what goes out another way (the IdP remembers the token as signed).
 */
export async function signWithFaults(
  ctx: IdpContext,
  target: FaultTarget,
  token: TokenToSign,
): Promise<string> {
  const delivery = `${token.protocol} ${target.sp ?? ''}`
  const previous = ctx.faults.previousToken(delivery)
  const spelled = (signed: string) => {
    const [fault] = ctx.faults.take(spellingKinds, target)
    return fault ? respell(signed, fault) : signed
  }
  if (previous !== undefined && ctx.faults.take(replayKinds, target).length > 0) {
    return spelled(previous)
  }
  const faults = ctx.faults.take(tokenFaultKinds, target)
  const signed =
    faults.length === 0
      ? await signJwt(token.claims, await token.signer())
      : await forge(
          ctx,
          shapeClaims(
            token.claims,
            faults.filter(isClaimFault),
            token.protocol,
            Math.floor(ctx.options.clock.now() / 1000),
          ),
          faults.find((fault): fault is SigningFault => !isClaimFault(fault)),
          token.signer,
        )
  ctx.faults.rememberToken(delivery, signed)
  return spelled(signed)
}

const replayKinds = ['jwt-replay'] as const
const spellingKinds = ['jwt-reencoded'] as const

async function forge(
  ctx: IdpContext,
  claims: JWTPayload,
  fault: SigningFault | undefined,
  honest: () => Promise<JwtSigner>,
): Promise<string> {
  switch (fault?.kind) {
    case 'jwt-alg-none':
      return new UnsecuredJWT(claims).encode()
    case 'jwt-hs256-public-key': {
      // Algorithm confusion (catalogue item 20): the RSA public key, as PEM, as the HMAC secret.
      const rsa = await ctx.keys.signer('RS256')
      const pem = createPublicKey(rsa.key as KeyObject).export({ type: 'spki', format: 'pem' })
      return signJwt(claims, {
        alg: 'HS256',
        ...(rsa.kid ? { kid: rsa.kid } : {}),
        key: Buffer.from(pem),
      })
    }
    case 'jwt-header-key':
      return withHeaderKey(ctx, claims, fault.header, (await honest()).alg)
    case 'jwt-kid-missing': {
      const { alg, key } = await honest()
      return signJwt(claims, { alg, key })
    }
    case 'jwt-kid-unknown':
      return signJwt(claims, { ...(await honest()), kid: fault.value })
    case 'jwt-key-rotation':
      return rotated(ctx, claims, fault.when, honest)
    case 'jwt-psychic-signature': {
      // CVE-2022-21449: an ES256 signature whose r and s are both zero.
      const { kid } = await ctx.keys.signer('ES256')
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
      const header = { alg: 'ES256', typ: 'JWT', ...(kid ? { kid } : {}) }
      return `${part(header)}.${part(claims)}.${Buffer.alloc(64).toString('base64url')}`
    }
    case 'jwt-payload-not-object': {
      // Catalogue item 23: a signed JSON text that is not a claims set (RFC 7519 §7.2 step 10).
      const json = JSON.stringify(claims)
      const payload = fault.payload === 'array' ? `[${json}]` : JSON.stringify(json)
      const { alg, kid, key } = await honest()
      return new CompactSign(new TextEncoder().encode(payload))
        .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
        .sign(key)
    }
    case 'jwt-crit': {
      // Catalogue item 27: an extension the receiver must understand (RFC 7515 §4.1.11).
      const { alg, kid, key } = await honest()
      return new SignJWT(claims)
        .setProtectedHeader({
          alg,
          typ: 'JWT',
          ...(kid ? { kid } : {}),
          crit: [fault.name],
          [fault.name]: true,
        })
        .sign(key, { crit: { [fault.name]: true } })
    }
    case 'jwt-b64-false':
      return unencodedPayload(claims, await honest())
    case 'jwt-signature-invalid':
      return withBrokenSignature(await signJwt(claims, await honest()))
    default:
      return signJwt(claims, await honest())
  }
}

/**
 * Catalogue item 27, RFC 7797: `b64: false` (critical), so the payload is signed as it stands.
 * It stands as the base64url of the claims, which leaves the signing input byte for byte that of
 * an ordinary token: a receiver ignoring `crit` and `b64` reads valid claims and a valid
 * signature; one honouring `b64` reads a payload that is not JSON.
 */
async function unencodedPayload(claims: JWTPayload, signer: JwtSigner): Promise<string> {
  const text = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const jws = await new FlattenedSign(new TextEncoder().encode(text))
    .setProtectedHeader({
      alg: signer.alg,
      typ: 'JWT',
      ...(signer.kid ? { kid: signer.kid } : {}),
      b64: false,
      crit: ['b64'],
    })
    .sign(signer.key)
  // jose leaves an unencoded payload out of `payload`: it goes in as it was signed.
  return `${jws.protected}.${text}.${jws.signature}`
}

/**
 * Catalogue item 21: a token that carries or points at its own key, signed with an attacker's
 * key (RSA, or P-256 when the SP expects ES256).
 */
async function withHeaderKey(
  ctx: IdpContext,
  claims: JWTPayload,
  header: 'jwk' | 'jku' | 'x5u' | 'x5c',
  honestAlg: string,
): Promise<string> {
  const attacker = await ctx.faults.credential('untrusted')
  const ec = honestAlg === 'ES256' && header !== 'x5c'
  const privateKey = ec
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    : attacker.privateKey
  const alg = ec ? 'ES256' : 'RS256'
  const parameters: JWTHeaderParameters = { alg, typ: 'JWT' }
  if (header === 'jwk') parameters.jwk = await publicJwk(privateKey)
  if (header === 'jku')
    Object.assign(parameters, { kid: 'attacker', jku: 'https://evil.example/jwks.json' })
  if (header === 'x5u') parameters.x5u = 'https://evil.example/certificate.pem'
  if (header === 'x5c') parameters.x5c = [attacker.certificateBase64]
  return new SignJWT(claims).setProtectedHeader(parameters).sign(privateKey)
}

async function publicJwk(privateKey: KeyObject) {
  const { kty, n, e, crv, x, y } = await exportJWK(createPublicKey(privateKey))
  return kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y }
}

/**
 * A token signed as usual — the real key, its real `kid`, the client's algorithm (RS256, ES256,
 * or HS256 with the client secret) — whose signature then loses one bit: nothing but the
 * signature check can tell it from a good one (OIDF rp-id_token-bad-sig-*).
 */
function withBrokenSignature(token: string): string {
  const [header, payload, signature] = token.split('.')
  const bytes = Buffer.from(signature ?? '', 'base64url')
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01
  return `${header}.${payload}.${bytes.toString('base64url')}`
}

/**
 * Catalogue item 30. `before-signing`: a new key signs the token, published in the JWKS but
 * new to the SP (it must fetch the JWKS again). `after-signing`: the key that signed the token is
 * rotated out and retired at once, so the SP finds its kid nowhere. `staged` (publish first, sign
 * later): the first token it shapes is signed as usual while a next key is published; the next
 * one is signed with that key, which an SP that refreshed its key set in between already has.
 */
async function rotated(
  ctx: IdpContext,
  claims: JWTPayload,
  when: 'before-signing' | 'after-signing' | 'staged',
  honest: () => Promise<JwtSigner>,
): Promise<string> {
  const first = await honest()
  if (!ringAlgorithms.includes(first.alg as RingAlgorithm)) return signJwt(claims, first)
  const alg = first.alg as RingAlgorithm
  if (when === 'staged') {
    if ((await ctx.keys.staged(alg)) === undefined) {
      await ctx.keys.stage(alg)
      return signJwt(claims, first)
    }
    await ctx.keys.rotate(alg)
    return signJwt(claims, await honest())
  }
  if (when === 'before-signing') {
    await ctx.keys.rotate(alg)
    return signJwt(claims, await honest())
  }
  const token = await signJwt(claims, first)
  await ctx.keys.rotate(alg)
  if (first.kid) await ctx.keys.retire(first.kid)
  return token
}
