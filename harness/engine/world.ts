import { createManualClock, type ManualClock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { Credential } from '../../core/keys/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import type { Idp } from '../../idp/create-idp.tsx'
import type { SpRegistrationInput } from '../../idp/service-providers/registration.ts'
import type { AgentSsoSettings } from '../../sp/agents/settings.ts'
import { createSp, type Sp } from '../../sp/create-sp.tsx'
import type { SpOptions } from '../../sp/options.ts'
import type { RequestHandler } from '../http-driver/user-agent.ts'
import { attachSp, createPair } from '../pair.ts'
import type { ProtocolName, ScenarioSetup } from './scenario-schema.ts'
import { TraceRecorder, tracedHandler } from './trace.ts'

export const defaultStartAt = '2030-01-01T12:00:00Z'

export interface WorldKeys {
  idp: Credential
  sp: Credential
}

export interface WorldOptions {
  protocol: ProtocolName
  setup: ScenarioSetup
  /** Seeds every identifier the IdP and SP draw, so a run can be repeated exactly. */
  seed: string
  keys: WorldKeys
  idpUrl: string
  spUrl: string
  /** Where `setup.otherSp` lives, when the scenario has one. */
  otherSpUrl?: string
}

/**
 * One scenario's universe: a fresh fake IdP and reference SP on one virtual clock, wired to
 * each other through metadata, configured for the scenario's protocol and setup. Nothing is
 * shared between worlds except the keys.
 */
export interface World {
  readonly clock: ManualClock
  readonly idp: Idp
  /** The current SP instance (a restart replaces it). */
  readonly sp: Sp
  /** A second reference SP of the same IdP (`setup.otherSp`), at `otherSpUrl`. */
  readonly otherSp: Sp | undefined
  readonly otherSpUrl: string | undefined
  readonly idpUrl: string
  readonly spUrl: string
  readonly trace: TraceRecorder
  /** Requests by origin, always reaching the current instances. */
  readonly handlers: Record<string, RequestHandler>
  readonly log: string[]
  /** A new SP instance over the same settings and data, as after a process restart. */
  restartSp(): void
  /**
   * A restart with changed SP settings. Settings the SP refuses at start leave the running
   * instance in place; the refusal is kept in `spStartRefused` (undefined after a good start).
   */
  restartSpWith(change: (options: SpOptions) => SpOptions): void
  readonly spStartRefused: SsoError | undefined
}

export function createWorld(options: WorldOptions): World {
  const { setup } = options
  const expiresIn = setup.idp.certificateExpiresIn ?? setup.agentSso?.certificateExpiresIn
  const clock = createManualClock(
    expiresIn !== undefined
      ? options.keys.idp.notAfter.getTime() - expiresIn
      : (setup.startAt ?? defaultStartAt),
  )
  const log: string[] = []
  const otherSpUrl = setup.otherSp !== undefined ? options.otherSpUrl : undefined
  const trace = new TraceRecorder(clock, {
    [options.idpUrl]: 'idp',
    [options.spUrl]: 'sp',
    ...(otherSpUrl !== undefined ? { [otherSpUrl]: 'other-sp' } : {}),
  })
  const sp = setup.sp
  // The SP's back channel to the IdP (artifact resolution) stays in-process and is traced too.
  let idpHandler: RequestHandler = () => new Response('the IdP is not up yet', { status: 503 })
  const spFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    if (new URL(request.url).origin === options.idpUrl) return idpHandler(request)
    throw new TypeError(`fetch failed: ${new URL(request.url).origin} is not part of this scenario`)
  }
  // The IdP's back channel to the SPs (back-channel logout, JWT sign-off), traced as well.
  const spHandlers: Record<string, RequestHandler> = {}
  const idpFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const handler = spHandlers[new URL(request.url).origin]
    if (handler) return handler(request)
    throw new TypeError(`fetch failed: ${new URL(request.url).origin} is not part of this scenario`)
  }
  const pair = createPair({
    idpBaseUrl: options.idpUrl,
    spBaseUrl: options.spUrl,
    idpCredential: options.keys.idp,
    spCredential: options.keys.sp,
    clock,
    random: createSeededRandom(options.seed),
    log: (line) => log.push(line),
    spFetch,
    idpFetch,
    spRegistration: protocolRegistration(options.protocol),
    ...(setup.idp.frameAncestors !== undefined
      ? {
          idpFrameAncestors: setup.idp.frameAncestors.map((source) =>
            source.replace('{sp}', options.spUrl).replace('{idp}', options.idpUrl),
          ),
        }
      : {}),
    ...tokenProtocol(options.protocol),
    ...oidcPairOf(setup, options.protocol),
    ...(sp.jwt !== undefined ? { jwt: sp.jwt } : {}),
    sp: {
      ...(setup.campaign !== undefined ? { campaign: setup.campaign } : {}),
      ...(setup.campaigns !== undefined ? { campaigns: setup.campaigns } : {}),
      ...(sp.sessionInactivity !== undefined ? { sessionInactivityMs: sp.sessionInactivity } : {}),
      ...(sp.clockSkew !== undefined ? { clockSkewMs: sp.clockSkew } : {}),
      ...(sp.allowUnsolicited !== undefined ? { allowUnsolicited: sp.allowUnsolicited } : {}),
      ...(sp.wantAssertionsSigned !== undefined
        ? { wantAssertionsSigned: sp.wantAssertionsSigned }
        : {}),
      ...(sp.wantResponseSigned !== undefined ? { wantResponseSigned: sp.wantResponseSigned } : {}),
      ...(sp.signAuthnRequests !== undefined ? { signAuthnRequests: sp.signAuthnRequests } : {}),
      ...(sp.wantAssertionsEncrypted !== undefined
        ? { wantAssertionsEncrypted: sp.wantAssertionsEncrypted }
        : {}),
      ...(setup.agentSso !== undefined ? { agentSso: agentSsoOf(setup.agentSso, options) } : {}),
      ...spOidcOf(setup, options),
    },
  })
  const { idp } = pair
  idpHandler = tracedHandler((request) => idp.app.fetch(request), trace)
  let current: Sp = pair.sp
  let spStartRefused: SsoError | undefined
  spHandlers[options.spUrl] = tracedHandler((request) => current.app.fetch(request), trace)
  const otherSp =
    setup.otherSp !== undefined && otherSpUrl !== undefined
      ? attachSp(idp, {
          spBaseUrl: otherSpUrl,
          spCredential: options.keys.sp,
          clock,
          random: createSeededRandom(`${options.seed}:other-sp`),
          log: (line) => log.push(line),
          spFetch,
          ...(setup.otherSp.protocol !== 'saml' ? { protocol: setup.otherSp.protocol } : {}),
          ...oidcClientOf(setup, options.protocol),
          sp: {
            ...(setup.otherSp.campaign !== undefined ? { campaign: setup.otherSp.campaign } : {}),
            ...(setup.otherSp.campaigns !== undefined
              ? { campaigns: setup.otherSp.campaigns }
              : {}),
          },
        })
      : undefined
  if (otherSp && otherSpUrl !== undefined) {
    spHandlers[otherSpUrl] = tracedHandler((request) => otherSp.app.fetch(request), trace)
  }

  for (const user of setup.users) idp.users.put(user)
  if (setup.idp.faults) idp.faults.addAll(setup.idp.faults, 'setup.idp.faults')
  const registered = idp.serviceProviders.get(current.config.entityId)
  if (!registered) throw new Error('the SP did not register at the IdP')
  const idpSetup = setup.idp
  idp.serviceProviders.register({
    ...registered,
    ...(idpSetup.signResponse !== undefined ? { signResponse: idpSetup.signResponse } : {}),
    ...(idpSetup.signAssertion !== undefined ? { signAssertion: idpSetup.signAssertion } : {}),
    ...(idpSetup.nameIdFormat !== undefined ? { nameIdFormat: idpSetup.nameIdFormat } : {}),
    ...(idpSetup.assertionLifetime !== undefined
      ? { assertionLifetimeSeconds: Math.max(1, Math.round(idpSetup.assertionLifetime / 1000)) }
      : {}),
    ...(idpSetup.allowIdpInitiated !== undefined
      ? { allowIdpInitiated: idpSetup.allowIdpInitiated }
      : {}),
    ...(idpSetup.encryptAssertion !== undefined
      ? { encryptAssertion: idpSetup.encryptAssertion }
      : {}),
    ...(idpSetup.encryptionAlgorithm !== undefined
      ? { encryptionAlgorithm: idpSetup.encryptionAlgorithm }
      : {}),
  })

  return {
    clock,
    idp,
    get sp() {
      return current
    },
    otherSp,
    otherSpUrl,
    idpUrl: options.idpUrl,
    spUrl: options.spUrl,
    trace,
    log,
    handlers: {
      [options.idpUrl]: (request) => idp.app.fetch(request),
      [options.spUrl]: (request) => current.app.fetch(request),
      ...(otherSp && otherSpUrl !== undefined
        ? { [otherSpUrl]: (request: Request) => otherSp.app.fetch(request) }
        : {}),
    },
    // A new SP process over the same database: sessions, contacts and transcripts persist.
    restartSp() {
      current = createSp({ ...current.options, database: current.database })
    },
    restartSpWith(change) {
      try {
        current = createSp({ ...change(current.options), database: current.database })
        spStartRefused = undefined
      } catch (error) {
        if (!(error instanceof SsoError)) throw error
        spStartRefused = error
      }
    },
    get spStartRefused() {
      return spStartRefused
    },
  }
}

