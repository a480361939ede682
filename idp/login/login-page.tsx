import type { SsoError } from '../../core/errors/index.ts'
import { inlineScript } from '../../core/http/layout.tsx'
import type { IdpUser } from '../users/user.ts'
import { FlowFormPage } from './flow-form-page.tsx'

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
    <FlowFormPage
      title="Sign in"
      intro={
        <>
          to continue to <code>{props.spEntityId}</code>
        </>
      }
      error={props.error}
      action="/login"
      formId="login-form"
      flowId={props.flowId}
      submit={{ value: 'login', label: 'Sign in' }}
      fields={
        <>
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
        </>
      }
    >
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
      {inlineScript(framedScript)}
    </FlowFormPage>
  )
}
