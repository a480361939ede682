/** A form of a page as a browser would submit it: where to, how, and its fields in order. */
export interface HtmlForm {
  action: string
  method: 'GET' | 'POST'
  fields: [string, string][]
}

const attributePattern = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g
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
  for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
    const field = attributes(input[0])
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

/** A tag's attributes, names lower-cased, values entity-decoded. */
function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>()
  const open = tag.search(/[\s>]/)
  for (const match of tag.slice(open).matchAll(attributePattern)) {
    const name = (match[1] ?? '').toLowerCase()
    if (!found.has(name)) found.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''))
  }
  return found
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
