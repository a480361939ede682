import type { Child } from 'hono/jsx'

/**
 * Decoded messages as SAML-tracer and samltool show them: XML tags, attribute names and values,
 * comments, and JSON keys, strings and literals in their own colours. The text stays exactly the
 * text (copying a highlighted block gives the message back); every piece goes through JSX text,
 * which escapes it.
 */
export type Language = 'xml' | 'json' | 'plain'

const xmlTokens = /(<!--[\s\S]*?-->)|(<[?!/]?)([\w:.-]+)([^<>]*?)([?/]?>)/g
const xmlAttributes = /([\w:.-]+)(\s*=\s*)("[^"]*"|'[^']*')/g
const jsonTokens =
  /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g

function span(kind: string, text: string): Child {
  return <span class={`hl-${kind}`}>{text}</span>
}

/** Splits `text` by `pattern`, handing each match to `render` and keeping the text between. */
function tokenize(text: string, pattern: RegExp, render: (match: RegExpExecArray) => Child[]) {
  const parts: Child[] = []
  let last = 0
  for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags))) {
    if (match.index > last) parts.push(text.slice(last, match.index))
    parts.push(...render(match as RegExpExecArray))
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return parts
}

function xml(text: string): Child[] {
  return tokenize(
    text,
    xmlTokens,
    ([, comment, open = '', name = '', attributes = '', close = '']) => {
      if (comment !== undefined) return [span('comment', comment)]
      return [
        span('punct', open),
        span('tag', name),
        ...tokenize(attributes, xmlAttributes, ([, attribute = '', equals = '', value = '']) => [
          span('attr', attribute),
          equals,
          span('value', value),
        ]),
        span('punct', close),
      ]
    },
  )
}

function json(text: string): Child[] {
  return tokenize(text, jsonTokens, ([, string, colon, literal, number]) => {
    if (string !== undefined) return colon ? [span('key', string), colon] : [span('string', string)]
    return [span(literal !== undefined ? 'literal' : 'number', literal ?? number ?? '')]
  })
}

export function Highlighted(props: { text: string; language: Language; id?: string }) {
  const parts =
    props.language === 'xml'
      ? xml(props.text)
      : props.language === 'json'
        ? json(props.text)
        : [props.text]
  return (
    <pre class="code" id={props.id} tabindex={0}>
      {parts}
    </pre>
  )
}

/** Colours with at least 4.5:1 on the block's background. */
export const highlightStyles = `
  pre.code { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 6px; padding: .6rem .8rem;
    font-size: .8rem; margin: .4rem 0; max-height: 40rem; overflow-y: auto; }
  .hl-tag { color: #0b4f9e; } .hl-attr { color: #6f3200; } .hl-value { color: #0a5c2a; }
  .hl-comment { color: #55606e; font-style: italic; } .hl-punct { color: #434b58; }
  .hl-key { color: #0b4f9e; } .hl-string { color: #0a5c2a; } .hl-number, .hl-literal { color: #6f3200; }
`

/**
 * One click copies a block: `<button data-copy="ID">` copies the text of the element with that
 * id. Offline and from file:// too (a selection and execCommand where the Clipboard API is
 * refused).
 */
export const copyScript = `
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null
  const source = button && document.getElementById(button.dataset.copy)
  if (!source) return
  const text = source.textContent
  try { await navigator.clipboard.writeText(text) } catch {
    const range = document.createRange(); range.selectNodeContents(source)
    const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range)
    document.execCommand('copy'); selection.removeAllRanges()
  }
  button.textContent = 'Copied'
  setTimeout(() => { button.textContent = button.dataset.label }, 1500)
})
`
