import type { SsoError } from '../../core/errors/index.ts'
import { FlowFormPage } from './flow-form-page.tsx'

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
    <FlowFormPage
      title="Second factor"
      intro={
        <>
          <code>{props.spEntityId}</code> asks for more than a password: enter your one-time code.
        </>
      }
      error={props.error}
      action="/login/second-factor"
      formId="second-factor-form"
      flowId={props.flowId}
      submit={{ value: 'verify', label: 'Continue' }}
      fields={
        <>
          <label for="otp">One-time code</label>
          <input
            type="text"
            id="otp"
            name="otp"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
          />
        </>
      }
    />
  )
}
