import type { ResolvedIdpOptions } from '../options.ts'

type Urls = ResolvedIdpOptions['urls']

/** Every endpoint a party is configured with, by protocol, with its binding or method. */
function endpointGroups(urls: Urls): [string, [string, string, string][]][] {
  return [
    [
      'SAML 2.0',
      [
        ['Metadata', urls.metadata, 'GET'],
        ['SingleSignOnService', urls.sso, 'HTTP-Redirect, HTTP-POST'],
        ['SingleLogoutService', urls.slo, 'HTTP-Redirect, HTTP-POST'],
        ['ArtifactResolutionService', urls.artifactResolution, 'SOAP'],
        ['IdP-initiated sign-in', `${urls.idpInitiated}?sp=<entity ID>`, 'GET'],
      ],
    ],
    [
      'JWT token SSO',
      [
        ['Remote login URL', `${urls.jwtLogin}?sp=<id>`, 'GET'],
        ['Sign-off', urls.jwtLogout, 'GET'],
        ['JWKS', urls.jwks, 'GET'],
        ['Signing certificate', urls.jwtCertificate, 'GET'],
        ['Token for page script', urls.jwtToken, 'POST'],
      ],
    ],
    [
      'OpenID Connect',
      [
        ['Discovery', urls.discovery, 'GET'],
        ['Authorization', urls.oidcAuthorize, 'GET, POST'],
        ['Token', urls.oidcToken, 'POST'],
        ['UserInfo', urls.oidcUserinfo, 'GET, POST'],
        ['JWKS', urls.oidcJwks, 'GET'],
        ['End session', urls.oidcEndSession, 'GET, POST'],
        [
          'Initiate login at an RP',
          urls.oidcAuthorize.replace(/authorize$/, 'initiate-login'),
          'GET',
        ],
      ],
    ],
    ['Every protocol', [['Sign out of everything', urls.logout, 'GET']]],
  ]
}

/** The endpoints table of the IdP's front page: what to hand to an SP, an RP or a JWT SP. */
export function Endpoints(props: { urls: Urls }) {
  return (
    <div class="scroll">
      <table id="endpoints">
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">URL</th>
            <th scope="col">Binding / method</th>
          </tr>
        </thead>
        {endpointGroups(props.urls).map(([protocol, rows]) => (
          <tbody data-protocol={protocol}>
            <tr>
              <th scope="colgroup" colspan={3} class="group">
                {protocol}
              </th>
            </tr>
            {rows.map(([name, url, binding]) => (
              <tr>
                <td>{name}</td>
                <td>{url.includes('<') ? <code>{url}</code> : <a href={url}>{url}</a>}</td>
                <td class="nowrap">{binding}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  )
}
