import { deflateRawSync, inflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import { applyByteEdits, type ByteEdit, byteEdits } from './byte-edits.ts'
import { anyText } from './requests.ts'
import { applyXmlEdits, type XmlEdit, xmlEdits } from './xml-edits.ts'

/**
 * A valid request taken apart — query parameters, form fields, headers or a raw body — so a
 * mutation can change one part and put it back together. Parameter order and repeats are kept.
 */
export interface RequestTemplate {
  method: 'GET' | 'POST'
  url: string
  query: [string, string][]
  form: [string, string][] | undefined
  headers: [string, string][]
  /** A body sent as it is (SOAP), instead of `form`. */
  raw: string | undefined
}

export function templateOf(
  method: 'GET' | 'POST',
  target: string,
  parts: { form?: [string, string][]; headers?: [string, string][]; raw?: string } = {},
): RequestTemplate {
  const url = new URL(target)
  return {
    method,
    url: `${url.origin}${url.pathname}`,
    query: [...url.searchParams],
    form: parts.form,
    headers: parts.headers ?? [],
    raw: parts.raw,
  }
}

/**
 * One change to a template: to one entry of the query, the form or the headers (left out,
 * doubled, its value mutated or random; a SAML message inflated, edited and encoded again), an
 * entry added, the raw body mutated, or nothing at all.
 */
export type TemplateEdit =
  | { op: 'entry'; part: 'query' | 'form' | 'headers'; index: number; change: EntryChange }
  | { op: 'add'; part: 'query' | 'form'; name: string; value: string }
  | { op: 'raw'; edits: ByteEdit[] | null; xml: XmlEdit[] | null }

type EntryChange =
  | { kind: 'drop' }
  | { kind: 'double' }
  | { kind: 'edit'; edits: ByteEdit[] }
  | { kind: 'random'; text: string }
  | { kind: 'saml'; xml: XmlEdit[] | null; edits: ByteEdit[] | null }

const entryChange: fc.Arbitrary<EntryChange> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'double' as const) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), edits: byteEdits }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: anyText }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('saml' as const),
      xml: fc.option(xmlEdits),
      edits: fc.option(byteEdits),
    }),
  },
)

export const templateEdit: fc.Arbitrary<TemplateEdit> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('entry' as const),
      part: fc.constantFrom('query' as const, 'form' as const, 'headers' as const),
      index: fc.nat(),
      change: entryChange,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      part: fc.constantFrom('query' as const, 'form' as const),
      name: fc.oneof(fc.constantFrom('state', 'code', 'RelayState', 'SigAlg'), fc.string()),
      value: anyText,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('raw' as const),
      edits: fc.option(byteEdits),
      xml: fc.option(xmlEdits),
    }),
  },
)

export const templateEdits = fc.array(templateEdit, { maxLength: 3 })

export function applyTemplateEdits(
  template: RequestTemplate,
  edits: readonly TemplateEdit[],
): Request {
  const query = template.query.map(([n, v]) => [n, v] as [string, string])
  const form = template.form?.map(([n, v]) => [n, v] as [string, string])
  const headers = template.headers.map(([n, v]) => [n, v] as [string, string])
  let raw = template.raw
  for (const edit of edits) {
    if (edit.op === 'raw') {
      if (raw === undefined) continue
      if (edit.xml) raw = tryXml(raw, edit.xml)
      if (edit.edits) raw = applyByteEdits(raw, edit.edits)
      continue
    }
    const entries = edit.part === 'query' ? query : edit.part === 'form' ? form : headers
    if (!entries) continue
    if (edit.op === 'add') {
      entries.push([edit.name, edit.value])
      continue
    }
    const index = entries.length === 0 ? -1 : edit.index % entries.length
    const entry = entries[index]
    if (!entry) continue
    const change = edit.change
    if (change.kind === 'drop') entries.splice(index, 1)
    else if (change.kind === 'double') entries.splice(index, 0, [entry[0], entry[1]])
    else if (change.kind === 'edit') entry[1] = applyByteEdits(entry[1], change.edits)
    else if (change.kind === 'random') entry[1] = change.text
    else entry[1] = editSamlValue(entry[1], change, template.method === 'GET')
  }
  const search = new URLSearchParams(query).toString()
  const url = search === '' ? template.url : `${template.url}?${search}`
  const init: RequestInit = { method: template.method, headers: headersOf(headers) }
  if (template.method === 'POST') {
    init.body = raw ?? new URLSearchParams(form ?? []).toString()
  }
  return new Request(url, init)
}

/** A SAML message parameter decoded (HTTP-Redirect: inflated too), edited, encoded again. */
function editSamlValue(
  value: string,
  change: { xml: XmlEdit[] | null; edits: ByteEdit[] | null },
  deflated: boolean,
): string {
  let xml: string
  try {
    const bytes = Buffer.from(value, 'base64')
    xml = (deflated ? inflateRawSync(bytes) : bytes).toString('utf8')
  } catch {
    return value
  }
  if (change.xml) xml = tryXml(xml, change.xml)
  if (change.edits) xml = applyByteEdits(xml, change.edits)
  const bytes = Buffer.from(xml, 'utf8')
  return (deflated ? deflateRawSync(bytes) : bytes).toString('base64')
}

function tryXml(text: string, edits: readonly XmlEdit[]): string {
  try {
    return applyXmlEdits(text, edits)
  } catch {
    return text
  }
}

function headersOf(entries: readonly [string, string][]): Headers {
  const headers = new Headers()
  for (const [name, value] of entries) {
    try {
      headers.append(name, value)
    } catch {
      // A value no HTTP client can send (a newline, a non-Latin-1 character) is not sent.
    }
  }
  return headers
}
