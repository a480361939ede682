import { Layout } from '../../core/http/layout.tsx'
import type { SpSession } from '../session/sp-sessions.ts'
import { type SiteLink, SiteNav } from './site-links.tsx'

/** The SP's home: who is signed in and what the IdP said about them, or a sign-in button. */
export function HomePage(props: {
  session: SpSession | undefined
  idpEntityId: string
  pathPrefix?: string
  siteLinks?: readonly SiteLink[]
}) {
  const { session } = props
  const prefix = props.pathPrefix ?? ''
  const nav = <SiteNav links={props.siteLinks ?? []} current={`${prefix}/`} />
  if (!session) {
    return (
      <Layout title="Not signed in" side="SP" nav={nav}>
        <h1>Welcome</h1>
        <p id="status">You are not signed in.</p>
        <p>
          <a class="button" href={`${prefix}/login?return_url=${prefix}/`} id="sign-in">
            Sign in
          </a>{' '}
          with <code>{props.idpEntityId}</code>
        </p>
      </Layout>
    )
  }
  const { subject } = session
  const name = subject.attributes.name?.[0] ?? subject.nameId
  const email = subject.attributes.email?.[0]
  return (
    <Layout title={`Signed in as ${name}`} side="SP" nav={nav}>
      <h1 id="status">
        Signed in as <span id="user-name">{name}</span>
      </h1>
      <p>
        {email ? <span id="user-email">{email}</span> : 'no email address'} · external ID{' '}
        <code id="external-id">{subject.nameId}</code> · verified by <code>{subject.issuer}</code>
      </p>
      <h2>Attributes</h2>
      <table id="attributes">
        <tbody>
          {Object.entries(subject.attributes).map(([key, values]) => (
            <tr>
              <th>{key}</th>
              <td>{values.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {session.missingAttributes.length > 0 ? (
        <>
          <h2>Diagnostics</h2>
          <p id="missing-attributes">
            Mapped attributes the IdP did not send (their fields stay empty):{' '}
            {session.missingAttributes
              .map((missing) => `${missing.attribute} → ${missing.field}`)
              .join(', ')}
          </p>
        </>
      ) : null}
      <form method="post" action={`${prefix}/logout`}>
        <p>
          <button type="submit" class="secondary">
            Sign out
          </button>
        </p>
      </form>
    </Layout>
  )
}
