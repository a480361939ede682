import type { Child } from 'hono/jsx'
import { inlineStyle, Layout } from '../../core/http/layout.tsx'
import type { Agent } from '../agents/agent-store.ts'
import type { Transcript } from '../messenger/conversations.ts'
import { MessageList, messageStyles } from '../messenger/message-list.tsx'
import { ContactName, ContactTable, Instant } from './contact-table.tsx'
import type { ConversationView } from './conversation-view.ts'

const styles = `
  .console { display: grid; grid-template-columns: 17rem minmax(0, 1fr) 19rem; gap: 1.5rem; align-items: start; }
  .console.two { grid-template-columns: 17rem minmax(0, 1fr); }
  @media (max-width: 1000px) { .console, .console.two { grid-template-columns: minmax(0, 1fr); } }
  .pane h2 { margin-top: 0; }
  .conversations, .transcripts { list-style: none; padding: 0; margin: 0; }
  .conversation, .transcript { border-bottom: 1px solid #eceef2; padding: .6rem .4rem; }
  .conversation[aria-current] { background: #eef3fb; border-radius: 6px; }
  .conversation .meta, .transcript .meta { font-size: .85rem; color: #434b58; }
  .conversation .preview { font-size: .85rem; color: #434b58; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .identity-card { border: 1px solid #e1e4e8; border-radius: 8px; padding: .8rem 1rem; }
  .identity-card table { font-size: .9rem; }
  .agent-bar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; justify-content: flex-end; }
  form { display: inline-block; margin: .3rem .3rem .3rem 0; }
  #reply, #history-search { display: block; }
  ${messageStyles}
`

function ConsoleLayout(props: {
  title: string
  agent: Agent | undefined
  current: string
  children: Child
}) {
  const { agent } = props
  const link = (href: string, label: string) => (
    <a href={href} aria-current={props.current === href ? 'page' : undefined}>
      {label}
    </a>
  )
  return (
    <Layout
      title={props.title}
      side="SP"
      wide
      nav={
        <nav aria-label="Agent console">
          {link('/agent', 'Open conversations')}
          {link('/agent/history', 'History')}
          {link('/', 'SP home')}
        </nav>
      }
    >
      {inlineStyle(styles)}
      {agent ? (
        <div id="agent-identity" class="agent-bar">
          <span>
            Signed in as <span id="agent-name">{agent.name}</span> (
            <code id="agent-login-name">{agent.loginName}</code>, site{' '}
            <code id="agent-site">{agent.siteId}</code>)
          </span>
          <form id="agent-logout" method="post" action="/agent/logout">
            <button type="submit" class="secondary">
              Sign out
            </button>
          </form>
        </div>
      ) : null}
      {props.children}
    </Layout>
  )
}

