import { raw } from 'hono/html'
import { Layout } from '../../core/http/layout.tsx'

/**
 * Tells the window that opened the popup sign-in to show the chat again (same origin only),
 * then closes the popup.
 */
const script = `if (window.opener) {
  window.opener.postMessage('ssoproof:signed-in', location.origin)
  window.close()
}`

/**
 * Where a popup sign-in (campaign `loginWindow: popup`) comes back to. With script, the popup
 * reloads its opener's chat window and closes; without, the visitor follows the link back.
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
      <script>{raw(script)}</script>
    </Layout>
  )
}
