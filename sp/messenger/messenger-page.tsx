import type { SsoError } from '../../core/errors/index.ts'
import { inlineScript, inlineStyle, Layout } from '../../core/http/layout.tsx'
import type { CampaignSettings } from '../campaigns/settings.ts'
import type { ChatState } from './chat-state.ts'
import type { Message } from './conversations.ts'
import { MessageList, messageStyles } from './message-list.tsx'
import { messengerScript } from './messenger-script.ts'
import type { Visitor } from './visitor.ts'

export interface MessengerPageProps {
  campaign: CampaignSettings
  /** The connection's path prefix: '' or `/c/<id>`. */
  prefix: string
  state: ChatState
  visitor: Visitor
  messages: readonly Message[]
  /** `?open=1`: the window is open (without script, the launcher is this link). */
  open: boolean
  /** `?ended=1`: the visitor's last conversation just ended. */
  ended: boolean
  /** A refused survey, shown above the form it came from, with what was typed. */
  error?: SsoError | undefined
  answers?: Record<string, string> | undefined
  /** Opening the window first tries a silent sign-in: the launcher follows its link. */
  silent?: boolean
}

const styles = `
  #launcher { position: fixed; right: 1.5rem; bottom: 1.5rem; border-radius: 2rem; z-index: 2; }
  #chat-window { position: fixed; right: 1.5rem; bottom: 5rem; z-index: 2; box-sizing: border-box;
    width: min(26rem, calc(100vw - 2rem)); max-height: calc(100vh - 7rem); overflow: auto;
    background: #fff; border: 1px solid #d5d9e0; border-radius: 12px; padding: 1rem 1.2rem;
    box-shadow: 0 10px 30px rgba(20, 30, 50, .18); }
  #sign-in-frame { display: block; width: 100%; height: min(34rem, calc(100vh - 14rem));
    border: 1px solid #d5d9e0; border-radius: 8px; }
  #chat-window [hidden] { display: none !important; }
  #chat-window h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
  #chat-window form { display: inline-block; margin: .3rem .3rem .3rem 0; }
  #message-form, #survey { display: block !important; }
  ${messageStyles}
`

/**
 * The campaign's site page with the messenger on it: a launcher and the chat window, whose
 * `data-state` (chat-state.ts) decides what it holds. Everything works with plain links and
 * forms; the small script only opens the window in place, polls for agent replies and opens the
 * popup sign-in.
 */
export function MessengerPage(props: MessengerPageProps) {
  const { campaign, prefix, state, visitor } = props
  const base = `${prefix}/messenger`
  const conversation = visitor.conversation
  const signInRequested =
    conversation?.contactId === undefined &&
    props.messages.some((message) => message.kind === 'sign-in-request')
  return (
    <Layout title={campaign.name} side="SP">
      {inlineStyle(styles)}
      <h1>{campaign.name}</h1>
      <p>Questions about your order or your account? Our team is one click away.</p>
      <a
        id="launcher"
        class="button"
        href="?open=1"
        aria-controls="chat-window"
        aria-expanded={props.open ? 'true' : 'false'}
      >
        Chat with us
      </a>
      <section
        id="chat-window"
        aria-label={`${campaign.name} chat`}
        data-state={state}
        data-base={base}
        data-conversation-id={conversation ? String(conversation.id) : ''}
        data-signed-in={visitor.contact ? '1' : '0'}
        data-sign-in-requested={signInRequested ? '1' : '0'}
        data-silent={props.silent ? '1' : '0'}
        hidden={!props.open}
      >
        <h2 id="chat-title" tabindex={-1}>
          {campaign.name}
        </h2>
        {props.ended && !conversation ? (
          <p id="conversation-ended">The conversation has ended. Write again any time.</p>
        ) : null}
        {state === 'choose' ? <Choose {...props} /> : null}
        {state === 'sign-in-required' ? <SignInRequired {...props} /> : null}
        {state === 'survey' ? <Survey {...props} /> : null}
        {state === 'conversation' ? (
          <Conversation {...props} signInRequested={signInRequested} />
        ) : null}
      </section>
      {inlineScript(messengerScript)}
    </Layout>
  )
}