/** The queue: every open conversation, oldest first, the one on screen marked. */
function Queue(props: { conversations: readonly ConversationView[]; current?: number }) {
  const title = `Open conversations (${props.conversations.length})`
  return (
    <nav class="pane queue" aria-label={title}>
      {props.current === undefined ? null : <h2>{title}</h2>}
      {props.conversations.length === 0 ? <p id="no-conversations">No one is waiting.</p> : null}
      <ul class="conversations">
        {props.conversations.map((view) => {
          const last = view.messages.filter((message) => message.author !== 'system').at(-1)
          return (
            <li
              class="conversation"
              data-id={String(view.id)}
              aria-current={view.id === props.current ? 'true' : undefined}
            >
              <a href={`/agent/conversations/${view.id}`}>#{view.id}</a>{' '}
              <ContactName card={view.contact} />
              <div class="meta">
                team <span class="team">{view.team}</span> ·{' '}
                <span class="campaign" data-campaign={view.campaign.id}>
                  {view.campaign.name}
                </span>{' '}
                · {view.messages.length} message{view.messages.length === 1 ? '' : 's'}
              </div>
              {last ? <div class="preview">{last.body}</div> : null}
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

/** GET /agent: every campaign's open conversations, oldest first. */
export function ConversationListPage(props: {
  conversations: readonly ConversationView[]
  agent?: Agent | undefined
}) {
  return (
    <ConsoleLayout title="Agent console" agent={props.agent} current="/agent">
      <h1>Open conversations</h1>
      <div class="console two">
        <Queue conversations={props.conversations} />
        <section class="pane">
          <h2>No conversation open</h2>
          <p>
            Pick a conversation on the left: its transcript opens here, beside who the visitor is.
            Past conversations are under <a href="/agent/history">History</a>.
          </p>
        </section>
      </div>
    </ConsoleLayout>
  )
}

/** Who the agent talks to: name, external ID, verified badge and the mapped fields. */
function IdentityCard(props: { view: ConversationView }) {
  const { contact } = props.view
  return (
    <aside class="pane identity-card" aria-labelledby="identity-title">
      <h2 id="identity-title">
        <ContactName card={contact} ids />
      </h2>
      <p class="muted">
        {contact.verified
          ? 'Signed in with single sign-on: these fields came from the identity provider.'
          : 'Guest: these are the survey answers as typed, not verified.'}
      </p>
      <ContactTable card={contact} />
      {contact.externalId !== null ? (
        <p>
          <a href={`/agent/history?external_id=${encodeURIComponent(contact.externalId)}`}>
            Past conversations
          </a>
        </p>
      ) : null}
    </aside>
  )
}

/** GET /agent/conversations/:id: the queue, the transcript with the agent's actions, the identity. */
export function ConversationPage(props: {
  view: ConversationView
  queue: readonly ConversationView[]
  agent?: Agent | undefined
}) {
  const { view } = props
  const action = (what: string) => `/agent/conversations/${view.id}/${what}`
  const open = view.status === 'open'
  return (
    <ConsoleLayout title={`Conversation #${view.id}`} agent={props.agent} current="">
      <div class="console">
        <Queue conversations={props.queue} current={view.id} />
        <section class="pane transcript-pane" aria-labelledby="conversation-title">
          <h1 id="conversation-title">Conversation #{view.id}</h1>
          <p class="meta">
            <span class="campaign" data-campaign={view.campaign.id}>
              {view.campaign.name}
            </span>{' '}
            · team <span id="team">{view.team}</span> ·{' '}
            <span id="status" data-status={view.status}>
              {view.status}
            </span>{' '}
            since <Instant ms={view.startedAt} />
          </p>
          <MessageList id="messages" messages={view.messages} />
          {open ? (
            <>
              <form id="reply" method="post" action={action('reply')}>
                <label for="reply-text">Reply</label>
                <textarea id="reply-text" name="text" rows={3} maxlength={4000} required />
                <p>
                  <button type="submit">Send</button>
                </p>
              </form>
              {view.contact.verified ? null : (
                <form id="send-sign-in-request" method="post" action={action('sign-in-request')}>
                  <button type="submit" class="secondary">
                    Ask the visitor to sign in
                  </button>
                </form>
              )}
              <form id="end-conversation" method="post" action={action('end')}>
                <button type="submit" class="secondary">
                  End the conversation
                </button>
              </form>
            </>
          ) : null}
        </section>
        <IdentityCard view={view} />
      </div>
    </ConsoleLayout>
  )
}

function TranscriptItem(props: {
  transcript: Transcript
  campaignName: (id: string) => string
  open: boolean
}) {
  const { transcript } = props
  return (
    <li class="transcript" data-conversation-id={String(transcript.conversationId)}>
      <details open={props.open}>
        <summary>
          #{transcript.conversationId} <ContactName card={transcript.contact} />{' '}
          <span class="meta">
            · team <span class="team">{transcript.team}</span> ·{' '}
            <span class="campaign" data-campaign={transcript.campaign}>
              {props.campaignName(transcript.campaign)}
            </span>{' '}
            · ended <Instant ms={transcript.endedAt} class="ended-at" />
          </span>
        </summary>
        <MessageList messages={transcript.messages} />
      </details>
    </li>
  )
}

/**
 * GET /agent/history: a customer's past conversations by their exact external ID, or, before a
 * search, the latest transcripts of everyone.
 */
export function HistoryPage(props: {
  externalId: string
  transcripts: readonly Transcript[]
  recent: readonly Transcript[]
  campaignName: (id: string) => string
  agent?: Agent | undefined
}) {
  const { externalId, transcripts } = props
  const searched = externalId !== ''
  return (
    <ConsoleLayout title="History" agent={props.agent} current="/agent/history">
      <h1>Conversation history</h1>
      <form id="history-search" method="get" action="/agent/history">
        <label for="external-id-search">External ID (exact)</label>
        <input
          type="search"
          id="external-id-search"
          name="external_id"
          value={externalId}
          required
        />
        <p>
          <button type="submit">Search</button>
        </p>
      </form>
      {searched ? (
        <h2 id="history-count">
          {transcripts.length} past conversation{transcripts.length === 1 ? '' : 's'} with{' '}
          <code>{externalId}</code>
        </h2>
      ) : (
        <h2 id="recent-title">Recent transcripts</h2>
      )}
      {!searched && props.recent.length === 0 ? (
        <p id="no-transcripts">No conversation has ended yet.</p>
      ) : null}
      <ul class="transcripts" id={searched ? 'search-results' : 'recent-transcripts'}>
        {(searched ? transcripts : props.recent).map((transcript) => (
          <TranscriptItem
            transcript={transcript}
            campaignName={props.campaignName}
            open={searched}
          />
        ))}
      </ul>
    </ConsoleLayout>
  )
}
