import { describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import { createInProcessPair } from '../../tests/fixtures/in-process.ts'
import { apiSession, errorCode, signIn, signOut } from '../../tests/fixtures/visitor.ts'
import { defaultMappings, type Mapping } from '../campaigns/settings.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import { externalIdOf } from './external-id.ts'
import { mapProfile } from './map-profile.ts'

const subject = (nameId: string, nameIdFormat: string | undefined): SignedInSubject => ({
  nameId,
  nameIdFormat,
  issuer: 'https://idp.example',
  sessionIndex: undefined,
  attributes: { uid: ['jdoe'], mail: ['jdoe@example.com'] },
})
const uidAsId: Mapping[] = [
  { attribute: 'uid', field: 'id', required: false },
  { attribute: 'mail', field: 'email', required: false },
]

describe('the external ID an account is keyed on', () => {
  it('is the NameID unless it is transient, whatever is mapped to id', () => {
    const mapping = mapProfile(uidAsId, subject('x', undefined).attributes)
    expect(mapping.id).toBe('jdoe')
    for (const format of [undefined, nameIdFormats.persistent, nameIdFormats.emailAddress]) {
      expect(externalIdOf(subject('_f00d', format), mapping)).toBe('_f00d')
    }
  })

  it('is the attribute mapped to id when the NameID is transient: two sign-ins, one key', () => {
    const first = subject('_3a9e1c', nameIdFormats.transient)
    const second = subject('_77b0d2', nameIdFormats.transient)
    const key = (s: SignedInSubject) => externalIdOf(s, mapProfile(uidAsId, s.attributes))
    expect(key(first)).toBe('jdoe')
    expect(key(second)).toBe(key(first))
  })

  it('refuses a transient NameID when nothing is mapped to id, naming the attributes sent', () => {
    const transient = subject('_3a9e1c', nameIdFormats.transient)
    const mapping = mapProfile(
      uidAsId.filter((entry) => entry.field !== 'id'),
      transient.attributes,
    )
    let error: unknown
    try {
      externalIdOf(transient, mapping)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SsoError)
    expect((error as SsoError).code).toBe('SP_TRANSIENT_NAMEID_UNMAPPED')
    expect((error as SsoError).evidence.attributes).toEqual(['uid', 'mail'])
    expect((error as SsoError).hint).toContain('field id')
  })

  it('does not count an unsent id as a missing attribute (a stable NameID needs none)', () => {
    const outcome = mapProfile(defaultMappings, { name: ['Jo'] })
    expect(outcome.id).toBeUndefined()
    expect(outcome.missing.map((entry) => entry.attribute)).not.toContain('id')
  })
})

describe('transient NameIDs at the reference SP, signed in by the built-in IdP', () => {
  const transientPair = (mappings?: Mapping[]) =>
    createInProcessPair({
      spRegistration: { nameIdFormat: 'transient' },
      ...(mappings ? { sp: { campaign: { mappings } } } : {}),
    })

  it('keys the account on the id attribute: the second sign-in is the same contact, no email clash', async () => {
    const { agent: newAgent, sp } = await transientPair()
    const agent = newAgent()
    await signIn(agent, 'alice')
    const first = await apiSession(agent)
    expect(first.subject?.nameIdFormat).toBe(nameIdFormats.transient)
    expect(first.contact).toMatchObject({ externalId: 'alice', email: 'alice@example.com' })
    await signOut(agent)
    await signIn(agent, 'alice')
    const second = await apiSession(agent)
    expect(second.signedIn).toBe(true)
    expect(second.contact?.id).toBe(first.contact?.id)
    expect(sp.database.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 1 })
  })

  it('keys it on whichever attribute the campaign maps to id', async () => {
    const { agent: newAgent } = await transientPair([
      { attribute: 'customerNumber', field: 'id', required: false },
      { attribute: 'email', field: 'email', required: false },
    ])
    const agent = newAgent()
    await signIn(agent, 'alice')
    expect((await apiSession(agent)).contact?.externalId).toBe('C-1001')
  })

  it.each(['C-1001 ', 'C-1001\u3000', '\ufeffC-1001', 'C-10\u200b01', '\nC-1001'])(
    "refuses an id attribute %j imitating alice's (IDENTIFIER_LOOK_ALIKE): never her account",
    async (lookAlike) => {
      const {
        agent: newAgent,
        sp,
        idp,
      } = await transientPair([
        { attribute: 'customerNumber', field: 'id', required: false },
        { attribute: 'email', field: 'email', required: false },
      ])
      const alice = newAgent()
      await signIn(alice, 'alice')
      expect((await apiSession(alice)).contact?.externalId).toBe('C-1001')
      idp.users.put({ id: 'eve', name: 'Eve', attributes: { customerNumber: lookAlike } })
      const agent = newAgent()
      const page = await signIn(agent, 'eve')
      expect(page.status).toBe(403)
      expect(errorCode(page)).toBe('IDENTIFIER_LOOK_ALIKE')
      expect(await apiSession(agent)).toEqual({ signedIn: false })
      expect(sp.database.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 1 })
    },
  )

  it('refuses the sign-in with SP_TRANSIENT_NAMEID_UNMAPPED when nothing is mapped to id: no session, no contact', async () => {
    const { agent: newAgent, sp } = await transientPair([
      { attribute: 'email', field: 'email', required: false },
    ])
    const agent = newAgent()
    const page = await signIn(agent, 'alice')
    expect(page.status).toBe(403)
    expect(errorCode(page)).toBe('SP_TRANSIENT_NAMEID_UNMAPPED')
    expect(await apiSession(agent)).toEqual({ signedIn: false })
    expect(sp.database.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 0 })
  })
})
