import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Clock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import type { ContactStore } from '../accounts/contacts.ts'
import type { Agent } from '../agents/agent-store.ts'
import type { SpConnection } from '../connection.tsx'
import { type Conversation, createConversationStore } from '../messenger/conversations.ts'
import { readMessageText } from '../messenger/read-form.ts'
import type { SpDatabase } from '../store/database.ts'
import { ConversationListPage, ConversationPage, HistoryPage } from './console-pages.tsx'
import { campaignOf, conversationView } from './conversation-view.ts'

export interface AgentConsoleOptions {
  db: SpDatabase
  campaigns: ReadonlyMap<string, SpConnection>
  contacts: ContactStore
  clock: Clock
  /** The signed-in agent of a request, when agent SSO guards the console (agents/mount-agent-sso.tsx). */
  agentOf?: (c: Context) => Agent | undefined
}

/**
 * The agent console, once for all campaigns at the SP's root (create-sp.tsx mounts it):
 *   GET  /agent                                     open conversations
 *   GET  /agent/conversations/:id                   contact card, messages, the agent's actions
 *   POST /agent/conversations/:id/reply             the agent's message
 *   POST /agent/conversations/:id/sign-in-request   asks a guest to sign in (Comm100 SSO request)
 *   POST /agent/conversations/:id/end               ends it; the transcript keeps the external ID
 *   GET  /agent/history?external_id=X               a customer's past conversations (exact match)
 *   GET  /agent/api/conversations[/:id]             the same as JSON
 *   GET  /agent/api/transcripts?external_id=X
 * An id that names no conversation (or an ended one, for the actions) is SP_CONVERSATION_NOT_FOUND.
 * With `agentSso` configured, agent SSO guards every page and shows who is signed in; without,
 * the console has no sign-in: a test bench on loopback.
 */
/** How many transcripts the history shows before a search. */
const recentCount = 20

export function mountAgentConsole(app: Hono, options: AgentConsoleOptions): void {
  const { campaigns, contacts } = options
  const agentOf = (c: Context) => options.agentOf?.(c)
  const chats = createConversationStore(options.db, contacts, options.clock)
  const view = (conversation: Conversation) =>
    conversationView(conversation, {
      campaigns,
      contact: (id) => contacts.get(id),
      messages: (id) => chats.messages(id),
    })
  const find = (c: Context, status?: 'open') => {
    const id = c.req.param('id') ?? ''
    const conversation = /^[1-9]\d{0,14}$/.test(id) ? chats.get(Number(id)) : undefined
    if (!conversation || (status && conversation.status !== status)) {
      throw new SsoError(
        'SP_CONVERSATION_NOT_FOUND',
        'conversation',
        status ? 'no open conversation has this id' : 'no conversation has this id',
        { id: id.slice(0, 40) },
      )
    }
    return conversation
  }
  const backTo = (c: Context, conversation: Conversation) =>
    c.redirect(`/agent/conversations/${conversation.id}`, 303)
  const openViews = () => chats.listOpen().map(view)
  const history = (c: Context) => {
    const externalId = c.req.query('external_id')?.trim() ?? ''
    return { externalId, transcripts: externalId === '' ? [] : chats.transcripts(externalId) }
  }

  app.use('/agent/*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  app.get('/agent', (c) =>
    c.html(renderHtml(<ConversationListPage conversations={openViews()} agent={agentOf(c)} />)),
  )
  app.get('/agent/conversations/:id', (c) =>
    c.html(
      renderHtml(<ConversationPage view={view(find(c))} queue={openViews()} agent={agentOf(c)} />),
    ),
  )
  app.post('/agent/conversations/:id/reply', async (c) => {
    const conversation = find(c, 'open')
    chats.addMessage(conversation.id, 'agent', 'text', readMessageText(await c.req.parseBody()))
    return backTo(c, conversation)
  })
  app.post('/agent/conversations/:id/sign-in-request', (c) => {
    const conversation = find(c, 'open')
    // A visitor already signed in has nothing to answer: the request is not sent again.
    if (conversation.contactId === undefined) {
      chats.addMessage(
        conversation.id,
        'agent',
        'sign-in-request',
        'Please sign in, so that I can see your account.',
      )
    }
    return backTo(c, conversation)
  })
  app.post('/agent/conversations/:id/end', (c) => {
    const conversation = find(c, 'open')
    chats.end(conversation.id, 'The agent ended the conversation.')
    return backTo(c, conversation)
  })
  app.get('/agent/history', (c) => {
    const { externalId, transcripts } = history(c)
    return c.html(
      renderHtml(
        <HistoryPage
          externalId={externalId}
          transcripts={transcripts}
          recent={externalId === '' ? chats.recentTranscripts(recentCount) : []}
          campaignName={(id) => campaignOf(campaigns, id).name}
          agent={agentOf(c)}
        />,
      ),
    )
  })

  const api = new Hono()
  // Scripts get findings as JSON whatever they accept (the SP's onError only does so for /api/…).
  api.onError((error, c) => {
    if (!(error instanceof SsoError)) throw error
    return c.json(
      { error: { ...error.toFinding(), hint: error.hint } },
      error.status as ContentfulStatusCode,
    )
  })
  api.get('/conversations', (c) => c.json({ conversations: openViews() }))
  api.get('/conversations/:id', (c) => c.json(view(find(c))))
  api.get('/transcripts', (c) => c.json(history(c)))
  app.route('/agent/api', api)
}
