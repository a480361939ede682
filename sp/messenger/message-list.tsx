import type { Message } from './conversations.ts'

/**
 * A conversation's messages as the visitor's window and the agent console both show them
 * (`#messages` where the page has one conversation): one `.message` each, with `data-author`
 * and `data-kind`. The window's script builds the same element from the state API; the
 * author's label comes from the style sheet. `live`: the visitor's window, whose script appends
 * agent replies, announces each (`aria-live`).
 */
export function MessageList(props: { messages: readonly Message[]; id?: string; live?: boolean }) {
  return (
    <ol
      id={props.id}
      class="messages"
      aria-label="Messages"
      tabindex={0}
      aria-live={props.live ? 'polite' : undefined}
      aria-relevant={props.live ? 'additions' : undefined}
    >
      {props.messages.map((message) => (
        <li class="message" data-author={message.author} data-kind={message.kind}>
          {message.body}
        </li>
      ))}
    </ol>
  )
}

/** The labels and bubbles of a message list, for the pages that show one. */
export const messageStyles = `
  .messages { list-style: none; padding: 0; margin: .5rem 0; max-height: 22rem; overflow-y: auto; }
  .message { margin: .3rem 0; padding: .4rem .6rem; border-radius: 8px; background: #f0f1f4; }
  .message[data-author=visitor] { background: #e7ecf5; margin-left: 3rem; }
  .message[data-author=agent] { margin-right: 3rem; }
  .message[data-author=system] { background: none; color: #434b58; font-size: .9rem; text-align: center; }
  .message[data-author=visitor]::before { content: 'Visitor: '; font-weight: 600; }
  .message[data-author=agent]::before { content: 'Agent: '; font-weight: 600; }
  textarea { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; }
`
