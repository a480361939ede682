import { raw } from 'hono/html'
import type { SsoError } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'
import type { IdpUser } from '../users/user.ts'

export interface LoginPageProps {
  flowId: string
  spEntityId: string
  users: IdpUser[]
  loginHint?: string | undefined
  /** Why the last attempt failed (IDP_LOGIN_FAILED), shown above the form. */
  error?: SsoError | undefined
}

/**
 * Shown in a frame (the messenger's conversation panel), the page tells the page around it that
 * it could be shown: a message without data, so any origin may hear it. A frame the IdP's
 * frame-ancestors refused never runs this, and the messenger falls back to a popup.
 */
const framedScript = `if (window.parent !== window) window.parent.postMessage('ssoproof:idp-page-shown', '*')`

/**
 * The IdP's login form. Type a user ID (and the password, for users that have one) or pick a
 * test user. Credentials are posted to the IdP only.
 */
export function LoginPage(props: LoginPageProps) {
  return (
    <Layout title="Sign in" side="IdP">
      <h1>Sign in</h1>
      <p>
        to continue to <code>{props.spEntityId}</code>
      </p>
      {props.error ? (
        <p class="error" role="alert" id="login-error">
          {props.error.reason} <code id="error-code">{props.error.code}</code>
        </p>
      ) : null}
      <form method="post" action="/login" id="login-form">
        <input type="hidden" name="flow" value={props.flowId} />
        <label for="username">User ID</label>
        <input
          type="text"
          id="username"
          name="username"
          autocomplete="username"
          value={props.loginHint ?? ''}
        />
        <label for="password">Password (only for users that have one)</label>
        <input type="password" id="password" name="password" autocomplete="current-password" />
        <p>
          <button type="submit" name="action" value="login">
            Sign in
          </button>{' '}
          <button type="submit" name="action" value="cancel" class="secondary">
            Cancel
          </button>
        </p>
      </form>
      <h2>Test users</h2>
      <form method="post" action="/login" class="users">
        <input type="hidden" name="flow" value={props.flowId} />
        <input type="hidden" name="action" value="login" />
        {props.users.map((user) => (
          <button type="submit" name="username" value={user.id} class="secondary">
            {user.name} ({user.id}){user.password ? ' · password' : ''}
          </button>
        ))}
      </form>
      <script>{raw(framedScript)}</script>
    </Layout>
  )
}
