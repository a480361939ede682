import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { spUrl } from '../fixtures/in-process.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { applyByteEdits, byteEdits } from './byte-edits.ts'
import { type FuzzPair, fuzzPair, startedSession } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'
import {
  anyText,
  formRequest,
  formShape,
  queryOf,
  relayStateInput,
  relayStateOf,
} from './requests.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'
import { samlArtifact } from './valid-messages.ts'
import { applyXmlEdits, xmlEdits } from './xml-edits.ts'

const acsUrl = `${spUrl}/saml/acs`

/** A SAMLart: random, the valid one with its base64 or its 44 bytes mutated, or twice. */
const samlartInput = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: anyText }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('base64' as const), edits: byteEdits }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'valid' as const }) },
)

type SamlartInput = typeof samlartInput extends fc.Arbitrary<infer T> ? T : never

function samlartOf(input: SamlartInput, valid: string): string {
  switch (input.kind) {
    case 'random':
      return input.text
    case 'valid':
      return valid
    case 'base64':
      return applyByteEdits(valid, input.edits)
    case 'bytes': {
      const bytes = Buffer.from(valid, 'base64').toString('latin1')
      return Buffer.from(applyByteEdits(bytes, input.edits), 'utf8').toString('base64')
    }
  }
}

/** How SAMLart arrives: by GET (redirect delivery), as a POST form, or a GET with it twice. */
const delivery = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ method: 'GET' as const, twice: false }) },
  { weight: 1, arbitrary: fc.constant({ method: 'GET' as const, twice: true }) },
  { weight: 3, arbitrary: formShape.map((shape) => ({ method: 'POST' as const, shape })) },
)

/**
 * What the fake artifact resolution service answers instead of the IdP's ArtifactResponse: the
 * real one mutated in its XML or bytes, under another status or content type, a SOAP fault,
 * random text, or more than the cap.
 */
const resolutionAnswer = fc.record({
  status: fc.oneof(
    { weight: 6, arbitrary: fc.constant(200) },
    { weight: 1, arbitrary: fc.constantFrom(204, 302, 400, 404, 500, 503) },
  ),
  contentType: fc.constantFrom('text/xml; charset=utf-8', 'text/html', 'application/json', ''),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('xml' as const), edits: xmlEdits }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: anyText }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'unchanged' as const }) },
  ),
})

type ResolutionAnswer = typeof resolutionAnswer extends fc.Arbitrary<infer T> ? T : never

function rewrittenBody(answer: ResolutionAnswer, text: string): string {
  switch (answer.body.kind) {
    case 'xml':
      return applyXmlEdits(text, answer.body.edits)
    case 'bytes':
      return applyByteEdits(text, answer.body.edits)
    case 'random':
      return answer.body.text
    case 'unchanged':
      return text
  }
}

describe('fuzz: the SP AssertionConsumerService (HTTP-Artifact)', () => {
  guardProcess()
  let pair: FuzzPair
  beforeAll(async () => {
    pair = await fuzzPair({ spRegistration: { responseBinding: 'artifact' } })
  })

  it(
    'answers random and mutated SAMLart/RelayState with a stable 4xx code and stores nothing',
    async () => {
      let source = await samlArtifact(pair)
      const tally = new CodeTally()
      const property = fc.asyncProperty(
        samlartInput,
        relayStateInput,
        delivery,
        async (input, relayState, how) => {
          const samlart = samlartOf(input, source.samlart)
          const relay = relayStateOf(relayState, source.relayState)
          const cookie = await source.agent.jar.getCookieString(acsUrl)
          const request =
            how.method === 'GET'
              ? new Request(
                  `${acsUrl}?${queryOf([
                    ['SAMLart', samlart],
                    ...(how.twice ? ([['SAMLart', samlart]] as const) : []),
                    ['RelayState', relay],
                  ])}`,
                  { headers: { cookie } },
                )
              : formRequest(acsUrl, { SAMLart: samlart, RelayState: relay }, how.shape, {
                  cookie,
                })
          const before = storedRows(pair.sp.database)
          const answer = await send(pair.sp.app.fetch, request)
          expectClearAnswer(answer, `${how.method} /saml/acs SAMLart`)
          tally.add(answer)
          if (startedSession(pair, answer)) {
            // Only the artifact the IdP issued resolves (however its base64 is spelled).
            expect(Buffer.from(samlart, 'base64')).toEqual(Buffer.from(source.samlart, 'base64'))
            source = await samlArtifact(pair)
            return
          }
          expect(answer.status).toBeGreaterThanOrEqual(400)
          expectNothingStored(before, storedRows(pair.sp.database), {
            what: 'a refused artifact',
            code: answer.code,
          })
        },
      )
      await fc.assert(property, fuzzParameters(120))
      reportTally('SAMLart', tally)
      expect(tally.codes).toEqual(
        expect.arrayContaining(['SAML_ARTIFACT_INVALID', 'SAML_BINDING_INVALID']),
      )
    },
    fuzzTimeoutMs,
  )

  it(
    'answers mutated ArtifactResponses from the resolution service with a stable 4xx code and stores nothing',
    async () => {
      const tally = new CodeTally()
      const property = fc.asyncProperty(resolutionAnswer, async (rewrite) => {
        const { agent, samlart, relayState } = await samlArtifact(pair)
        pair.backChannel.rewrite = async (_, real) =>
          new Response(rewrittenBody(rewrite, await real.text()), {
            status: rewrite.status,
            headers: rewrite.contentType === '' ? {} : { 'content-type': rewrite.contentType },
          })
        const before = storedRows(pair.sp.database)
        try {
          const answer = await send(
            pair.sp.app.fetch,
            new Request(
              `${acsUrl}?${queryOf([
                ['SAMLart', samlart],
                ['RelayState', relayState],
              ])}`,
              {
                headers: { cookie: await agent.jar.getCookieString(acsUrl) },
              },
            ),
          )
          expectClearAnswer(answer, 'the ArtifactResponse')
          tally.add(answer)
          if (startedSession(pair, answer)) {
            // Only an answer whose signed content is the IdP's gets through.
            expect(rewrite.status).toBe(200)
            return
          }
          expect(answer.status).toBeGreaterThanOrEqual(400)
          expectNothingStored(before, storedRows(pair.sp.database), {
            what: 'a refused ArtifactResponse',
            code: answer.code,
          })
        } finally {
          pair.backChannel.rewrite = undefined
        }
      })
      await fc.assert(property, fuzzParameters(50))
      reportTally('ArtifactResponse', tally)
      expect(tally.codes).toEqual(
        expect.arrayContaining([
          'SAML_ARTIFACT_RESPONSE_INVALID',
          'SAML_SIGNATURE_INVALID',
          'SAML_ARTIFACT_RESOLVE_HTTP_STATUS',
        ]),
      )
    },
    fuzzTimeoutMs,
  )
})