/**
 * `a#sign-in`: to the campaign's /login and back to the window, or to the popup's last page.
 * With the chat-window login the script shows that sign-in inside the panel instead
 * (`data-frame`: the sign-in that ends on the last page of a framed or popup sign-in).
 */
function SignInLink(props: { campaign: CampaignSettings; prefix: string; label?: string }) {
  const popup = props.campaign.loginWindow === 'popup'
  const login = (back: string) => `${props.prefix}/login?return_url=${encodeURIComponent(back)}`
  const handBack = login(`${props.prefix}/messenger/popup-done`)
  return popup ? (
    <a id="sign-in" class="button" href={handBack} target="_blank" data-popup="1" rel="noopener">
      {props.label ?? 'Sign in'}
    </a>
  ) : (
    <a
      id="sign-in"
      class="button"
      href={login(`${props.prefix}/messenger?open=1`)}
      data-frame={handBack}
    >
      {props.label ?? 'Sign in'}
    </a>
  )
}

function Choose(props: MessengerPageProps) {
  return (
    <>
      <p>Sign in to chat with your account, or chat as a visitor.</p>
      <SignInLink {...props} />{' '}
      <form id="chat-as-visitor" method="post" action={`${props.prefix}/messenger/guest`}>
        <button type="submit" class="secondary">
          Chat as visitor
        </button>
      </form>
    </>
  )
}

function SignInRequired(props: MessengerPageProps) {
  return (
    <div id="sign-in-required">
      <p>
        This chat is only for signed-in customers with an account. Please sign in to start a
        conversation; without an account you cannot chat here.
      </p>
      <SignInLink {...props} />
    </div>
  )
}

function Survey(props: MessengerPageProps) {
  const { error, answers = {} } = props
  return (
    <form id="survey" method="post" action={`${props.prefix}/messenger/survey`}>
      <p>Before we start, tell us a little about you.</p>
      {error ? (
        <p class="error" id="survey-error" data-error-code={error.code}>
          {error.reason} <code>{error.code}</code>
        </p>
      ) : null}
      {props.campaign.survey.map((field) => (
        <>
          <label for={`survey-${field.name}`}>
            {field.label}
            {field.required ? ' *' : ''}
          </label>
          {field.type === 'textarea' ? (
            <textarea id={`survey-${field.name}`} name={field.name} required={field.required}>
              {answers[field.name] ?? ''}
            </textarea>
          ) : (
            <input
              type={field.type}
              id={`survey-${field.name}`}
              name={field.name}
              value={answers[field.name] ?? ''}
              required={field.required}
            />
          )}
        </>
      ))}
      <p>
        <button type="submit">Start the chat</button>
      </p>
    </form>
  )
}

function Conversation(props: MessengerPageProps & { signInRequested: boolean }) {
  const { prefix, visitor } = props
  const { contact } = visitor
  return (
    <>
      {contact ? (
        <p id="visitor-identity" data-external-id={contact.externalId}>
          Signed in as {contact.name ?? contact.externalId}
        </p>
      ) : (
        <p id="visitor-identity">Guest</p>
      )}
      {props.signInRequested ? (
        <div id="sign-in-request">
          <p>The agent asks you to sign in, so that they can see your account.</p>
          <SignInLink {...props} />
        </div>
      ) : null}
      <MessageList id="messages" messages={props.messages} live />
      <form id="message-form" method="post" action={`${prefix}/messenger/messages`}>
        <label for="message-text">Your message</label>
        <textarea id="message-text" name="text" rows={3} maxlength={4000} required />
        <p>
          <button type="submit">Send</button>
        </p>
      </form>
      {visitor.conversation ? (
        <form id="end-conversation" method="post" action={`${prefix}/messenger/end`}>
          <button type="submit" class="secondary">
            End the conversation
          </button>
        </form>
      ) : null}
      {contact ? (
        <form id="log-out" method="post" action={`${prefix}/messenger/logout`}>
          <input type="hidden" name="return_url" value={`${prefix}/messenger?open=1`} />
          <button type="submit" class="secondary">
            Sign out
          </button>
        </form>
      ) : null}
    </>
  )
}
