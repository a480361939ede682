import type { Clock } from '../../core/clock/index.ts'
import type { Contact, ContactStore } from '../accounts/contacts.ts'
import type { SpDatabase } from '../store/database.ts'
import { type ContactCard, contactCard } from './contact-card.ts'

/** A chat between a campaign's visitor and its agents; one open at most per visitor and campaign. */
export interface Conversation {
  id: number
  campaign: string
  /** The SHA-256 of the visitor cookie (store/token-key.ts), never the cookie itself. */
  visitor: string
  /** The signed-in visitor's account; none for a guest. */
  contactId: number | undefined
  /** A guest's pre-chat survey answers, by survey field name. */
  survey: Record<string, string>
  team: string
  status: 'open' | 'ended'
  startedAt: number
  endedAt: number | undefined
}

export type Author = 'visitor' | 'agent' | 'system'

/**
 * `text`: someone wrote it; `sign-in-request`: an agent asks a guest to sign in; `signed-in`: the
 * guest did; `routed`: the identity sent the conversation to another team; `ended`: the close.
 */
export type MessageKind = 'text' | 'sign-in-request' | 'signed-in' | 'routed' | 'ended'

export interface Message {
  id: number
  author: Author
  kind: MessageKind
  body: string
  at: number
}

/** What stays of an ended conversation; history is searched by `externalId`. */
export interface Transcript {
  conversationId: number
  campaign: string
  /** The signed-in visitor's external ID; null for a guest. */
  externalId: string | null
  /** The contact as it was when the conversation ended (a guest: the survey answers). */
  contact: ContactCard
  team: string
  messages: Message[]
  startedAt: number
  endedAt: number
}

export interface ConversationStore {
  get(id: number): Conversation | undefined
  findOpen(campaign: string, visitor: string): Conversation | undefined
  /** The signed-in visitor's latest open conversation in the campaign, from any browser. */
  findOpenForContact(campaign: string, contactId: number): Conversation | undefined
  listOpen(): Conversation[]
  start(input: {
    campaign: string
    visitor: string
    contactId?: number
    survey?: Record<string, string>
    team: string
  }): Conversation
  messages(conversationId: number): Message[]
  addMessage(conversationId: number, author: Author, kind: MessageKind, body: string): Message
  /**
   * A guest signed in mid-conversation: the same conversation now carries the contact (a
   * `signed-in` message says so) and goes to `team`, the routing's answer for the identity.
   */
  attachContact(conversationId: number, contact: Contact, team: string): void
  /** Closes an open conversation with an `ended` message and writes its transcript. */
  end(conversationId: number, note: string): Transcript
  /** A customer's past conversations, newest first (exact match on the external ID). */
  transcripts(externalId: string): Transcript[]
  /** The latest transcripts of every customer and guest, newest first (the console's history). */
  recentTranscripts(limit: number): Transcript[]
}

interface ConversationRow {
  id: number
  campaign: string
  visitor: string
  contact_id: number | null
  survey: string
  team: string
  status: 'open' | 'ended'
  started_at: number
  ended_at: number | null
}

interface TranscriptRow {
  conversation_id: number
  campaign: string
  external_id: string | null
  contact: string
  team: string
  messages: string
  started_at: number
  ended_at: number
}

