import type { Contact } from '../accounts/contacts.ts'
import type { SpConnection } from '../connection.tsx'
import { type ContactCard, contactCard } from '../messenger/contact-card.ts'
import type { Conversation, Message } from '../messenger/conversations.ts'

/** A conversation as the agent sees it, on the console's pages and in its JSON API. */
export interface ConversationView {
  id: number
  campaign: { id: string; name: string }
  team: string
  status: Conversation['status']
  startedAt: number
  endedAt: number | null
  contact: ContactCard
  messages: Message[]
}

/** The campaign's id and the name its visitors see (the id of a campaign no longer configured). */
export function campaignOf(
  campaigns: ReadonlyMap<string, SpConnection>,
  id: string,
): ConversationView['campaign'] {
  return { id, name: campaigns.get(id)?.context.campaign.name ?? id }
}

export function conversationView(
  conversation: Conversation,
  deps: {
    campaigns: ReadonlyMap<string, SpConnection>
    contact: (id: number) => Contact | undefined
    messages: (conversationId: number) => Message[]
  },
): ConversationView {
  const contact =
    conversation.contactId === undefined ? undefined : deps.contact(conversation.contactId)
  return {
    id: conversation.id,
    campaign: campaignOf(deps.campaigns, conversation.campaign),
    team: conversation.team,
    status: conversation.status,
    startedAt: conversation.startedAt,
    endedAt: conversation.endedAt ?? null,
    contact: contactCard(contact, conversation.survey),
    messages: deps.messages(conversation.id),
  }
}
