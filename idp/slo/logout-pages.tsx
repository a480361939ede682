import { raw } from 'hono/html'
import { doctype, Layout } from '../../core/http/layout.tsx'
import type { IdpSession } from '../session/idp-sessions.ts'
import type { FrontChannelFrame, SignOffOutcome } from '../sign-off/sign-off.ts'

const protocolNames = { saml: 'SAML', oidc: 'OpenID Connect', jwt: 'JWT' } as const
const channelNames = {
  'saml-slo': 'single logout',
  'back-channel': 'back channel',
  'front-channel': 'front channel',
  none: 'no logout URL',
} as const

/** A party of the session as one list item: its id, then how it is signed off. */
function Party(props: {
  outcome: Pick<SignOffOutcome, 'protocol' | 'party' | 'channel' | 'detail'>
}) {
  const { protocol, party, channel, detail } = props.outcome
  return (
    <li data-protocol={protocol} data-channel={channel}>
      <code>{party}</code>
      <small>
        {' '}
        — {protocolNames[protocol]}, {channelNames[channel]}
        {detail ? `: ${detail}` : ''}
      </small>
    </li>
  )
}

/** How each party of a session will be signed off, before anything is sent. */
export function plannedSignOff(
  session: IdpSession,
  how: (protocol: 'oidc' | 'jwt', id: string) => SignOffOutcome['channel'][],
): Pick<SignOffOutcome, 'protocol' | 'party' | 'channel'>[] {
  return [
    ...session.participants.map((p) => ({
      protocol: 'saml' as const,
      party: p.spEntityId,
      channel: 'saml-slo' as const,
    })),
    ...session.relyingParties.flatMap((party) =>
      how(party.protocol, party.id).map((channel) => ({
        protocol: party.protocol,
        party: party.id,
        channel,
      })),
    ),
  ]
}

/** GET /logout: who is signed in at the IdP, every party of the session and how, and the button. */
export function LogoutPage(props: {
  session: IdpSession | undefined
  parties: Pick<SignOffOutcome, 'protocol' | 'party' | 'channel'>[]
}) {
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
        Signed in as <code id="user-id">{session.userId}</code>.{' '}
        {props.parties.length > 0
          ? 'Signing out here also signs you out of:'
          : 'No service provider shares this session.'}
      </p>
      {props.parties.length > 0 ? (
        <ul id="participants">
          {props.parties.map((party) => (
            <Party outcome={party} />
          ))}
        </ul>
      ) : null}
      <form method="post" action="/logout" id="logout-form">
        <p>
          <button type="submit">Sign out everywhere</button>
        </p>
      </form>
    </Layout>
  )
}

const sections = [
  ['confirmed', 'These service providers confirmed the sign-out:'],
  [
    'failed',
    'These service providers did not confirm it (partial logout); you may still be signed in there:',
  ],
  [
    'requested',
    'This page asked your browser to sign you out of these (front channel; they do not answer):',
  ],
  ['not-supported', 'These registered no way to be signed out; sign out there yourself:'],
] as const

/**
 * The end of a logout the IdP started: each party of every protocol with its outcome, and the
 * front-channel logout URLs loaded in hidden iframes (Front-Channel Logout §2).
 */
export function SignedOutPage(props: { outcomes: SignOffOutcome[]; frames: FrontChannelFrame[] }) {
  return (
    <Layout title="Signed out" side="IdP">
      <h1 id="status">You are signed out</h1>
      {sections.map(([outcome, text]) => {
        const listed = props.outcomes.filter((item) => item.outcome === outcome)
        if (listed.length === 0) return null
        return (
          <>
            <p class={outcome === 'failed' ? 'error' : undefined}>{text}</p>
            <ul id={outcome}>
              {listed.map((item) => (
                <Party outcome={item} />
              ))}
            </ul>
          </>
        )
      })}
      <Frames frames={props.frames} />
    </Layout>
  )
}

function Frames(props: { frames: FrontChannelFrame[] }) {
  return (
    <>
      {props.frames.map((frame) => (
        <iframe
          class="front-channel-logout"
          title={`sign-out at ${frame.party}`}
          src={frame.url}
          width="0"
          height="0"
          style="border:0;display:none"
        />
      ))}
    </>
  )
}

/**
 * The front channel on the way elsewhere (end_session's post_logout_redirect_uri, a JWT SP's
 * return_url, a LogoutResponse to the SP that started): the iframes load, then — on load, so
 * after every iframe — the form moves on by itself.
 */
export function FrontChannelPage(props: { frames: FrontChannelFrame[]; token: string }) {
  return (
    <>
      {doctype}
      <html lang="en">
        {/* raw: hono/jsx renders <head>'s elements inside an AsyncLocalStorage (render-html.ts) */}
        {raw('<head><meta charset="utf-8"/><title>Signing out · ssoproof IdP</title></head>')}
        <body onload="document.forms[0].submit()">
          <p id="status">Signing you out…</p>
          <Frames frames={props.frames} />
          <form method="post" action="/logout/continue">
            <input type="hidden" name="continue" value={props.token} />
            <noscript>
              <p>Script is off: press the button to continue.</p>
            </noscript>
            <button type="submit">Continue</button>
          </form>
        </body>
      </html>
    </>
  )
}
