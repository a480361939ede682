import type { Child } from 'hono/jsx'
import type { SsoError } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'

export interface FlowFormPageProps {
  /** The page's title and heading. */
  title: string
  /** The line under the heading: which SP asks. */
  intro: Child
  /** Why the last attempt was refused, shown above the form. */
  error?: SsoError | undefined
  /** Where the form posts, with the flow's id and the button's `action`. */
  action: string
  formId: string
  flowId: string
  /** The button that goes on; the other one cancels the flow. */
  submit: { value: string; label: string }
  /** The form's own fields, between the flow id and the buttons. */
  fields: Child
  /** Whatever follows the form. */
  children?: Child
}

/**
 * The frame of each step of the IdP's login (the credentials, the second factor): heading, the
 * SP that asks, the last refusal, one form carrying the flow id with a go-on and a cancel button.
 */
export function FlowFormPage(props: FlowFormPageProps) {
  return (
    <Layout title={props.title} side="IdP">
      <h1>{props.title}</h1>
      <p>{props.intro}</p>
      {props.error ? (
        <p class="error" role="alert" id="login-error">
          {props.error.reason} <code id="error-code">{props.error.code}</code>
        </p>
      ) : null}
      <form method="post" action={props.action} id={props.formId}>
        <input type="hidden" name="flow" value={props.flowId} />
        {props.fields}
        <p>
          <button type="submit" name="action" value={props.submit.value}>
            {props.submit.label}
          </button>{' '}
          <button type="submit" name="action" value="cancel" class="secondary">
            Cancel
          </button>
        </p>
      </form>
      {props.children}
    </Layout>
  )
}
