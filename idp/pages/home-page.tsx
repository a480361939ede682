import { Layout } from '../../core/http/layout.tsx'
import type { ServiceProviderRegistry } from '../service-providers/registry.ts'
import type { UserStore } from '../users/user-store.ts'

/** The IdP's front page: what to hand to an SP, who can sign in, and IdP-initiated links. */
export function IdpHomePage(props: {
  entityId: string
  ssoUrl: string
  metadataUrl: string
  users: UserStore
  serviceProviders: ServiceProviderRegistry
}) {
  return (
    <Layout title="Mock identity provider" side="IdP">
      <h1>Mock identity provider</h1>
      <table>
        <tbody>
          <tr>
            <th>Entity ID</th>
            <td>
              <code>{props.entityId}</code>
            </td>
          </tr>
          <tr>
            <th>Sign-on URL</th>
            <td>
              <code>{props.ssoUrl}</code> (HTTP-Redirect and HTTP-POST)
            </td>
          </tr>
          <tr>
            <th>Metadata</th>
            <td>
              <a href={props.metadataUrl}>{props.metadataUrl}</a>
            </td>
          </tr>
        </tbody>
      </table>
      <h2>Service providers</h2>
      <ul id="service-providers">
        {props.serviceProviders.list().map((sp) => (
          <li>
            <code>{sp.entityId}</code>
            {sp.allowIdpInitiated ? (
              <>
                {' '}
                —{' '}
                <a href={`/saml/idp-initiated?sp=${encodeURIComponent(sp.entityId)}`}>
                  sign in (IdP-initiated)
                </a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>Users</h2>
      <table id="users">
        <tbody>
          {props.users.list().map((user) => (
            <tr>
              <td>
                <code>{user.id}</code>
              </td>
              <td>{user.name}</td>
              <td>{user.email ?? '—'}</td>
              <td>{user.password ? 'password' : 'no password'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