/**
 * The scenario's agent SSO sites for the SP: the run's protocol unless a site names its own
 * (OIDC has no agent SSO: SAML), `{sp}` and `{idp}` in page URLs replaced, the certificates it
 * names (`other`: the SP's, which the IdP never signs with); `createPair` adds the built-in
 * IdP's login page, issuer and, unless named, certificate.
 */
function agentSsoOf(
  setup: NonNullable<ScenarioSetup['agentSso']>,
  options: WorldOptions,
): AgentSsoSettings {
  const url = (text: string | undefined) =>
    text?.replaceAll('{sp}', options.spUrl).replaceAll('{idp}', options.idpUrl)
  return {
    sites: setup.sites.map(({ logoutUrl, loginErrorUrl, certificates, ...site }) => ({
      ...site,
      ...(certificates !== undefined
        ? {
            certificate: certificates.map(
              (which) => options.keys[which === 'idp' ? 'idp' : 'sp'].certificatePem,
            ),
          }
        : {}),
      protocol: site.protocol ?? (options.protocol === 'jwt' ? 'jwt' : 'saml'),
      ...(logoutUrl !== undefined ? { logoutUrl: url(logoutUrl) } : {}),
      ...(loginErrorUrl !== undefined ? { loginErrorUrl: url(loginErrorUrl) } : {}),
    })),
    agents: setup.agents,
  }
}

