import * as z from 'zod'
import { BrowserSet } from '../drivers/browser-set.ts'
import { StepFailure } from '../drivers/driver.ts'
import { clip } from '../scenario-values.ts'
import { defineStep, noArgument } from './step.ts'

/** The visitor in the messenger's chat window. */
export const messengerSteps = {
  /** The visitor opens the messenger's chat window (the campaign at the SP's root). */
  'open messenger': defineStep({
    schema: noArgument(),
    describe: () => 'open the messenger',
    run: (_, { world, driver }) =>
      driver.goto(new URL('/messenger?open=1', world.spUrl).toString()),
  }),

  /** In the chat window: "Sign in" (also the prompt after an agent's sign-in request). */
  'choose sign in': defineStep({
    schema: noArgument(),
    describe: () => 'choose "Sign in" in the chat window',
    run: (_, { driver }) => driver.click('#chat-window #sign-in'),
  }),

  /**
   * In the widget's chat window: "Sign in", shown inside the conversation panel where the IdP
   * lets itself be framed (else the panel offers a popup); `expect: { login in panel }` reads
   * which, and the sign-in goes on in place either way.
   */
  'choose sign in in the panel': defineStep({
    schema: noArgument(),
    describe: () => 'choose "Sign in" in the chat window, shown inside its panel',
    run: (_, { driver }) => driver.signInInPanel('#chat-window #sign-in[data-frame]'),
  }),

  /** In the chat window: "Chat as visitor". */
  'chat as visitor': defineStep({
    schema: noArgument(),
    describe: () => 'choose "Chat as visitor"',
    run: (_, { driver }) => driver.submitForm('#chat-as-visitor'),
  }),

  /** Fill in and send the pre-chat survey, by field name. */
  'fill survey': defineStep({
    schema: z.record(z.string(), z.string()).default({}),
    describe: (fields) =>
      `fill in the pre-chat survey (${Object.keys(fields).join(', ') || 'nothing'})`,
    run: (fields, { driver }) => driver.submitForm('#survey', fields),
  }),

  /** The visitor sends a chat message. */
  'send message': defineStep({
    schema: z.string().min(1),
    describe: (text) => `send the message "${clip(text, 60)}"`,
    run: (text, { driver }) => driver.submitForm('#message-form', { text }),
  }),

  /** The visitor ends the conversation from the chat window. */
  'end conversation': defineStep({
    schema: noArgument(),
    describe: () => 'end the conversation from the chat window',
    run: (_, { driver }) => driver.submitForm('#end-conversation'),
  }),

  /** The visitor signs out from the chat window. */
  'log out from the messenger': defineStep({
    schema: noArgument(),
    describe: () => 'sign out from the chat window',
    run: (_, { driver }) => driver.submitForm('#log-out'),
  }),

  /**
   * The visitor goes on in another browser of theirs (a second device: cookies of its own), or
   * back to one used before; the scenario starts in `first`.
   */
  'switch browser': defineStep({
    schema: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a name, e.g. second'),
    describe: (name) => `go on in the browser "${name}"`,
    run: (name, { driver }) => {
      if (!(driver instanceof BrowserSet)) {
        throw new StepFailure(
          'this run has a single browser: switch browser needs the scenario runner',
        )
      }
      return driver.use(name)
    },
  }),

  /**
   * The site's own page JavaScript signs the visitor in through the messenger's JS API
   * (`ssoproofMessenger.set`): it fetches a JWT (`POST {idp}/jwt/token`) or a SAML artifact
   * (`POST {idp}/saml/page-artifact`) with the visitor's IdP cookie, posts it to the SP's JWT
   * callback or ACS as the API does, and reopens the chat window once the SP accepted it. A
   * refusal on the way (no IdP session, the SP saying no) is left as the page to `expect`.
   */
  'page hands over': defineStep({
    schema: z.enum(['jwt', 'artifact']),
    describe: (kind) =>
      `the site's page hands ${kind === 'jwt' ? 'a JWT' : 'a SAML artifact'} to the messenger`,
    run: async (kind, { world, driver }) => {
      const page = new URL('/messenger', world.spUrl).href
      const spBase = world.spUrl.replace(/\/+$/, '')
      const from = (url: string, body?: string) =>
        driver.send({
          method: 'POST',
          url,
          from: page,
          headers:
            body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        })
      await from(
        kind === 'jwt'
          ? `${world.idpUrl}/jwt/token?sp=${encodeURIComponent(spBase)}`
          : `${world.idpUrl}/saml/page-artifact?sp=${encodeURIComponent(world.sp.config.entityId)}`,
      )
      const issued = await driver.page()
      if (issued.status !== 200) return
      const answer = JSON.parse(issued.html) as { token?: string; artifact?: string }
      const back = '/messenger?open=1'
      await from(
        `${spBase}${kind === 'jwt' ? '/jwt/callback' : '/saml/acs'}`,
        new URLSearchParams(
          kind === 'jwt'
            ? { token: answer.token ?? '', return_url: back }
            : { SAMLart: answer.artifact ?? '', RelayState: back },
        ).toString(),
      )
      const accepted = await driver.page()
      if (accepted.status >= 300 && accepted.status < 400) {
        await driver.goto(new URL(back, world.spUrl).href)
      }
    },
  }),

  /** At the SP's first-sign-on question, choose this username. */
  'choose username': defineStep({
    schema: z.string(),
    describe: (username) => `choose the username ${username}`,
    run: (username, { driver }) => driver.submitForm('#username-form', { username }),
  }),

  /** At the SP's first-sign-on question, give this email address. */
  'give email': defineStep({
    schema: z.string(),
    describe: (email) => `give the email address ${email}`,
    run: (email, { driver }) => driver.submitForm('#email-form', { email }),
  }),
}
