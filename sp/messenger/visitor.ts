import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { newToken } from '../../core/random/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { Contact } from '../accounts/contacts.ts'
import type { SpContext } from '../context.ts'
import { visitorCookie } from '../session/cookies.ts'
import { surveyProfile } from './contact-card.ts'
import type { Conversation, ConversationStore } from './conversations.ts'
import { routeTeam } from './routing.ts'

/** The person at the messenger of one campaign. */
export interface Visitor {
  /** The SHA-256 of the browser's `ssoproof_visitor` cookie. */
  key: string
  /** Signed in at this campaign: the account their session matched. */
  contact: Contact | undefined
  /** Their open conversation in this campaign. */
  conversation: Conversation | undefined
}

/**
 * Who is at the messenger, with their open conversation; a browser's first visit gets its
 * visitor cookie (random, httpOnly, kept hashed). Reading the session counts as activity unless
 * `activity` is false (the window's polling is not the visitor doing something). A signed-in
 * visitor without a conversation in this browser sees the open one of the same identity in the
 * campaign, started in another browser or device (Comm100's conversation across devices). Two
 * rules keep a conversation's identity true:
 *   1. a guest conversation of a visitor now signed in takes the identity (the sign-in listener
 *      normally did that already; this covers a callback the visitor cookie did not reach);
 *   2. a conversation carrying an identity this browser is no longer signed in as (the session
 *      ended, or another person signed in) is never shown to whoever sits there now, and a
 *      request of the visitor's own (`activity`) ends it. A poll only hides it: a poll sent before
 *      the sign-in's Set-Cookie reached the browser, and handled after the sign-in listener gave
 *      the conversation its identity, carries no session yet and must not end the conversation
 *      the visitor has just verified (the window then reloads with the session cookie).
 */
export function currentVisitor(
  ctx: SpContext,
  chats: ConversationStore,
  c: Context,
  activity = true,
): Visitor {
  let token = getCookie(c, visitorCookie)
  if (!token) {
    token = newToken(ctx.options.random)
    setCookie(c, visitorCookie, token, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: ctx.options.baseUrl.startsWith('https:'),
    })
  }
  const key = tokenKey(token)
  const sessionToken = getCookie(c, ctx.cookies.session)
  const session = activity ? ctx.sessions.touch(sessionToken) : ctx.sessions.peek(sessionToken)
  const contact = session?.contactId === undefined ? undefined : ctx.contacts.get(session.contactId)
  let conversation =
    chats.findOpen(ctx.campaign.id, key) ??
    (contact ? chats.findOpenForContact(ctx.campaign.id, contact.id) : undefined)
  if (conversation?.contactId !== undefined && conversation.contactId !== contact?.id) {
    if (activity) chats.end(conversation.id, 'The visitor is no longer signed in.')
    conversation = undefined
  } else if (conversation && contact && conversation.contactId === undefined) {
    conversation = attachIdentity(ctx, chats, conversation, contact)
  }
  return { key, contact, conversation }
}

/** The agent's sign-in request answered: the open guest conversation now carries the contact. */
export function attachOnSignIn(ctx: SpContext, chats: ConversationStore): void {
  ctx.signInListeners.push((c, { contact }) => {
    const token = getCookie(c, visitorCookie)
    const conversation = token ? chats.findOpen(ctx.campaign.id, tokenKey(token)) : undefined
    if (conversation && conversation.contactId === undefined) {
      attachIdentity(ctx, chats, conversation, contact)
    }
  })
}

/** Starts the visitor's conversation, routed on their identity or their survey answers. */
export function startConversation(
  ctx: SpContext,
  chats: ConversationStore,
  visitor: Visitor,
  survey: Record<string, string> = {},
): Conversation {
  const { contact } = visitor
  return chats.start({
    campaign: ctx.campaign.id,
    visitor: visitor.key,
    ...(contact ? { contactId: contact.id } : { survey }),
    team: routeTeam(ctx.campaign.routing, contact ?? surveyProfile(survey)),
  })
}

function attachIdentity(
  ctx: SpContext,
  chats: ConversationStore,
  conversation: Conversation,
  contact: Contact,
): Conversation {
  chats.attachContact(conversation.id, contact, routeTeam(ctx.campaign.routing, contact))
  return chats.get(conversation.id) as Conversation
}
