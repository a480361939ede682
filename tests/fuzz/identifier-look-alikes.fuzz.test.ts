import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SpProtocol } from '../../sp/options.ts'
import { spUrl } from '../fixtures/in-process.ts'
import { CodeTally } from './answer.ts'
import { type FuzzPair, fuzzPair } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'
import { expectNothingStored, storedRows } from './stored-rows.ts'

/**
 * Catalogue case 33: an identifier the IdP signs is the account key, exactly. A user whose ID is
 * a visible name with white space or an invisible character added (at its start, at its end,
 * or inside) is refused with IDENTIFIER_LOOK_ALIKE, stores nothing and is never signed in as the
 * name it imitates; a user whose ID is visible text signs in under exactly that ID — nothing
 * trimmed, normalised or folded. Through the real IdP (the NameID, `sub` and `id` are the IdP
 * user's ID) and the real SP, per protocol.
 */

/** Visible characters, some that normalisation or case folding would change. */
const visible = fc.constantFrom(
  ...'abcxyzABCXYZ0189._-@+',
  'é',
  'ß',
  'İ',
  'Ａ',
  'ｃ',
  '日',
  'ǅ',
  'ﬁ',
  'e\u0301',
  '😀',
)

const visibleId = fc
  .array(visible, { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''))
  // A plain space between visible characters is part of an ID like any other character.
  .chain((id) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(id) },
      { weight: 1, arbitrary: fc.constant(withInside(id, ' ')) },
    ),
  )

/** `added` after the first character (a code point: an emoji is not split). */
function withInside(id: string, added: string): string {
  const [first = '', ...rest] = [...id]
  return rest.length === 0 ? id : `${first}${added}${rest.join('')}`
}

/** What a person cannot see, or cannot tell from a space. */
const invisible = fc.constantFrom(
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u2060',
  '\u202e',
  '\u2066',
  '\u00ad',
  '\u180e',
  '\u3164',
  '\u115f',
  '\ufe0f',
  '\u2028',
  '\u2800',
  '\u2009',
  '\u205f',
  '\u1680',
  '\u0085',
  '\t',
  '\n',
)

/** A visible ID with something added: white space at an end, or anything invisible anywhere. */
const lookAlike = fc
  .record({
    base: visibleId,
    added: fc.oneof(invisible, fc.constant(' ')),
    at: fc.constantFrom('start', 'end', 'inside'),
  })
  .filter(({ added, at, base }) => !(added === ' ' && at === 'inside') && base.length > 0)
  .map(({ base, added, at }) => ({
    base,
    id:
      at === 'start'
        ? `${added}${base}`
        : at === 'end'
          ? `${base}${added}`
          : withInside(base, added),
  }))
  // Nothing fits inside a one-character ID: that draw is not a look-alike.
  .filter(({ base, id }) => id !== base)

describe('fuzz: identifier look-alikes (catalogue case 33)', () => {
  guardProcess()
  const pairs = new Map<SpProtocol, FuzzPair>()
  let users = 0
  beforeAll(async () => {
    for (const protocol of ['saml', 'jwt', 'oidc'] as const) {
      pairs.set(protocol, await fuzzPair({ protocol }))
    }
  })

  /** Signs in at the SP as IdP user `id` (created at the IdP first) in a new browser. */
  async function signInAs(pair: FuzzPair, id: string) {
    // A name of its own: the JWT IdP sends it as inSided's `username`, unique at the SP.
    users++
    pair.idp.users.put({ id, name: `Look Alike ${users}` })
    pair.idp.queueLogin(id)
    const browser = pair.agent()
    const toIdp = await browser.request(`${spUrl}/login`)
    // Only now: the pending sign-in /login stores is the visitor's, not the IdP's answer.
    const before = storedRows(pair.sp.database)
    const page = await browser.navigate(new URL(toIdp.headers.get('location') ?? '', spUrl).href, {
      from: `${spUrl}/`,
    })
    const session = JSON.parse((await browser.request(`${spUrl}/api/session`)).html) as {
      signedIn: boolean
      subject?: { nameId: string }
    }
    await browser.request(`${spUrl}/logout`, { method: 'POST', from: `${spUrl}/` })
    return {
      page,
      session,
      before,
      code: page.document.querySelector('#error-code')?.text,
    }
  }

  it.each(['saml', 'jwt', 'oidc'] as const)(
    '%s: a look-alike ID is refused and stores nothing; a visible one signs in exactly as sent',
    async (protocol) => {
      const pair = pairs.get(protocol) as FuzzPair
      const tally = new CodeTally()
      let accepted = 0
      const property = fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: lookAlike }, { weight: 1, arbitrary: visibleId }),
        async (input) => {
          const id = typeof input === 'string' ? input : input.id
          const { page, session, code, before } = await signInAs(pair, id)
          if (typeof input === 'string') {
            expect(session.subject?.nameId, `${JSON.stringify(id)}: ${code}`).toBe(id)
            accepted++
            return
          }
          expect(code, JSON.stringify(id)).toBe('IDENTIFIER_LOOK_ALIKE')
          expect(page.status).toBe(403)
          expect(session.signedIn).toBe(false)
          expectNothingStored(before, storedRows(pair.sp.database), {
            what: `the look-alike ${JSON.stringify(id)}`,
            code,
          })
          tally.add({ status: page.status, headers: new Headers(), body: '', code, ms: 0 })
        },
      )
      await fc.assert(property, fuzzParameters(40))
      reportTally(`identifier look-alikes (${protocol})`, tally)
      expect(accepted).toBeGreaterThan(0)
      expect(tally.codes).toEqual(['IDENTIFIER_LOOK_ALIKE'])
    },
    fuzzTimeoutMs,
  )
})
