import { hash, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { SsoError } from '../../errors/index.ts'
import { newToken, type Random } from '../../random/index.ts'
import { responseText } from '../response-text.ts'

/**
 * The form token (a double-submit token, OWASP CSRF cheat sheet): a random value in an httpOnly
 * cookie, and its digest in a hidden field of every POST form the app serves. Another site can
 * make the browser send the cookie but can read neither it nor the page, so it cannot fill in
 * the field; the page holds only the digest, so a page that leaks (a cache, a screenshot) does
 * not give the cookie away. One cookie for the IdP and the SP: ports of one host share cookies,
 * so two names would buy nothing, and one value spares a browser tokens that overwrite each other.
 */
export const formTokenCookie = 'ssoproof_form_token'
export const formTokenField = 'form_token'

const tokenPattern = /^[A-Za-z0-9_-]{32}$/

/** The value the forms of a browser whose cookie holds `cookie` carry. */
export function formTokenFor(cookie: string): string {
  // One-shot: the same SHA-256, without a Hash object per page.
  return hash('sha256', `ssoproof form token\0${cookie}`, 'base64url')
}

/** A POST from a browser carries the form token of the page it was sent from. */
export async function checkFormToken(c: Context): Promise<void> {
  const cookie = getCookie(c, formTokenCookie)
  // From Hono's body cache (read-body.ts filled it): the route reads the same form again there,
  // and the Request itself stays unread for mounted apps (their body cap).
  const form = await c.req.parseBody()
  const sent = form[formTokenField]
  if (cookie !== undefined && tokenPattern.test(cookie) && typeof sent === 'string') {
    const a = Buffer.from(sent)
    const b = Buffer.from(formTokenFor(cookie))
    if (a.length === b.length && timingSafeEqual(a, b)) return
  }
  throw new SsoError(
    'FORM_TOKEN_INVALID',
    'form token',
    "the form carries no token, or not this browser's: it was not sent from this server's page",
    {
      cookie: cookie === undefined ? 'absent' : 'present',
      field: typeof sent === 'string' ? 'present' : 'absent',
    },
  )
}

/**
 * Adds the form token to every POST form of an HTML answer that posts back to this origin, so
 * no page can forget it; a form that posts elsewhere (the SAML POST binding's self-submitting
 * form) never carries it. Sets the cookie when the browser has none yet.
 */
export async function addFormTokens(
  c: Context,
  options: { random: Random; ownOrigins: ReadonlySet<string> },
): Promise<void> {
  if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html')) return
  // Read once; a copy of the answer (clone) costs more than the rest here.
  const { text: html, consumed } = await responseText(c.res)
  // The page's origin and the browser's cookie are read once a form is found: most answers
  // (the SAML POST binding's page, pages without a form) need neither.
  let own: string | undefined
  let fresh = false
  let token: string | undefined
  let field: string | undefined
  let added = false
  const rewritten = html.replace(/<form\b[^>]*>/gi, (tag) => {
    own ??= new URL(c.req.url).origin
    if (!postsBack(tag, own, options.ownOrigins)) return tag
    added = true
    // Drawn (and digested) only for a page that has a form to carry it.
    if (token === undefined) {
      const cookie = getCookie(c, formTokenCookie)
      fresh = cookie === undefined || !tokenPattern.test(cookie)
      token = fresh ? newToken(options.random, 24) : (cookie as string)
    }
    field ??= formTokenFor(token)
    return `${tag}<input type="hidden" name="${formTokenField}" value="${field}">`
  })
  // An answer still as it was made (no form of ours, body not consumed) goes out as it is.
  if (!added && !consumed) return
  const headers = new Headers(c.res.headers)
  const status = c.res.status
  if (added) {
    headers.delete('content-length')
    if (fresh && token && own) headers.append('Set-Cookie', cookieHeader(token, own))
  }
  // Hono merges the old answer's headers into a new one (its Set-Cookie list wins): drop it first.
  c.res = undefined
  c.res = new Response(added ? rewritten : html, { status, headers })
}

function postsBack(tag: string, own: string, ownOrigins: ReadonlySet<string>): boolean {
  if (attribute(tag, 'method')?.toLowerCase() !== 'post') return false
  const action = attribute(tag, 'action')?.replaceAll('&amp;', '&').trim() ?? ''
  if (action === '') return true
  if (/^[/\\]{2}/.test(action)) return false
  try {
    const origin = new URL(action, own).origin
    return origin === own || ownOrigins.has(origin)
  } catch {
    return false
  }
}

// Compiled once: pages with forms go through here on every answer.
const attributePatterns = {
  method: /\smethod\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i,
  action: /\saction\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i,
}

function attribute(tag: string, name: 'method' | 'action'): string | undefined {
  const match = attributePatterns[name].exec(tag)
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined
}

// Over https the IdP's pages may frame or post from another site: SameSite=None needs Secure.
function cookieHeader(token: string, origin: string): string {
  const site = origin.startsWith('https:') ? 'SameSite=None; Secure' : 'SameSite=Lax'
  return `${formTokenCookie}=${token}; Path=/; HttpOnly; ${site}`
}
