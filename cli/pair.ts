import type { Clock } from '../core/clock/index.ts'
import type { Credential } from '../core/keys/index.ts'
import type { Random } from '../core/random/index.ts'
import { bindings } from '../core/saml/constants.ts'
import { parseIdpMetadata } from '../core/saml/metadata.ts'
import { createIdp, type Idp } from '../idp/create-idp.tsx'
import type { SpRegistrationInput } from '../idp/service-providers/registration.ts'
import { registrationFromMetadata } from '../idp/service-providers/registry.ts'
import type { IdpUserInput } from '../idp/users/user.ts'
import { createSp, type Sp } from '../sp/create-sp.tsx'
import type { SpOptions } from '../sp/options.ts'

export interface PairOptions {
  idpBaseUrl: string
  spBaseUrl: string
  idpCredential: Credential
  spCredential: Credential
  users?: IdpUserInput[]
  clock?: Clock
  random?: Random
  log?: (line: string) => void
  /** Extra SP settings (skew, unsolicited, …). */
  sp?: Partial<Omit<SpOptions, 'baseUrl' | 'credential' | 'idp'>>
  /** The SP's outbound HTTP (artifact resolution at the IdP); default: global fetch. */
  spFetch?: typeof fetch
  /** Settings of the IdP's registration of the SP that metadata cannot say (e.g. responseBinding). */
  spRegistration?: Partial<SpRegistrationInput>
}

/**
 * The built-in IdP and reference SP, wired to each other the way a person would: the SP reads
 * the IdP's metadata (sign-on URL, certificate), the IdP registers the SP from its metadata.
 * `serve`, the tests and the scenario engine all start from here.
 */
export function createPair(options: PairOptions): { idp: Idp; sp: Sp } {
  const shared = {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
  }
  const idp = createIdp({
    baseUrl: options.idpBaseUrl,
    credential: options.idpCredential,
    ...(options.users ? { users: options.users } : {}),
    ...shared,
  })
  const idpMetadata = parseIdpMetadata(idp.metadata())
  const ssoUrl = idpMetadata.singleSignOnServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )?.location
  const sloUrl = idpMetadata.singleLogoutServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )?.location
  const artifactResolutionUrl = idpMetadata.artifactResolutionServices
    .filter((endpoint) => endpoint.binding === bindings.soap)
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0]?.location
  const sp = createSp({
    ...options.sp,
    ...shared,
    baseUrl: options.spBaseUrl,
    credential: options.spCredential,
    idp: {
      entityId: idpMetadata.entityId,
      ssoUrl: ssoUrl ?? '',
      certificates: idpMetadata.signingCertificates,
      ...(sloUrl ? { sloUrl } : {}),
      ...(artifactResolutionUrl ? { artifactResolutionUrl } : {}),
    },
    ...(options.spFetch ? { fetch: options.spFetch } : {}),
  })
  idp.context.serviceProviders.register(
    registrationFromMetadata(sp.metadata(), options.spRegistration),
  )
  return { idp, sp }
}
