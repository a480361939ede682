import { raw } from 'hono/html'
import { escapeHtml } from '../../core/http/escape-html.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import type { IdpUser } from '../users/user.ts'
import { LoginPage, type LoginPageProps } from './login-page.tsx'

/** What differs from one showing of the login page to the next, for the same users. */
type Slot = 'flowId' | 'spEntityId' | 'loginHint'

// Rendered raw, each stand-in holds a `<` that no escaped text can: nothing else matches it.
const standIn = (slot: Slot) => raw(`<ssoproof-slot:${slot}>`) as unknown as string
const standIns = /<ssoproof-slot:(flowId|spEntityId|loginHint)>/g

interface Template {
  /** The users it was rendered with: another list (one added, replaced, removed) renders anew. */
  users: readonly IdpUser[]
  /** The page cut at the stand-ins: `text[0] slots[0] text[1] …`. */
  text: string[]
  slots: Slot[]
}

const templates = new WeakMap<object, Template>()

/**
 * The login page (login-page.tsx) as HTML. Nearly every showing has no refusal on it, and then
 * only the flow, the SP and the hint differ: that page is rendered once per list of users with
 * stand-ins in their places, and each request fills them in, escaped as the JSX renderer escapes
 * them — the same bytes for a fraction of the work (GET /saml/sso, issue 22). `owner` (the IdP's
 * user store) keeps one template per IdP. A page with a refusal is rendered in full.
 */
export function loginPageHtml(owner: object, props: LoginPageProps): string | Promise<string> {
  if (props.error) return renderHtml(<LoginPage {...props} />)
  let template = templates.get(owner)
  if (!template || !sameUsers(template.users, props.users)) {
    template = templateFor(props.users)
    templates.set(owner, template)
  }
  const values = {
    flowId: props.flowId,
    spEntityId: props.spEntityId,
    loginHint: props.loginHint ?? '',
  }
  let html = template.text[0] ?? ''
  template.slots.forEach((slot, index) => {
    html += escapeHtml(values[slot]) + (template.text[index + 1] ?? '')
  })
  return html
}

function templateFor(users: IdpUser[]): Template {
  const page = renderHtml(
    <LoginPage
      flowId={standIn('flowId')}
      spEntityId={standIn('spEntityId')}
      users={users}
      loginHint={standIn('loginHint')}
    />,
  )
  if (typeof page !== 'string') throw new TypeError('the login page renders synchronously')
  const text: string[] = []
  const slots: Slot[] = []
  let from = 0
  for (const match of page.matchAll(standIns)) {
    text.push(page.slice(from, match.index))
    slots.push(match[1] as Slot)
    from = match.index + match[0].length
  }
  text.push(page.slice(from))
  return { users: [...users], text, slots }
}

function sameUsers(a: readonly IdpUser[], b: readonly IdpUser[]): boolean {
  return a.length === b.length && a.every((user, index) => user === b[index])
}
