import { readdirSync, readFileSync } from 'node:fs'
import type { Element } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { childElements, ns, parseXml, serializeXml } from '../xml/index.ts'
import { transforms } from './algorithm-ids.ts'
import { canonicalReference, canonicalSignedInfo } from './canonical-octets.ts'
import { signElement } from './sign.ts'
import { readSignature } from './signed-info.ts'
import { createTestKey, sampleResponse, type TestKey } from './test-support.ts'
import { xmlCryptoOctets } from './xml-crypto-octets.ts'

/**
 * The in-place canonicalization must render byte for byte what xml-crypto renders from its deep
 * clones, for every signed element that reaches canonicalization in many messages: the python3-saml corpus, our own signer
 * with and without InclusiveNamespaces, and generated variants that stress namespaces, escaping,
 * comments, whitespace and transform lists. It must also leave the caller's tree as it was.
 */

const corpusDir = new URL('../../../shared/corpus/python3-saml/', import.meta.url)

interface Outcome {
  fast: number
  fallback: number
}

/** Compares both renderings of every enveloped signature in `xml`; counts the paths taken. */
function compareAll(xml: string, outcome: Outcome): number {
  const doc = parseXml(xml)
  const before = serializeXml(doc)
  let compared = 0
  for (const signature of Array.from(doc.getElementsByTagNameNS(ns.ds, 'Signature'))) {
    const element = signature.parentNode as Element
    const id = element.getAttribute('ID')
    if (!id || childElements(element, ns.ds, 'Signature').length !== 1) continue
    let parts: ReturnType<typeof readSignature>
    try {
      parts = readSignature(signature, id)
    } catch {
      continue // refused before any canonicalization
    }
    const canonicalization = parts.canonicalizationMethod ?? transforms.excC14n
    const expected = xmlCryptoOctets({
      element,
      signature,
      signedInfo: parts.signedInfo,
      canonicalization,
      allowSha1: true,
    })
    expect(canonicalSignedInfo(parts.signedInfo, canonicalization)).toBe(expected.signedInfo)
    const fast = canonicalReference(element, signature, {
      transforms: parts.transforms as string[],
      inclusiveNamespaces: parts.inclusiveNamespaces,
    })
    if (fast === undefined) outcome.fallback++
    else {
      expect(fast).toBe(expected.reference)
      outcome.fast++
    }
    compared++
  }
  expect(serializeXml(doc)).toBe(before)
  return compared
}

/** A deterministic generator, so a failure names a reproducible message. */
function lcg(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

const texts = [
  'plain',
  'a & b < c > d',
  'tab\there',
  'line\r\nbreak',
  ' spaced ',
  '"q" \'a\'',
  'é ü ∑',
  '',
]
const attributeValues = ['v', 'a&b', '<x>', 'quote"d', 'tab\tnl\ncr\r', '  ']

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;')
}

/** A Response whose Assertion holds random extra elements, attributes, namespaces, comments. */
function variant(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const extras: string[] = []
  const count = 1 + Math.floor(random() * 6)
  for (let i = 0; i < count; i++) {
    const prefix = pick(['saml', 'x', 'y', ''])
    const declare =
      prefix === ''
        ? pick(['', ' xmlns="urn:default"', ' xmlns=""'])
        : pick(['', ` xmlns:${prefix}="urn:${prefix}:${i}"`])
    const name = prefix === '' ? `Extra${i}` : `${prefix}:Extra${i}`
    const needsDeclaration = prefix === 'x' || prefix === 'y'
    const declaration =
      needsDeclaration && declare === '' ? ` xmlns:${prefix}="urn:${prefix}"` : declare
    const attributes = [
      random() < 0.5 ? ` b="${escapeAttribute(pick(attributeValues))}"` : '',
      random() < 0.5 ? ` a="${escapeAttribute(pick(attributeValues))}"` : '',
      random() < 0.3 ? ` xml:lang="en"` : '',
      random() < 0.3 ? ` z:attr="1" xmlns:z="urn:z"` : '',
    ].join('')
    const comment = random() < 0.3 ? '<!-- a comment -->' : ''
    const cdata = random() < 0.2 ? '<![CDATA[ <raw> & ]]>' : ''
    extras.push(
      `<${name}${declaration}${attributes}>${comment}${escapeText(pick(texts))}${cdata}</${name}>`,
    )
    if (random() < 0.4) extras.push(pick(['\n  ', '\t', ' ']))
  }
  const rootNamespaces = pick([
    '',
    ' xmlns:x="urn:x:root"',
    ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    ' xmlns="urn:default:root"',
  ])
  return sampleResponse(pick(['alice@example.com', 'a&amp;b', 'x\r\ny']))
    .replace('<samlp:Response ', `<samlp:Response${rootNamespaces} `)
    .replace('</saml:AttributeStatement>', `</saml:AttributeStatement>${extras.join('')}`)
}

