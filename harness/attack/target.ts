import { parseConfig } from '../../core/config/parse-config.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { Idp } from '../../idp/create-idp.tsx'
import type { JwtSpRegistrationInput } from '../../idp/jwt/registration.ts'
import type { OidcClientInput } from '../../idp/oidc/clients.ts'
import {
  readMetadataSource,
  registrationFromMetadata,
} from '../../idp/service-providers/from-metadata.ts'
import {
  defaultAcs,
  type SpRegistrationInput,
  spRegistrationSchema,
} from '../../idp/service-providers/registration.ts'
import type { ProtocolName } from '../engine/scenario-schema.ts'

/** The user's SP as the attack IdP knows it: how it is registered and how a sign-in starts. */
export type AttackTarget = (
  | {
      protocol: 'saml'
      registration: SpRegistrationInput
      /** Where responses go: the HTTP-POST ACS (HTTP-Artifact: SAMLart goes there too). */
      acsUrl: string
      binding: 'post' | 'artifact'
    }
  | { protocol: 'jwt'; registration: JwtSpRegistrationInput; returnUrl: string }
  | { protocol: 'oidc'; registration: OidcClientInput; redirectUri: string }
) & {
  /** The SP's login URL (SP-initiated); absent: IdP-initiated (SAML, JWT). */
  startUrl?: string | undefined
}

export type SamlTarget = Extract<AttackTarget, { protocol: 'saml' }>

/**
 * A SAML target from the SP's metadata (a URL or a file): its registration, with `overrides`
 * beside it, and the HTTP-POST ACS responses go to (CONFIG_INVALID when it has none).
 */
export async function samlTargetFromMetadata(
  source: string,
  options: {
    binding: 'post' | 'artifact'
    startUrl?: string | undefined
    overrides?: Partial<SpRegistrationInput>
  },
): Promise<SamlTarget> {
  const registration = registrationFromMetadata(await readMetadataSource(source), {
    responseBinding: options.binding,
    ...options.overrides,
  })
  const acs = defaultAcs(parseConfig(spRegistrationSchema, registration, 'spMetadata'))
  if (!acs) throw new SsoError('CONFIG_INVALID', 'metadata', 'the SP metadata has no HTTP-POST ACS')
  return {
    protocol: 'saml',
    binding: options.binding,
    acsUrl: acs.location,
    startUrl: options.startUrl,
    registration,
  }
}

/** The catalogue's protocol name for this target. */
export function protocolOf(target: AttackTarget): ProtocolName {
  if (target.protocol === 'saml') return target.binding === 'post' ? 'saml-post' : 'saml-artifact'
  return target.protocol
}

/** The id the IdP knows the target by: SAML entity ID, JWT SP id or OIDC client ID. */
export function targetId(target: AttackTarget): string {
  if (target.protocol === 'saml') return target.registration.entityId
  if (target.protocol === 'jwt') return target.registration.id
  return target.registration.clientId
}

/** Registers the target at the IdP (CONFIG_INVALID naming the setting when a value is bad). */
export function registerTarget(idp: Idp, target: AttackTarget): void {
  if (target.protocol === 'saml') idp.serviceProviders.register(target.registration)
  else if (target.protocol === 'jwt') idp.jwtServiceProviders.register(target.registration)
  else idp.oidcClients.register(target.registration)
}

/** Where a sign-in starts: the SP's login URL, or the IdP's own unsolicited sign-in. */
export function startUrlOf(idp: Idp, target: AttackTarget): string | undefined {
  if (target.startUrl) return target.startUrl
  const { urls } = idp.config
  if (target.protocol === 'saml') {
    return `${urls.idpInitiated}?${new URLSearchParams({ sp: target.registration.entityId })}`
  }
  if (target.protocol === 'jwt') {
    const query = new URLSearchParams({ return_url: target.returnUrl, sp: target.registration.id })
    return `${urls.jwtLogin}?${query}`
  }
  return undefined
}

/**
 * A message no SP may accept, sent straight to where the SP receives sign-ins: if the success
 * signal matches it, the signal cannot tell acceptance from refusal.
 */
export function garbageDelivery(target: AttackTarget): {
  url: string
  form?: Record<string, string>
} {
  if (target.protocol === 'saml') {
    const xml = '<ssoproof-garbage>not a SAML Response</ssoproof-garbage>'
    return { url: target.acsUrl, form: { SAMLResponse: Buffer.from(xml).toString('base64') } }
  }
  if (target.protocol === 'jwt') {
    const url = new URL(target.returnUrl)
    url.searchParams.set('token', 'ssoproof.garbage.token')
    return { url: url.toString() }
  }
  const url = new URL(target.redirectUri)
  url.searchParams.set('code', 'ssoproof-garbage-code')
  url.searchParams.set('state', 'ssoproof-garbage-state')
  return { url: url.toString() }
}
