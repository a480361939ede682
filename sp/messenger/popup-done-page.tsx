import { inlineScript, Layout } from '../../core/http/layout.tsx'

/**
 * Tells the chat window that the sign-in ended (same origin only): the window that opened the
 * popup sign-in, which then closes, or the page around the panel's sign-in frame.
 */
const script = `if (window.opener) {
  window.opener.postMessage('ssoproof:signed-in', location.origin)
  window.close()
} else if (window.parent !== window) {
  window.parent.postMessage('ssoproof:signed-in', location.origin)
}`

/**
 * Where a popup sign-in (campaign `loginWindow: popup`) or the sign-in inside the conversation
 * panel comes back to. With script, the chat window reloads (and a popup closes); without, the
 * visitor follows the link back.
 */
export function PopupDonePage(props: { prefix: string }) {
  return (
    <Layout title="Signed in" side="SP">
      <h1 id="popup-done">You are signed in</h1>
      <p>You can close this window and go back to the chat.</p>
      <p>
        <a id="back-to-chat" class="button" href={`${props.prefix}/messenger?open=1`}>
          Back to the chat
        </a>
      </p>
      {inlineScript(script)}
    </Layout>
  )
}
