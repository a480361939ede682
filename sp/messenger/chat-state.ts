import type { CampaignSettings } from '../campaigns/settings.ts'
import type { Visitor } from './visitor.ts'

/** What the chat window shows; the page's `#chat-window[data-state]`. */
export type ChatState = 'choose' | 'sign-in-required' | 'survey' | 'conversation'

/**
 * The campaign's sign-in option applied to one visitor, in this order: an open conversation is
 * shown; a signed-in visitor chats at once with their identity (no survey); `required` asks for
 * sign-in; `optional` asks "Sign in or chat as visitor" until the guest chose (`guestChosen`, only
 * meaningful while a survey is still to fill); a survey, when the campaign has one, comes
 * before the conversation. `conversation` without an open conversation means the visitor's
 * first message starts one (conversations.ts is lazy: opening the window writes nothing).
 */
export function chatState(
  campaign: CampaignSettings,
  visitor: Pick<Visitor, 'contact' | 'conversation'>,
  guestChosen = false,
): ChatState {
  if (visitor.conversation || visitor.contact) return 'conversation'
  if (campaign.signIn === 'required') return 'sign-in-required'
  const hasSurvey = campaign.survey.length > 0
  if (campaign.signIn === 'optional' && !(guestChosen && hasSurvey)) return 'choose'
  return hasSurvey ? 'survey' : 'conversation'
}
