import type { Context, Hono } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import type { SpContext } from '../context.ts'
import { chatState } from './chat-state.ts'
import { createConversationStore } from './conversations.ts'
import { MessengerPage, type MessengerPageProps } from './messenger-page.tsx'
import { PopupDonePage } from './popup-done-page.tsx'
import { readMessageText, readSurvey } from './read-form.ts'
import { silentSignInPending, silentSignInTarget } from './silent-sign-in.ts'
import { attachOnSignIn, currentVisitor, startConversation, type Visitor } from './visitor.ts'

/**
 * The visitor messenger of one campaign, mounted on its connection (connection.tsx):
 *   GET  /messenger             the site page: launcher and chat window (?open=1 open,
 *                               &guest=1 the guest's survey, &ended=1 the last chat just ended);
 *                               opening it may first try a silent sign-in (silent-sign-in.ts)
 *   GET  /messenger/api/state   the window's state as JSON, polled by its script
 *   POST /messenger/guest       "Chat as visitor": to the survey, or straight into a conversation
 *   POST /messenger/survey      the pre-chat survey; starts the guest's conversation
 *   POST /messenger/messages    the visitor's message; the first one starts the conversation
 *                               where the window opens straight into one (signed in, or no
 *                               sign-in and no survey)
 *   POST /messenger/end         the visitor ends the conversation (its transcript is written)
 *   POST /messenger/logout      ends the conversation, then hands over to POST /logout (307)
 *   GET  /messenger/popup-done  where a popup sign-in lands
 * Every POST that starts or writes a conversation first refuses visitors who are not signed in
 * to a sign-in-required campaign (SP_SIGN_IN_REQUIRED). A guest who signs in mid-conversation
 * keeps the conversation, now with their identity (visitor.ts).
 */
export function mountMessenger(app: Hono, ctx: SpContext): void {
  const chats = createConversationStore(ctx.db, ctx.contacts, ctx.options.clock)
  attachOnSignIn(ctx, chats)
  const base = `${ctx.pathPrefix}/messenger`
  const backToWindow = (c: Context, query = '?open=1') => c.redirect(`${base}${query}`, 303)
  const visitorMayWrite = (c: Context) => {
    const visitor = currentVisitor(ctx, chats, c)
    if (ctx.campaign.signIn === 'required' && !visitor.contact) {
      throw new SsoError(
        'SP_SIGN_IN_REQUIRED',
        'sign-in option',
        'only signed-in customers with an account can chat in this campaign',
        { campaign: ctx.campaign.id },
      )
    }
    return visitor
  }
  const page = (
    c: Context,
    visitor: Visitor,
    extra: Partial<MessengerPageProps> & { guest?: boolean } = {},
  ) => {
    c.header('Cache-Control', 'no-store')
    return c.html(
      renderHtml(
        <MessengerPage
          campaign={ctx.campaign}
          prefix={ctx.pathPrefix}
          state={extra.state ?? chatState(ctx.campaign, visitor, extra.guest)}
          visitor={visitor}
          messages={visitor.conversation ? chats.messages(visitor.conversation.id) : []}
          open={extra.open ?? c.req.query('open') === '1'}
          ended={c.req.query('ended') === '1'}
          error={extra.error}
          answers={extra.answers}
          silent={silentSignInPending(ctx, c, visitor)}
        />,
      ),
      extra.error ? 400 : 200,
    )
  }

  app.get('/messenger', (c) => {
    const visitor = currentVisitor(ctx, chats, c)
    const silent = silentSignInTarget(ctx, c, visitor)
    if (silent !== undefined) return c.redirect(silent, 303)
    return page(c, visitor, { guest: c.req.query('guest') === '1' })
  })

  app.get('/messenger/api/state', (c) => {
    c.header('Cache-Control', 'no-store')
    const visitor = currentVisitor(ctx, chats, c, false)
    const { conversation } = visitor
    const messages = conversation ? chats.messages(conversation.id) : []
    return c.json({
      state: chatState(ctx.campaign, visitor),
      signedIn: visitor.contact !== undefined,
      ...(conversation
        ? {
            conversation: {
              id: conversation.id,
              team: conversation.team,
              signInRequested:
                conversation.contactId === undefined &&
                messages.some((message) => message.kind === 'sign-in-request'),
              messages,
            },
          }
        : {}),
    })
  })

  app.post('/messenger/guest', (c) => {
    const visitor = visitorMayWrite(c)
    if (visitor.conversation || visitor.contact) return backToWindow(c)
    if (ctx.campaign.survey.length > 0) return backToWindow(c, '?open=1&guest=1')
    startConversation(ctx, chats, visitor)
    return backToWindow(c)
  })

  app.post('/messenger/survey', async (c) => {
    const visitor = visitorMayWrite(c)
    // Signed-in visitors skip the survey; a second submission does not start a second chat.
    if (visitor.conversation || visitor.contact) return backToWindow(c)
    const form = await c.req.parseBody()
    let answers: Record<string, string>
    try {
      answers = readSurvey(ctx.campaign.survey, form)
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      const typed = Object.fromEntries(
        Object.entries(form).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      )
      return page(c, visitor, { state: 'survey', open: true, error, answers: typed })
    }
    startConversation(ctx, chats, visitor, answers)
    return backToWindow(c)
  })

  app.post('/messenger/messages', async (c) => {
    const visitor = visitorMayWrite(c)
    const text = readMessageText(await c.req.parseBody())
    const conversation =
      visitor.conversation ??
      (chatState(ctx.campaign, visitor) === 'conversation'
        ? startConversation(ctx, chats, visitor)
        : undefined)
    if (!conversation) throw noConversation()
    chats.addMessage(conversation.id, 'visitor', 'text', text)
    return backToWindow(c)
  })

  app.post('/messenger/end', (c) => {
    const { conversation } = visitorMayWrite(c)
    if (!conversation) throw noConversation()
    chats.end(conversation.id, 'The visitor ended the conversation.')
    return backToWindow(c, '?open=1&ended=1')
  })

  app.post('/messenger/logout', async (c) => {
    const { conversation } = currentVisitor(ctx, chats, c)
    if (conversation) chats.end(conversation.id, 'The visitor signed out.')
    const form = await c.req.parseBody()
    const returnUrl = typeof form.return_url === 'string' ? form.return_url : `${base}?open=1`
    // 307 keeps the POST; the return URL rides in the query, where /logout reads it first.
    return c.redirect(`${ctx.pathPrefix}/logout?return_url=${encodeURIComponent(returnUrl)}`, 307)
  })

  app.get('/messenger/popup-done', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(renderHtml(<PopupDonePage prefix={ctx.pathPrefix} />))
  })
}

function noConversation(): SsoError {
  return new SsoError(
    'SP_CONVERSATION_NOT_FOUND',
    'conversation',
    'this visitor has no open conversation here',
    {},
  )
}
