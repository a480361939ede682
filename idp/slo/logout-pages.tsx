import { Layout } from '../../core/http/layout.tsx'
import type { IdpSession } from '../session/idp-sessions.ts'

/** GET /logout: who is signed in at the IdP, the SPs that share the session, and the button. */
export function LogoutPage(props: { session: IdpSession | undefined }) {
  const { session } = props
  if (!session) {
    return (
      <Layout title="Not signed in" side="IdP">
        <h1>Sign out</h1>
        <p id="status">You are not signed in at this identity provider.</p>
      </Layout>
    )
  }
  return (
    <Layout title="Sign out" side="IdP">
      <h1>Sign out</h1>
      <p id="status">
        Signed in as <code id="user-id">{session.userId}</code>. Signing out here also signs you out
        of:
      </p>
      <ul id="participants">
        {session.participants.map((participant) => (
          <li>
            <code>{participant.spEntityId}</code>
          </li>
        ))}
      </ul>
      <form method="post" action="/logout" id="logout-form">
        <p>
          <button type="submit">Sign out everywhere</button>
        </p>
      </form>
    </Layout>
  )
}

/** The end of a logout the IdP started: which SPs confirmed and which did not. */
export function SignedOutPage(props: { confirmed: string[]; failed: string[] }) {
  return (
    <Layout title="Signed out" side="IdP">
      <h1 id="status">You are signed out</h1>
      {props.confirmed.length > 0 ? (
        <>
          <p>These service providers confirmed the logout:</p>
          <ul id="confirmed">
            {props.confirmed.map((entityId) => (
              <li>
                <code>{entityId}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.failed.length > 0 ? (
        <>
          <p class="error">
            These service providers did not confirm it (partial logout); you may still be signed in
            there:
          </p>
          <ul id="failed">
            {props.failed.map((entityId) => (
              <li>
                <code>{entityId}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  )
}