/** The OIDC client registration the scenario asks for, and form_post under `oidc-form-post`. */
function oidcClientOf(setup: ScenarioSetup, protocol: ProtocolName) {
  if (setup.idp.oidcClient === undefined && protocol !== 'oidc-form-post') return {}
  return {
    oidc: {
      ...setup.idp.oidcClient,
      ...(protocol === 'oidc-form-post' ? { responseMode: 'form_post' as const } : {}),
    },
  }
}

/**
 * What both ends of the root connection's OIDC pairing agree on: the IdP's client registration the scenario asks
 * for, `sp.oidc`'s mode, names, client authentication and discovery, and form_post under
 * `oidc-form-post`.
 */
function oidcPairOf(setup: ScenarioSetup, protocol: ProtocolName) {
  const { authorizationUrl, tokenUrl, userinfoUrl, clientSecret, ...agreed } = setup.sp.oidc ?? {}
  const registration = oidcClientOf(setup, protocol)
  if (setup.sp.oidc === undefined) return registration
  // Names the IdP registration gives itself win at the IdP; sp.oidc's then reach the SP only.
  return { oidc: { ...agreed, ...registration.oidc } }
}

/** The SP's own OIDC settings over the pairing's: explicit endpoints (`{idp}`, `{sp}` replaced), a client secret. */
function spOidcOf(setup: ScenarioSetup, options: WorldOptions) {
  const oidc = setup.sp.oidc
  if (oidc === undefined) return {}
  const idpNames = setup.idp.oidcClient
  const url = (text: string) =>
    text.replaceAll('{sp}', options.spUrl).replaceAll('{idp}', options.idpUrl)
  const own = {
    ...(oidc.authorizationUrl !== undefined
      ? { authorizationUrl: url(oidc.authorizationUrl) }
      : {}),
    ...(oidc.tokenUrl !== undefined ? { tokenUrl: url(oidc.tokenUrl) } : {}),
    ...(oidc.userinfoUrl !== undefined ? { userinfoUrl: url(oidc.userinfoUrl) } : {}),
    ...(oidc.clientSecret !== undefined ? { clientSecret: oidc.clientSecret } : {}),
    ...(idpNames?.parameterNames !== undefined && oidc.parameterNames !== undefined
      ? { parameterNames: oidc.parameterNames }
      : {}),
    ...(idpNames?.claimNames !== undefined && oidc.claimNames !== undefined
      ? { claimNames: oidc.claimNames }
      : {}),
  }
  return Object.keys(own).length > 0 ? { oidc: own } : {}
}

/** The protocol createPair wires the root campaign with (SAML is always wired as well). */
function tokenProtocol(protocol: ProtocolName): { protocol?: 'jwt' | 'oidc' } {
  if (protocol === 'jwt') return { protocol }
  if (protocol === 'oidc' || protocol === 'oidc-form-post') return { protocol: 'oidc' }
  return {}
}

/** What the IdP's registration of the SP looks like under each protocol. */
function protocolRegistration(protocol: ProtocolName): Partial<SpRegistrationInput> {
  switch (protocol) {
    case 'saml-post':
      return {}
    case 'saml-artifact':
      return { responseBinding: 'artifact' }
    // SAML stays wired beside JWT and OIDC; the scenario signs in with the named protocol.
    case 'jwt':
    case 'oidc':
    case 'oidc-form-post':
      return {}
  }
}
