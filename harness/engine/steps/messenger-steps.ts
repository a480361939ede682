import { z } from 'zod'
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
