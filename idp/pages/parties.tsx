import type { JwtSpRegistration } from '../jwt/registration.ts'
import type { OidcClient } from '../oidc/clients.ts'
import type { SpRegistration } from '../service-providers/registration.ts'

function None(props: { what: string }) {
  return <p class="muted">No {props.what} registered.</p>
}

/** The registered SAML SPs, JWT SPs and OIDC clients: never a secret. */
export function Parties(props: {
  samlSps: readonly SpRegistration[]
  jwtSps: readonly JwtSpRegistration[]
  oidcClients: readonly OidcClient[]
}) {
  return (
    <>
      <h3>SAML service providers</h3>
      {props.samlSps.length === 0 ? <None what="SAML SP" /> : null}
      <ul id="service-providers">
        {props.samlSps.map((sp) => (
          <li data-entity-id={sp.entityId}>
            <code>{sp.entityId}</code>{' '}
            <small class="muted">
              {sp.assertionConsumerServices.length} ACS · {sp.singleLogoutServices.length} SLO
            </small>
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
      <h3>JWT service providers</h3>
      {props.jwtSps.length === 0 ? <None what="JWT SP" /> : null}
      <ul id="jwt-service-providers">
        {props.jwtSps.map((sp) => (
          <li data-id={sp.id}>
            <code>{sp.id}</code> <small class="muted">{sp.algorithm}</small>{' '}
            <a href={`/jwt/login?sp=${encodeURIComponent(sp.id)}`}>sign in</a>
            <div>
              <small class="muted">return URLs:</small>{' '}
              {sp.returnUrls.map((url) => (
                <code>{url}</code>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <h3>OpenID Connect clients</h3>
      {props.oidcClients.length === 0 ? <None what="OIDC client" /> : null}
      <ul id="oidc-clients">
        {props.oidcClients.map((client) => (
          <li data-client-id={client.clientId}>
            <code>{client.clientId}</code>{' '}
            <small class="muted">
              {client.clientSecret === undefined ? 'public' : 'confidential'}
              {client.backchannelLogoutUri ? ' · back-channel logout' : ''}
              {client.frontchannelLogoutUri ? ' · front-channel logout' : ''}
            </small>
            <div>
              <small class="muted">redirect URIs:</small>{' '}
              {client.redirectUris.map((uri) => (
                <code>{uri}</code>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </>
  )
}
