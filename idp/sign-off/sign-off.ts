import type { IdpContext } from '../context.ts'
import { appendQuery } from '../jwt/return-url.ts'
import type { IdpSession, RelyingParty } from '../session/idp-sessions.ts'
import { postLogoutToken } from './back-channel.ts'
import { logoutToken } from './logout-token.ts'

/** How one party of an ended IdP session was (or could not be) signed off. */
export interface SignOffOutcome {
  protocol: 'saml' | 'oidc' | 'jwt'
  /** The SAML entity ID, OIDC client ID or JWT SP id. */
  party: string
  channel: 'saml-slo' | 'back-channel' | 'front-channel' | 'none'
  /**
   * `confirmed`: the party answered that it signed the user out; `failed`: it answered otherwise
   * or could not be reached; `requested`: the browser was asked to load its front-channel logout
   * URL, which answers nothing the IdP can read; `not-supported`: it registered no way to be
   * signed off.
   */
  outcome: 'confirmed' | 'failed' | 'requested' | 'not-supported'
  detail?: string
}

/** A front-channel logout URL the signed-out page loads in an iframe (Front-Channel Logout §2). */
export interface FrontChannelFrame {
  party: string
  url: string
}

export interface RelyingPartySignOff {
  outcomes: SignOffOutcome[]
  frames: FrontChannelFrame[]
}

/**
 * Single sign-off of the OIDC clients and JWT SPs of ended IdP sessions (SAML SPs go by single
 * logout, slo/). For each party, once, in the order it signed in:
 *   OIDC client with a backchannel_logout_uri   a logout token POSTed there now (Back-Channel Logout)
 *   OIDC client with a frontchannel_logout_uri  an iframe URL with iss and sid (Front-Channel Logout)
 *   JWT SP with a signOffUrl                    a logout token POSTed there now
 *   anything else                               not-supported: it cannot be told
 */
export async function signOffRelyingParties(
  ctx: IdpContext,
  sessions: readonly IdpSession[],
): Promise<RelyingPartySignOff> {
  const outcomes: SignOffOutcome[] = []
  const frames: FrontChannelFrame[] = []
  for (const session of sessions) {
    for (const party of session.relyingParties) {
      const result = await signOff(ctx, session, party)
      outcomes.push(...result.outcomes)
      frames.push(...result.frames)
    }
  }
  if (outcomes.length > 0) {
    ctx.options.log(
      `IdP single sign-off: ${outcomes.map((o) => `${o.party} ${o.channel} ${o.outcome}`).join('; ')}`,
    )
  }
  return { outcomes, frames }
}

async function signOff(
  ctx: IdpContext,
  session: IdpSession,
  party: RelyingParty,
): Promise<RelyingPartySignOff> {
  const base = { protocol: party.protocol, party: party.id }
  const subject = { sub: party.sub, sid: session.sid }
  if (party.protocol === 'jwt') {
    const sp = ctx.jwtServiceProviders.get(party.id)
    if (!sp?.signOffUrl) {
      return only({
        ...base,
        channel: 'none',
        outcome: 'not-supported',
        detail: 'no sign-off URL registered',
      })
    }
    const token = await logoutToken(ctx, { protocol: 'jwt', sp }, subject)
    return only({
      ...base,
      channel: 'back-channel',
      ...(await postLogoutToken(ctx, sp.signOffUrl, token)),
    })
  }
  const client = ctx.oidcClients.get(party.id)
  const result: RelyingPartySignOff = { outcomes: [], frames: [] }
  if (client?.backchannelLogoutUri) {
    const token = await logoutToken(ctx, { protocol: 'oidc', client }, subject)
    const answer = await postLogoutToken(ctx, client.backchannelLogoutUri, token)
    result.outcomes.push({ ...base, channel: 'back-channel', ...answer })
  }
  if (client?.frontchannelLogoutUri) {
    const url = appendQuery(new URL(client.frontchannelLogoutUri), {
      iss: ctx.options.issuer,
      sid: session.sid,
    })
    result.frames.push({ party: party.id, url })
    result.outcomes.push({ ...base, channel: 'front-channel', outcome: 'requested' })
  }
  if (result.outcomes.length === 0) {
    result.outcomes.push({
      ...base,
      channel: 'none',
      outcome: 'not-supported',
      detail: client ? 'no back- or front-channel logout URI registered' : 'no longer registered',
    })
  }
  return result
}

function only(outcome: SignOffOutcome): RelyingPartySignOff {
  return { outcomes: [outcome], frames: [] }
}

/** How a party will be signed off, as the logout page announces it before anything is sent. */
export function plannedChannels(
  ctx: IdpContext,
  protocol: 'oidc' | 'jwt',
  id: string,
): SignOffOutcome['channel'][] {
  if (protocol === 'jwt')
    return ctx.jwtServiceProviders.get(id)?.signOffUrl ? ['back-channel'] : ['none']
  const client = ctx.oidcClients.get(id)
  const channels: SignOffOutcome['channel'][] = [
    ...(client?.backchannelLogoutUri ? (['back-channel'] as const) : []),
    ...(client?.frontchannelLogoutUri ? (['front-channel'] as const) : []),
  ]
  return channels.length > 0 ? channels : ['none']
}
