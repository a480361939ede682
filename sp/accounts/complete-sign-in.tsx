import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { newToken } from '../../core/random/index.ts'
import type { SpContext } from '../context.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import { accountKeyOf, linkOf } from './account-key.ts'
import { externalIdOf } from './external-id.ts'
import { mapProfile } from './map-profile.ts'
import type { PendingSignIn } from './pending-sign-in.ts'

/**
 * Every protocol ends here once its checks accepted a sign-in. In order: the campaign's data
 * mapping (a required attribute missing refuses the sign-in); the external ID (external-id.ts: a
 * transient NameID needs an attribute mapped to `id`); a browser already signed in as someone
 * else is refused until it signs out; then inSided's account rules: match by (issuer, external
 * ID), create on the first sign-on (asking for an email and a username once when the campaign
 * needs them and the IdP sent none: profile-questions.tsx), sync later ones, refuse an email
 * owned by another account (unless the campaign links accounts made before SSO by verified
 * email). Only then does the session start and the visitor go back to `returnPath`.
 */
export function completeSignIn(
  ctx: SpContext,
  c: Context,
  subject: SignedInSubject,
  returnPath: string,
  extra: { idToken?: string; refreshToken?: string } = {},
): Response {
  const mapping = mapProfile(ctx.campaign.mappings, subject.attributes, subject.friendlyNames)
  ctx.diagnostics?.hooks.signedIn(c, subject, mapping)
  const required = mapping.missing.filter((missing) => missing.required)
  if (required.length > 0) {
    const names = required.map((missing) => missing.attribute)
    const similar = required.flatMap((missing) => missing.nearMisses)
    throw new SsoError(
      'SP_REQUIRED_ATTRIBUTE_MISSING',
      'data mapping',
      `the IdP did not send the required attribute${names.length > 1 ? 's' : ''} ${names.join(', ')}${similar.length > 0 ? `; it sent ${similar.join(', ')}: map that name instead?` : ''}`,
      { attributes: names, ...(similar.length > 0 ? { sentUnderAnotherName: similar } : {}) },
    )
  }
  const externalId = externalIdOf(subject, mapping)
  const key = accountKeyOf(ctx.campaign, subject, externalId)
  const current = ctx.sessions.peek(getCookie(c, ctx.cookies.session))
  const currentContact =
    current?.contactId === undefined ? undefined : ctx.contacts.get(current.contactId)
  if (
    current &&
    (currentContact?.externalId !== key.externalId || currentContact.issuer !== key.issuer)
  ) {
    throw new SsoError(
      'SP_ALREADY_SIGNED_IN',
      'session',
      'this browser is already signed in as another person; sign out first',
      {},
    )
  }
  const pending: PendingSignIn = {
    subject,
    key,
    mapping,
    returnPath,
    ...(extra.idToken !== undefined ? { idToken: extra.idToken } : {}),
    ...(extra.refreshToken !== undefined ? { refreshToken: extra.refreshToken } : {}),
  }
  return askOrFinish(ctx, c, pending)
}

/** The profile question a first sign-on still has to ask, if any (email first, then username). */
export function nextQuestion(
  ctx: SpContext,
  pending: PendingSignIn,
): 'email' | 'username' | undefined {
  const { accounts } = ctx.campaign
  const { profile } = pending.mapping
  // The stored account is read only when a field is required and the IdP did not send it.
  const known = () => ctx.contacts.find(pending.key)
  if (accounts.requireEmail && profile.email === undefined && known()?.email === undefined) {
    return 'email'
  }
  if (
    accounts.requireUsername &&
    profile.username === undefined &&
    known()?.username === undefined
  ) {
    return 'username'
  }
  return undefined
}

/**
 * Parks the sign-in behind the next profile question (sealed with a fresh sign-in cookie), or,
 * with nothing left to ask, starts the session.
 */
export function askOrFinish(ctx: SpContext, c: Context, pending: PendingSignIn): Response {
  const question = nextQuestion(ctx, pending)
  if (question === undefined) return finishSignIn(ctx, c, pending)
  // Refuse a clashing email or username now rather than after the visitor answered.
  const link = pending.emailTyped ? undefined : linkOf(ctx.campaign, pending.subject)
  ctx.contacts.assertAvailable(pending.key, pending.mapping.profile, link)
  const token = newToken(ctx.options.random)
  ctx.pendingSignIns.set(
    token,
    pending,
    ctx.options.clock.now() + ctx.options.pendingRequestLifetimeMs,
  )
  setCookie(c, ctx.cookies.signIn, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: ctx.options.baseUrl.startsWith('https:'),
  })
  return c.redirect(`${ctx.pathPrefix}/account/${question}`, 303)
}

function finishSignIn(ctx: SpContext, c: Context, pending: PendingSignIn): Response {
  const { options } = ctx
  const contact = ctx.contacts.signOn({
    key: pending.key,
    profile: pending.mapping.profile,
    at: options.clock.now(),
    link: pending.emailTyped ? undefined : linkOf(ctx.campaign, pending.subject),
  })
  const sessionToken = ctx.sessions.create(pending.subject, {
    contactId: contact.id,
    missingAttributes: pending.mapping.missing.map(({ attribute, field }) => ({
      attribute,
      field,
    })),
    ...(pending.idToken !== undefined && ctx.oidc ? { idToken: pending.idToken } : {}),
    ...(pending.refreshToken !== undefined && ctx.oidc
      ? { refreshToken: pending.refreshToken }
      : {}),
  })
  setCookie(c, ctx.cookies.session, sessionToken, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: options.baseUrl.startsWith('https:'),
  })
  for (const name of [ctx.cookies.pending, ctx.cookies.signIn]) deleteCookie(c, name, { path: '/' })
  for (const listener of ctx.signInListeners) listener(c, { contact, sessionToken })
  return c.redirect(pending.returnPath, 303)
}
