import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { Layout } from '../../core/http/layout.tsx'
import type { Agent } from '../agents/agent-store.ts'
import type { Transcript } from '../messenger/conversations.ts'
import { MessageList, messageStyles } from '../messenger/message-list.tsx'
import { ContactName, ContactTable, Instant } from './contact-table.tsx'
import type { ConversationView } from './conversation-view.ts'

const styles = `
  nav a { margin-right: 1rem; }
  .conversations, .transcripts { list-style: none; padding: 0; }
  .conversation, .transcript { border-bottom: 1px solid #eceef2; padding: .6rem 0; }
  .badge.verified { background: #e3f4e6; color: #1f6b2c; }
  .badge.guest { background: #f1f1f1; color: #5c6473; }
  form { display: inline-block; margin: .3rem .3rem .3rem 0; }
  #reply { display: block; }
  ${messageStyles}
`

function ConsoleLayout(props: { title: string; agent: Agent | undefined; children: Child }) {
  const { agent } = props
  return (
    <Layout title={props.title} side="SP">
      <style>{raw(styles)}</style>
      <nav>
        <a href="/agent">Open conversations</a>
        <a href="/agent/history">History</a>
      </nav>
      {agent ? (
        <div id="agent-identity">
          Signed in as <span id="agent-name">{agent.name}</span> (
          <code id="agent-login-name">{agent.loginName}</code>, site{' '}
          <code id="agent-site">{agent.siteId}</code>){' '}
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

/** GET /agent: every campaign's open conversations, oldest first. */
export function ConversationListPage(props: {
  conversations: readonly ConversationView[]
  agent?: Agent | undefined
}) {
  return (
    <ConsoleLayout title="Agent console" agent={props.agent}>
      <h1>Open conversations</h1>
      {props.conversations.length === 0 ? <p id="no-conversations">No one is waiting.</p> : null}
      <ul class="conversations">
        {props.conversations.map((view) => (
          <li class="conversation" data-id={String(view.id)}>
            <a href={`/agent/conversations/${view.id}`}>#{view.id}</a>{' '}
            <ContactName card={view.contact} /> · team <span class="team">{view.team}</span> ·{' '}
            <span class="campaign" data-campaign={view.campaign.id}>
              {view.campaign.name}
            </span>{' '}
            · {view.messages.length} message{view.messages.length === 1 ? '' : 's'}
          </li>
        ))}
      </ul>
    </ConsoleLayout>
  )
}

/** GET /agent/conversations/:id: the contact, the messages and what the agent can do. */
export function ConversationPage(props: { view: ConversationView; agent?: Agent | undefined }) {
  const { view } = props
  const action = (what: string) => `/agent/conversations/${view.id}/${what}`
  const open = view.status === 'open'
  return (
    <ConsoleLayout title={`Conversation #${view.id}`} agent={props.agent}>
      <h1>
        <ContactName card={view.contact} ids />
      </h1>
      <p>
        Conversation #{view.id} ·{' '}
        <span class="campaign" data-campaign={view.campaign.id}>
          {view.campaign.name}
        </span>{' '}
        · team <span id="team">{view.team}</span> ·{' '}
        <span id="status" data-status={view.status}>
          {view.status}
        </span>{' '}
        since <Instant ms={view.startedAt} />
      </p>
      <ContactTable card={view.contact} />
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
    </ConsoleLayout>
  )
}

/** GET /agent/history: a customer's past conversations by their exact external ID. */
export function HistoryPage(props: {
  externalId: string
  transcripts: readonly Transcript[]
  campaignName: (id: string) => string
  agent?: Agent | undefined
}) {
  const { externalId, transcripts } = props
  return (
    <ConsoleLayout title="History" agent={props.agent}>
      <h1>Conversation history</h1>
      <form id="history-search" method="get" action="/agent/history">
        <label for="external-id-search">External ID</label>
        <input type="text" id="external-id-search" name="external_id" value={externalId} required />
        <p>
          <button type="submit">Search</button>
        </p>
      </form>
      {externalId !== '' ? (
        <p id="history-count">
          {transcripts.length} past conversation{transcripts.length === 1 ? '' : 's'} with{' '}
          <code>{externalId}</code>
        </p>
      ) : null}
      <ul class="transcripts">
        {transcripts.map((transcript) => (
          <li class="transcript" data-conversation-id={String(transcript.conversationId)}>
            <p>
              #{transcript.conversationId} <ContactName card={transcript.contact} /> · team{' '}
              <span class="team">{transcript.team}</span> ·{' '}
              <span class="campaign" data-campaign={transcript.campaign}>
                {props.campaignName(transcript.campaign)}
              </span>{' '}
              · ended <Instant ms={transcript.endedAt} class="ended-at" />
            </p>
            <MessageList messages={transcript.messages} />
          </li>
        ))}
      </ul>
    </ConsoleLayout>
  )
}
