import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { createUserStore } from '../users/user-store.ts'
import { LoginPage, type LoginPageProps } from './login-page.tsx'
import { loginPageHtml } from './login-page-html.tsx'

/** Text that HTML must escape, and a user name that looks like one of the page's stand-ins. */
const awkward = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', '&', '<', '>', '"', "'", '=', '/', ':', 'é', '日'),
  maxLength: 12,
})
const lookalike = '<ssoproof-slot:flowId> & "Ann"'

const fullRender = (props: LoginPageProps) => (<LoginPage {...props} />).toString()

describe('loginPageHtml: the login page from a template, the same bytes as rendering it', () => {
  it('fills the flow, the SP and the hint in, escaped as the JSX renderer escapes them', () => {
    const store = createUserStore([
      { id: 'ann', name: lookalike, password: 'secret' },
      { id: 'b&b', name: 'Bed & Breakfast' },
    ])
    fc.assert(
      fc.property(
        awkward,
        awkward,
        fc.option(awkward, { nil: undefined }),
        (flowId, spEntityId, loginHint) => {
          const props = { flowId, spEntityId, users: store.list(), loginHint }
          expect(loginPageHtml(store, props)).toBe(fullRender(props))
        },
      ),
      { seed: 22, numRuns: 200 },
    )
  })

  it('renders anew when the users change: one added, one replaced, one removed', () => {
    const store = createUserStore([{ id: 'ann', name: 'Ann' }])
    const page = () => {
      const props = { flowId: 'f1', spEntityId: 'https://sp', users: store.list() }
      const html = loginPageHtml(store, props)
      expect(html).toBe(fullRender(props))
      return html
    }
    expect(page()).toContain('Ann (ann)')
    store.put({ id: 'bob', name: 'Bob' })
    expect(page()).toContain('Bob (bob)')
    store.put({ id: 'ann', name: 'Anna' })
    expect(page()).toContain('Anna (ann)')
    store.delete('bob')
    expect(page()).not.toContain('Bob (bob)')
  })

  it('keeps one template per IdP: two user stores never see each other’s users', () => {
    const first = createUserStore([{ id: 'ann', name: 'Ann' }])
    const second = createUserStore([{ id: 'zed', name: 'Zed' }])
    const props = (store: typeof first) => ({ flowId: 'f', spEntityId: 'sp', users: store.list() })
    loginPageHtml(first, props(first))
    expect(loginPageHtml(second, props(second))).toBe(fullRender(props(second)))
    expect(loginPageHtml(first, props(first))).toBe(fullRender(props(first)))
  })

  it('renders a page with a refusal in full', () => {
    const store = createUserStore([{ id: 'ann', name: 'Ann' }])
    const error = new SsoError('IDP_LOGIN_FAILED', 'login', 'Wrong password. Try again.', {})
    const props = { flowId: 'f', spEntityId: 'sp', users: store.list(), loginHint: 'ann', error }
    const html = loginPageHtml(store, props)
    expect(html).toBe(fullRender(props))
    expect(html).toContain('IDP_LOGIN_FAILED')
  })
})
