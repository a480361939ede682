import type { SsoError } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'

export interface SecondFactorPageProps {
  flowId: string
  spEntityId: string
  /** Why the last code was refused (IDP_SECOND_FACTOR_FAILED), shown above the form. */
  error?: SsoError | undefined
}

/**
 * The login's second step: the one-time code of the user's second factor, asked when the
 * request wants more than a password or the user always gives it (choose-authn-method.ts).
 */
export function SecondFactorPage(props: SecondFactorPageProps) {
  return (
    <Layout title="Second factor" side="IdP">
      <h1>Second factor</h1>
      <p>
        <code>{props.spEntityId}</code> asks for more than a password: enter your one-time code.
      </p>
      {props.error ? (
        <p class="error" role="alert" id="login-error">
          {props.error.reason} <code id="error-code">{props.error.code}</code>
        </p>
      ) : null}
      <form method="post" action="/login/second-factor" id="second-factor-form">
        <input type="hidden" name="flow" value={props.flowId} />
        <label for="otp">One-time code</label>
        <input
          type="text"
          id="otp"
          name="otp"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]*"
        />
        <p>
          <button type="submit" name="action" value="verify">
            Continue
          </button>{' '}
          <button type="submit" name="action" value="cancel" class="secondary">
            Cancel
          </button>
        </p>
      </form>
    </Layout>
  )
}