/** The conversations, messages and transcripts tables (store/migrations.ts) behind one API. */
export function createConversationStore(
  db: SpDatabase,
  contacts: ContactStore,
  clock: Clock,
): ConversationStore {
  const byId = db.prepare<[number], ConversationRow>('SELECT * FROM conversations WHERE id = ?')
  const openByVisitor = db.prepare<[string, string], ConversationRow>(
    "SELECT * FROM conversations WHERE visitor = ? AND campaign = ? AND status = 'open'",
  )
  const openByContact = db.prepare<[number, string], ConversationRow>(
    "SELECT * FROM conversations WHERE contact_id = ? AND campaign = ? AND status = 'open' ORDER BY started_at DESC, id DESC LIMIT 1",
  )
  const allOpen = db.prepare<[], ConversationRow>(
    "SELECT * FROM conversations WHERE status = 'open' ORDER BY started_at, id",
  )
  const insert = db.prepare(
    `INSERT INTO conversations (campaign, visitor, contact_id, survey, team, status, started_at)
     VALUES (@campaign, @visitor, @contactId, @survey, @team, 'open', @at)`,
  )
  const messageRows = db.prepare<[number], Message>(
    'SELECT id, author, kind, body, at FROM messages WHERE conversation_id = ? ORDER BY id',
  )
  const insertMessage = db.prepare(
    'INSERT INTO messages (conversation_id, author, kind, body, at) VALUES (?, ?, ?, ?, ?)',
  )
  const setContact = db.prepare('UPDATE conversations SET contact_id = ?, team = ? WHERE id = ?')
  const close = db.prepare("UPDATE conversations SET status = 'ended', ended_at = ? WHERE id = ?")
  const insertTranscript = db.prepare(
    `INSERT INTO transcripts (conversation_id, campaign, external_id, contact, team, messages, started_at, ended_at)
     VALUES (@conversationId, @campaign, @externalId, @contact, @team, @messages, @startedAt, @endedAt)`,
  )
  const transcriptsByExternalId = db.prepare<[string], TranscriptRow>(
    'SELECT * FROM transcripts WHERE external_id = ? ORDER BY ended_at DESC, conversation_id DESC',
  )
  const latestTranscripts = db.prepare<[number], TranscriptRow>(
    'SELECT * FROM transcripts ORDER BY ended_at DESC, conversation_id DESC LIMIT ?',
  )

  const get = (id: number) => fromRow(byId.get(id))
  const open = (id: number) => {
    const conversation = get(id)
    if (conversation?.status !== 'open') throw new Error(`conversation ${id} is not open`)
    return conversation
  }
  const addMessage: ConversationStore['addMessage'] = (conversationId, author, kind, body) => {
    const at = clock.now()
    const id = Number(insertMessage.run(conversationId, author, kind, body, at).lastInsertRowid)
    return { id, author, kind, body, at }
  }
  const attachContact = db.transaction((id: number, contact: Contact, team: string) => {
    const conversation = open(id)
    setContact.run(contact.id, team, id)
    addMessage(id, 'system', 'signed-in', `Signed in as ${contact.name ?? contact.externalId}`)
    if (team !== conversation.team) addMessage(id, 'system', 'routed', `Routed to team ${team}`)
  })
  const end = db.transaction((id: number, note: string): Transcript => {
    const conversation = open(id)
    addMessage(id, 'system', 'ended', note)
    const endedAt = clock.now()
    close.run(endedAt, id)
    const contact =
      conversation.contactId === undefined ? undefined : contacts.get(conversation.contactId)
    const transcript: Transcript = {
      conversationId: id,
      campaign: conversation.campaign,
      externalId: contact?.externalId ?? null,
      contact: contactCard(contact, conversation.survey),
      team: conversation.team,
      messages: messageRows.all(id),
      startedAt: conversation.startedAt,
      endedAt,
    }
    insertTranscript.run({
      ...transcript,
      contact: JSON.stringify(transcript.contact),
      messages: JSON.stringify(transcript.messages),
    })
    return transcript
  })
  return {
    get,
    findOpen: (campaign, visitor) => fromRow(openByVisitor.get(visitor, campaign)),
    findOpenForContact: (campaign, contactId) => fromRow(openByContact.get(contactId, campaign)),
    listOpen: () => allOpen.all().map((row) => fromRow(row) as Conversation),
    start(input) {
      const id = insert.run({
        campaign: input.campaign,
        visitor: input.visitor,
        contactId: input.contactId ?? null,
        survey: JSON.stringify(input.survey ?? {}),
        team: input.team,
        at: clock.now(),
      }).lastInsertRowid
      return get(Number(id)) as Conversation
    },
    messages: (conversationId) => messageRows.all(conversationId),
    addMessage,
    // Read-then-write transactions take the write lock first (see contacts.ts signOn).
    attachContact: (id, contact, team) => attachContact.immediate(id, contact, team),
    end: (id, note) => end.immediate(id, note),
    transcripts: (externalId) => transcriptsByExternalId.all(externalId).map(transcriptFromRow),
    recentTranscripts: (limit) => latestTranscripts.all(limit).map(transcriptFromRow),
  }
}

function fromRow(row: ConversationRow | undefined): Conversation | undefined {
  if (!row) return undefined
  return {
    id: row.id,
    campaign: row.campaign,
    visitor: row.visitor,
    contactId: row.contact_id ?? undefined,
    survey: JSON.parse(row.survey) as Record<string, string>,
    team: row.team,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at ?? undefined,
  }
}

function transcriptFromRow(row: TranscriptRow): Transcript {
  return {
    conversationId: row.conversation_id,
    campaign: row.campaign,
    externalId: row.external_id,
    contact: JSON.parse(row.contact) as ContactCard,
    team: row.team,
    messages: JSON.parse(row.messages) as Message[],
    startedAt: row.started_at,
    endedAt: row.ended_at,
  }
}
