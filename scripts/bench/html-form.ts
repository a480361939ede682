/** A form of a page as a browser would submit it: where to, how, and its fields in order. */
export interface HtmlForm {
  action: string
  method: 'GET' | 'POST'
  fields: [string, string][]
}

// Inputs a submission leaves out when nothing presses or ticks them (HTML §4.10.21.4).
const notSent = new Set(['submit', 'button', 'image', 'reset', 'file', 'checkbox', 'radio'])

/**
 * The form with `id` on the page, read with a tight scan of its tag and its `<input>`s rather
 * than a whole HTML parser (the bench's visitors read every page of 50 concurrent sign-ins).
 */
export function formById(html: string, id: string): HtmlForm | undefined {
  const tag = compiled(`<form\\b[^>]*\\s${idAttribute(id)}`).exec(html)
  return tag ? formAt(html, tag.index) : undefined
}

/**
 * The form a page submits by itself: the first under a `<body onload>` that submits or clicks
 * (the SAML POST binding's pages), as `harness/http-driver`'s `selfSubmittingForm` reads it.
 */
export function selfSubmittingForm(html: string): HtmlForm | undefined {
  const body = /<body\b[^>]*>/i.exec(html)
  if (!body) return undefined
  const onload = attributes(body[0]).get('onload') ?? ''
  if (!/\b(submit|click)\s*\(/.test(onload)) return undefined
  const form = html.indexOf('<form', body.index)
  return form < 0 ? undefined : formAt(html, form)
}

/** The text of the element with `id` (up to its first child tag), entities decoded. */
export function textById(html: string, id: string): string | undefined {
  const match = compiled(`\\s${idAttribute(id)}[^>]*>([^<]*)`).exec(html)
  return match ? decodeEntities(match[1] ?? '').trim() : undefined
}

/**
 * The fields as a browser sends a form (WHATWG URL §5.2, application/x-www-form-urlencoded),
 * what `new URLSearchParams(fields).toString()` gives. Names and values made only of letters,
 * digits, `*-._` and base64's `+/=` (every field of the SAML POST binding's forms: a 13 kB
 * base64 SAMLResponse) are encoded by replacing those three, four times faster than
 * URLSearchParams's byte-by-byte encoder; anything else is left to URLSearchParams.
 */
export function encodeForm(fields: readonly (readonly [string, string])[]): string {
  let encoded = ''
  for (const [name, value] of fields) {
    if (!base64ish.test(name) || !base64ish.test(value))
      return new URLSearchParams(fields as [string, string][]).toString()
    encoded += `${encoded ? '&' : ''}${escapeBase64ish(name)}=${escapeBase64ish(value)}`
  }
  return encoded
}

const base64ish = /^[A-Za-z0-9*\-._+/=]*$/

function escapeBase64ish(text: string): string {
  if (asIs.test(text)) return text
  return text.replaceAll('+', '%2B').replaceAll('/', '%2F').replaceAll('=', '%3D')
}

const asIs = /^[A-Za-z0-9*\-._]*$/

const patterns = new Map<string, RegExp>()

/** The pattern compiled once (case-insensitive, no state: never global). */
function compiled(source: string): RegExp {
  let pattern = patterns.get(source)
  if (!pattern) {
    pattern = new RegExp(source, 'i')
    patterns.set(source, pattern)
  }
  return pattern
}

// `id="x"`, `id='x'` or `id=x` (ids here are plain words: no escaping needed).
function idAttribute(id: string): string {
  return `id\\s*=\\s*(?:"${id}"|'${id}'|${id}(?=[\\s/>]))`
}

function formAt(html: string, start: number): HtmlForm {
  const tagEnd = html.indexOf('>', start)
  const formTag = attributes(html.slice(start, tagEnd + 1))
  const close = html.indexOf('</form', tagEnd)
  const inner = html.slice(tagEnd + 1, close < 0 ? html.length : close)
  const fields: [string, string][] = []
  // Each `<input…>` up to its first `>` (as /<input\b[^>]*>/gi finds them), the tag's end found
  // by indexOf: a SAMLResponse's value is 13 kB, which a [^>]* scan walks a character at a time.
  const input = /<input\b/gi
  for (let at = input.exec(inner); at; at = input.exec(inner)) {
    const end = inner.indexOf('>', at.index)
    if (end < 0) break
    input.lastIndex = end + 1
    const field = attributes(inner.slice(at.index, end + 1))
    const name = field.get('name')
    if (!name || field.has('disabled') || notSent.has((field.get('type') ?? '').toLowerCase()))
      continue
    fields.push([name, field.get('value') ?? ''])
  }
  return {
    action: formTag.get('action') ?? '',
    method: (formTag.get('method') ?? 'get').toLowerCase() === 'post' ? 'POST' : 'GET',
    fields,
  }
}

/**
 * A tag's attributes, names lower-cased, values entity-decoded: after the tag name, each
 * `name`, `name=value`, `name="value"` or `name='value'`, the first of a name kept — what
 * /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g finds, read by hand so that a
 * quoted value's end is found by indexOf instead of a character-at-a-time scan (13 kB).
 */
export function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>()
  const length = tag.length
  let at = tag.search(/[\s>]/)
  if (at < 0) return found
  while (at < length) {
    if (endsName(tag.charCodeAt(at))) {
      at++
      continue
    }
    const start = at
    while (at < length && !endsName(tag.charCodeAt(at))) at++
    const name = tag.slice(start, at).toLowerCase()
    let value = ''
    // An `=` and a value, if they follow (else the name stands alone and the scan goes on).
    let next = skipSpaces(tag, at)
    if (tag.charCodeAt(next) === equals) {
      next = skipSpaces(tag, next + 1)
      const quote = tag.charCodeAt(next)
      if (quote === doubleQuote || quote === singleQuote) {
        const close = tag.indexOf(quote === doubleQuote ? '"' : "'", next + 1)
        if (close >= 0) {
          value = tag.slice(next + 1, close)
          at = close + 1
        }
      } else {
        let end = next
        while (end < length && !endsUnquoted(tag.charCodeAt(end))) end++
        if (end > next) {
          value = tag.slice(next, end)
          at = end
        }
      }
    }
    if (!found.has(name)) found.set(name, decodeEntities(value))
  }
  return found
}

const equals = 0x3d
const doubleQuote = 0x22
const singleQuote = 0x27
const slash = 0x2f
const greaterThan = 0x3e
const otherSpace = /\s/

/** Whether the character is one of JavaScript's \s (what the pattern above says by \s). */
function isSpace(code: number): boolean {
  if (code < 128) return code === 0x20 || (code >= 0x09 && code <= 0x0d)
  return otherSpace.test(String.fromCharCode(code))
}

// [^\s=/>] ends at these
function endsName(code: number): boolean {
  return code === equals || code === slash || code === greaterThan || isSpace(code)
}

// [^\s"'>] ends at these
function endsUnquoted(code: number): boolean {
  return code === doubleQuote || code === singleQuote || code === greaterThan || isSpace(code)
}

function skipSpaces(text: string, from: number): number {
  let at = from
  while (at < text.length && isSpace(text.charCodeAt(at))) at++
  return at
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== '#') return named[name.toLowerCase()] ?? entity
    const code =
      name[1] === 'x' || name[1] === 'X'
        ? Number.parseInt(name.slice(2), 16)
        : Number(name.slice(1))
    return String.fromCodePoint(code)
  })
}
