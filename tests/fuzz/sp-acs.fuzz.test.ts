import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Credential } from '../../core/keys/index.ts'
import { spUrl } from '../fixtures/in-process.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { applyByteEdits, byteEdits } from './byte-edits.ts'
import { encodeForPost, wireEdits } from './encodings.ts'
import { type FuzzPair, fuzzPair, startedSession } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'
import { anyText, formRequest, formShape, relayStateInput, relayStateOf } from './requests.ts'
import { resigned } from './resign.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'
import { samlResponse } from './valid-messages.ts'
import { applyXmlEdits, xmlEdits } from './xml-edits.ts'

const acsUrl = `${spUrl}/saml/acs`

/**
 * A SAMLResponse field: random text; the IdP's valid Response mutated in its XML, its bytes or
 * its base64; or changed in its XML and signed again with the IdP key, to reach later checks.
 */
const samlResponseInput = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: anyText }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      xmlEdits: fc.option(xmlEdits, { freq: 2 }),
      byteEdits: fc.option(byteEdits, { freq: 2 }),
      wire: wireEdits,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resigned' as const), xmlEdits }) },
)

type SamlResponseInput = typeof samlResponseInput extends fc.Arbitrary<infer T> ? T : never

function samlResponseField(input: SamlResponseInput, xml: string, idpKey: Credential): string {
  switch (input.kind) {
    case 'random':
      return input.text
    case 'resigned':
      return Buffer.from(resigned(xml, input.xmlEdits, idpKey)).toString('base64')
    case 'mutated': {
      const edited = input.xmlEdits ? applyXmlEdits(xml, input.xmlEdits) : xml
      const bytes = input.byteEdits ? applyByteEdits(edited, input.byteEdits) : edited
      return encodeForPost(bytes, input.wire)
    }
  }
}

describe('fuzz: the SP AssertionConsumerService (HTTP-POST)', () => {
  guardProcess()
  let pair: FuzzPair
  beforeAll(async () => {
    pair = await fuzzPair()
  })

  it(
    'answers random and mutated SAMLResponse/RelayState with a stable 4xx code and stores nothing; each assertion is accepted once',
    async () => {
      let source = await samlResponse(pair)
      const accepted = new Set<string>()
      const tally = new CodeTally()
      const property = fc.asyncProperty(
        samlResponseInput,
        relayStateInput,
        formShape,
        async (input, relayState, shape) => {
          const fields = {
            SAMLResponse: samlResponseField(input, source.xml, pair.keys.idp),
            RelayState: relayStateOf(relayState, source.relayState),
          }
          const cookie = await source.agent.jar.getCookieString(acsUrl)
          const before = storedRows(pair.sp.database)
          const answer = await send(
            pair.sp.app.fetch,
            formRequest(acsUrl, fields, shape, { cookie }),
          )
          expectClearAnswer(answer, 'POST /saml/acs')
          tally.add(answer)
          if (!startedSession(pair, answer)) {
            expect(answer.status).toBeGreaterThanOrEqual(400)
            expectNothingStored(before, storedRows(pair.sp.database), {
              what: 'a refused Response',
              code: answer.code,
            })
            // A message refused after every check is spent: take a fresh one.
            if (answer.code?.startsWith('SP_')) source = await samlResponse(pair)
            return
          }
          // Each assertion gets through once; unless signed anew with the IdP key, only the
          // one the IdP issued.
          const line = pair.log.at(-1) ?? ''
          const assertionId = /^SP sign-in accepted \(assertion (.+)\)$/.exec(line)?.[1] ?? ''
          expect(assertionId, line).not.toBe('')
          if (input.kind !== 'resigned') expect(source.xml).toContain(` ID="${assertionId}"`)
          expect(accepted.has(assertionId)).toBe(false)
          accepted.add(assertionId)
          source = await samlResponse(pair)
        },
      )
      await fc.assert(property, fuzzParameters(150))
      reportTally('POST /saml/acs', tally)
      // The fuzz gets past decoding and parsing to the signature and the checks after it.
      expect(tally.codes).toEqual(
        expect.arrayContaining([
          'XML_MALFORMED',
          'SAML_BINDING_INVALID',
          'SAML_SIGNATURE_INVALID',
          'SAML_RESPONSE_INVALID',
        ]),
      )
      expect(accepted.size).toBeGreaterThan(0)
    },
    fuzzTimeoutMs,
  )
})