let key: TestKey

beforeAll(async () => {
  key = await createTestKey('octets.example.com')
})

function signBoth(xml: string, prefixes?: string[]): string {
  const options = {
    privateKeyPem: key.privateKeyPem,
    certificatePem: key.certificatePem,
    ...(prefixes ? { inclusiveNamespacesPrefixList: prefixes } : {}),
  }
  const inner = signElement(xml, { ...options, id: '_assertion1' })
  return signElement(inner, { ...options, id: '_response1' })
}

describe('in-place canonical octets equal xml-crypto', () => {
  it('for every signature of the python3-saml corpus', () => {
    const outcome = { fast: 0, fallback: 0 }
    const files = [
      ...readdirSync(corpusDir).map((name) => name),
      ...readdirSync(new URL('invalids/', corpusDir)).map((name) => `invalids/${name}`),
    ].filter((name) => name.includes('.base64'))
    let compared = 0
    for (const file of files) {
      const xml = Buffer.from(readFileSync(new URL(file, corpusDir), 'utf8'), 'base64').toString()
      let parsed = true
      try {
        parseXml(xml)
      } catch {
        parsed = false
      }
      if (parsed) compared += compareAll(xml, outcome)
    }
    expect(compared).toBeGreaterThanOrEqual(20)
    expect(outcome.fallback).toBe(0)
  })

  it('for 200 generated Responses, both signatures, with and without InclusiveNamespaces', () => {
    const random = lcg(22)
    const outcome = { fast: 0, fallback: 0 }
    const prefixLists = [
      undefined,
      ['saml'],
      ['samlp', 'saml', 'xs', 'xsi'],
      ['x', 'z', '#default'],
    ]
    for (let i = 0; i < 200; i++) {
      const prefixes = prefixLists[i % prefixLists.length]
      expect(compareAll(signBoth(variant(random), prefixes), outcome)).toBe(2)
    }
    expect(outcome).toEqual({ fast: 400, fallback: 0 })
  })

  it('for hand-edited transform lists: the usual shapes in place, the others through xml-crypto', () => {
    const signed = signBoth(sampleResponse())
    const lists: Array<[string, 'fast' | 'fallback']> = [
      [`<ds:Transform Algorithm="${transforms.envelopedSignature}"/>`, 'fast'],
      [
        `<ds:Transform Algorithm="${transforms.envelopedSignature}"/><ds:Transform Algorithm="${transforms.c14n}"/>`,
        'fast',
      ],
      [`<ds:Transform Algorithm="${transforms.excC14n}"/>`, 'fast'],
      [
        `<ds:Transform Algorithm="${transforms.excC14n}"/><ds:Transform Algorithm="${transforms.envelopedSignature}"/>`,
        'fallback',
      ],
      [
        `<ds:Transform Algorithm="${transforms.envelopedSignature}"/><ds:Transform Algorithm="${transforms.excC14n}"/><ds:Transform Algorithm="${transforms.c14n}"/>`,
        'fallback',
      ],
    ]
    for (const [list, path] of lists) {
      const xml = signed.replace(
        /<ds:Transforms>.*?<\/ds:Transforms>/g,
        `<ds:Transforms>${list}</ds:Transforms>`,
      )
      const outcome = { fast: 0, fallback: 0 }
      expect(compareAll(xml, outcome)).toBe(2)
      expect(outcome[path]).toBe(2)
    }
    const none = signed.replace(/<ds:Transforms>.*?<\/ds:Transforms>/g, '')
    const outcome = { fast: 0, fallback: 0 }
    expect(compareAll(none, outcome)).toBe(2)
    expect(outcome.fast).toBe(2)
  })

  it('clones only when exclusive c14n would declare an ancestor prefix on the node it renders', () => {
    const signed = signBoth(sampleResponse(), ['samlp', 'saml'])
    const doc = parseXml(signed)
    const assertion = doc.getElementsByTagNameNS(ns.saml, 'Assertion')[0] as Element
    const signature = childElements(assertion, ns.ds, 'Signature')[0] as Element
    const attributes = assertion.attributes.length
    const octets = canonicalReference(assertion, signature, {
      transforms: [transforms.envelopedSignature, transforms.excC14n],
      inclusiveNamespaces: ['samlp'],
    })
    expect(octets).toContain('xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"')
    expect(assertion.attributes.length).toBe(attributes)
    expect(childElements(assertion, ns.ds, 'Signature')[0]).toBe(signature)
  })
})
