import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'
import { newToken } from '../../core/random/index.ts'
import type { SpContext } from '../context.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import { externalIdOf } from './external-id.ts'
import { mapProfile } from './map-profile.ts'
import type { PendingSignIn } from './pending-sign-in.ts'

/**
 * Every protocol ends here once its checks accepted a sign-in. In order: the campaign's data
 * mapping (a required attribute missing refuses the sign-in); the external ID (external-id.ts: a
 * transient NameID needs an attribute mapped to `id`); a browser already signed in as someone
 * else is refused until it signs out; then inSided's account rules: match by external ID,
 * create on the first sign-on (asking for a username once when the campaign needs one and the
 * IdP sent none), sync later ones, refuse an email owned by another account. Only then does the
 * session start and the visitor go back to `returnPath`.
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
  const current = ctx.sessions.peek(getCookie(c, ctx.cookies.session))
  const currentContact =
    current?.contactId === undefined ? undefined : ctx.contacts.get(current.contactId)
  if (current && currentContact?.externalId !== externalId) {
    throw new SsoError(
      'SP_ALREADY_SIGNED_IN',
      'session',
      'this browser is already signed in as another person; sign out first',
      {},
    )
  }
  const pending: PendingSignIn = {
    subject,
    externalId,
    mapping,
    returnPath,
    ...(extra.idToken !== undefined ? { idToken: extra.idToken } : {}),
    ...(extra.refreshToken !== undefined ? { refreshToken: extra.refreshToken } : {}),
  }
  if (
    ctx.campaign.accounts.requireUsername &&
    mapping.profile.username === undefined &&
    ctx.contacts.findByExternalId(externalId)?.username === undefined
  ) {
    // Refuse a clashing email now rather than after the visitor chose a username.
    ctx.contacts.assertAvailable(externalId, mapping.profile)
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
    return c.redirect(`${ctx.pathPrefix}/account/username`, 303)
  }
  return finishSignIn(ctx, c, pending)
}

function finishSignIn(ctx: SpContext, c: Context, pending: PendingSignIn): Response {
  const { options } = ctx
  const contact = ctx.contacts.signOn({
    externalId: pending.externalId,
    issuer: pending.subject.issuer,
    profile: pending.mapping.profile,
    at: options.clock.now(),
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

const usernamePattern = /^[A-Za-z0-9._-]{2,40}$/

/** GET and POST /account/username: the one question a first sign-on without a username asks. */
export async function handleUsernamePrompt(ctx: SpContext, c: Context): Promise<Response> {
  const cookie = getCookie(c, ctx.cookies.signIn)
  const pending = ctx.pendingSignIns.get(cookie)
  if (!cookie || !pending) {
    throw new SsoError('SP_SIGN_IN_EXPIRED', 'sign-in', 'no sign-in is waiting for a username', {})
  }
  c.header('Cache-Control', 'no-store')
  if (c.req.method !== 'POST') return c.html(<UsernamePage />)
  const form = await c.req.parseBody()
  const username = typeof form.username === 'string' ? form.username.trim() : ''
  const refuse = (error: SsoError) =>
    c.html(<UsernamePage username={username} error={error} />, 400)
  if (!usernamePattern.test(username)) {
    return refuse(
      new SsoError(
        'SP_ACCOUNT_USERNAME_INVALID',
        'username',
        'choose 2 to 40 letters, digits, ".", "_" or "-"',
        {},
      ),
    )
  }
  if (ctx.contacts.usernameTaken(username, pending.externalId)) {
    return refuse(
      new SsoError(
        'SP_ACCOUNT_USERNAME_TAKEN',
        'username',
        'another account already uses this username',
        {},
      ),
    )
  }
  ctx.pendingSignIns.delete(cookie)
  return finishSignIn(ctx, c, {
    ...pending,
    mapping: { ...pending.mapping, profile: { ...pending.mapping.profile, username } },
  })
}

function UsernamePage(props: { username?: string; error?: SsoError }) {
  return (
    <Layout title="Choose a username" side="SP">
      <h1>One more thing</h1>
      <p>This is your first sign-in here. Choose the username other people will see.</p>
      {props.error ? (
        <p class="error" id="username-error">
          {props.error.reason} <code id="error-code">{props.error.code}</code>
        </p>
      ) : null}
      <form method="post" id="username-form">
        <label for="username">Username</label>
        <input type="text" id="username" name="username" value={props.username ?? ''} required />
        <p>
          <button type="submit">Continue</button>
        </p>
      </form>
    </Layout>
  )
}
