import { Layout } from '../../core/http/layout.tsx'
import type { Agent } from './agent-store.ts'
import type { SiteView } from './site-view.ts'

/**
 * GET /admin — the SP's admin view of agent SSO: each site's settings and IdP certificate, a
 * warning when the certificate expires within 30 days (LivePerson: renew a month before), and
 * the provisioned agents.
 */
export function AdminPage(props: { sites: readonly SiteView[]; agents: readonly Agent[] }) {
  return (
    <Layout title="SP admin" side="SP">
      <h1>Agent SSO</h1>
      {props.sites.map((site) => (
        <section class="site" data-site={site.id}>
          <h2>
            Site <code>{site.id}</code> · {site.name}
          </h2>
          {site.warnings.map((warning) => (
            <p class="error certificate-warning" data-site={site.id} data-code={warning.code}>
              {warning.reason} (on {String(warning.evidence.notAfter)}): configure the renewed
              certificate.
            </p>
          ))}
          <table>
            <tbody>
              <tr>
                <th>SSO</th>
                <td class="sso-state">{site.ssoOn ? 'on' : 'off (password login)'}</td>
              </tr>
              <tr>
                <th>Protocol</th>
                <td>{site.protocol === 'saml' ? 'SAML' : 'JWT'}</td>
              </tr>
              <Row label="IdP login page" value={site.loginUrl} />
              <Row label="Logout page" value={site.logoutUrl} />
              <Row label="Login error page" value={site.loginErrorUrl} />
              <Row
                label={site.protocol === 'saml' ? 'IdP entity ID' : 'Issuer'}
                value={site.issuer}
              />
              <Row
                label={site.certificates.length > 1 ? 'Certificates (rollover)' : 'Certificate'}
                value={
                  site.certificates.length > 0
                    ? site.certificates
                        .map(
                          (certificate) =>
                            `${certificate.subject}, ${certificate.signatureHash}, valid until ${certificate.notAfter}`,
                        )
                        .join('; ')
                    : null
                }
              />
            </tbody>
          </table>
        </section>
      ))}
      <h2>Agents</h2>
      <table id="agents">
        <thead>
          <tr>
            <th>Site</th>
            <th>Login name</th>
            <th>Name</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((agent) => (
            <tr class="agent" data-site={agent.siteId} data-login-name={agent.loginName}>
              <td>{agent.siteId}</td>
              <td>
                <code>{agent.loginName}</code>
              </td>
              <td>{agent.name}</td>
              <td>{agent.disabled ? 'disabled' : 'enabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

function Row(props: { label: string; value: string | null }) {
  return (
    <tr>
      <th>{props.label}</th>
      <td>{props.value === null ? '(not set)' : <code>{props.value}</code>}</td>
    </tr>
  )
}
