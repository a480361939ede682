import { inlineStyle, Layout } from '../../core/http/layout.tsx'
import type { IdpContext } from '../context.ts'
import { Faults, JournalTable, Sessions } from './activity.tsx'
import { Endpoints } from './endpoints.tsx'
import { Parties } from './parties.tsx'

const styles = `
  th.group { background: #f4f5f7; }
  #users td, #users th { white-space: nowrap; }
`

/**
 * The IdP's front page, read-only, as an admin console shows it: every protocol's endpoints, the
 * registered SPs and clients, who is signed in, the faults set and what the SPs sent lately,
 * and the test users.
 */
export function IdpHomePage(props: { ctx: IdpContext }) {
  const { ctx } = props
  const { options } = ctx
  return (
    <Layout
      title="Mock identity provider"
      side="IdP"
      wide
      nav={
        <nav aria-label="This page">
          <a href="#endpoints-title">Endpoints</a>
          <a href="#parties-title">Parties</a>
          <a href="#sessions-title">Sessions</a>
          <a href="#faults-title">Faults</a>
          <a href="#users-title">Users</a>
        </nav>
      }
    >
      {inlineStyle(styles)}
      <h1>Mock identity provider</h1>
      <p>
        Entity ID and issuer <code id="entity-id">{options.entityId}</code> · SAML metadata{' '}
        <a href={options.urls.metadata}>{options.urls.metadata}</a>
      </p>
      <h2 id="endpoints-title">Endpoints</h2>
      <Endpoints urls={options.urls} />
      <h2 id="parties-title">Registered parties</h2>
      <Parties
        samlSps={ctx.serviceProviders.list()}
        jwtSps={ctx.jwtServiceProviders.list()}
        oidcClients={ctx.oidcClients.list()}
      />
      <h2 id="sessions-title">Active sessions</h2>
      <Sessions sessions={ctx.sessions.list()} />
      <h2 id="faults-title">Faults and journal</h2>
      <h3>Faults set</h3>
      <Faults faults={ctx.faults.list()} />
      <h3>What the SPs sent lately</h3>
      <JournalTable entries={ctx.journal.list()} />
      <h2 id="users-title">Users</h2>
      <div class="scroll">
        <table id="users">
          <thead>
            <tr>
              <th scope="col">ID</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Sign-in</th>
            </tr>
          </thead>
          <tbody>
            {ctx.users.list().map((user) => (
              <tr>
                <td>
                  <code>{user.id}</code>
                </td>
                <td>{user.name}</td>
                <td>{user.email ?? '—'}</td>
                <td>
                  {user.password ? 'password' : 'no password'}
                  {user.secondFactor
                    ? user.secondFactor.always
                      ? ' + second factor, always'
                      : ' + second factor'
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  )
}
