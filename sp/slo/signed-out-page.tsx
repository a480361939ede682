import { Layout } from '../../core/http/layout.tsx'

/** After a single logout the IdP confirmed: signed out here and at the IdP. */
export function SignedOutPage(props: { idpEntityId: string }) {
  return (
    <Layout title="Signed out" side="SP">
      <h1 id="signed-out">You are signed out</h1>
      <p id="status">
        You are not signed in here any more, and <code>{props.idpEntityId}</code> confirmed the
        single logout.
      </p>
      <p>
        <a class="button" href="/">
          Back to the start page
        </a>
      </p>
    </Layout>
  )
}
