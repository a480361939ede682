import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { type FuzzPair, fuzzPair } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'
import { applyTemplateEdits, templateEdits, templateOf } from './request-template.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'
import { idpLogoutRequest, idpLogoutResponse } from './valid-messages.ts'

/** The SAML message a Redirect-binding query carries, inflated; undefined when it does not decode. */
function messageOf(url: string, param: 'SAMLRequest' | 'SAMLResponse'): string | undefined {
  try {
    return decodeRedirect(url.split('?')[1] ?? '', param).xml
  } catch {
    return undefined
  }
}

describe('fuzz: the SP SingleLogoutService (HTTP-Redirect)', () => {
  guardProcess()
  let pair: FuzzPair
  beforeAll(async () => {
    pair = await fuzzPair()
  })

  it(
    'answers mutated LogoutRequests and LogoutResponses (message, RelayState, SigAlg, Signature) with a stable 4xx code and stores nothing; only the IdP’s own message is acted on',
    async () => {
      const tally = new CodeTally()
      const property = fc.asyncProperty(
        fc.constantFrom('SAMLRequest' as const, 'SAMLResponse' as const),
        templateEdits,
        async (param, edits) => {
          const valid = param === 'SAMLRequest' ? idpLogoutRequest : idpLogoutResponse
          const { agent, url } = await valid(pair)
          const request = applyTemplateEdits(templateOf('GET', url.href), edits)
          request.headers.set('cookie', await agent.jar.getCookieString(url.href))
          const before = storedRows(pair.sp.database)
          const answer = await send(pair.sp.app.fetch, request)
          expectClearAnswer(answer, `GET /saml/slo ${param}`)
          tally.add(answer)
          if (answer.status < 400) {
            // Acted on: the message is the one the IdP signed (the query may differ elsewhere).
            expect(messageOf(request.url, param)).toBe(messageOf(url.href, param))
            return
          }
          expectNothingStored(before, storedRows(pair.sp.database), {
            what: `a refused ${param}`,
            code: answer.code,
          })
        },
      )
      await fc.assert(property, fuzzParameters(60))
      reportTally('SP SLO', tally)
      expect(tally.codes).toEqual(
        expect.arrayContaining(['SAML_BINDING_INVALID', 'SAML_LOGOUT_SIGNATURE_INVALID']),
      )
    },
    fuzzTimeoutMs,
  )
})
