import { describe, expect, it } from 'vitest'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { readPage } from '../../tests/fixtures/read-page.ts'
import { createIdp } from '../create-idp.tsx'
import { createLoginQueue } from './login-queue.ts'

describe('the login queue', () => {
  it('gives each login once, first queued first, to its SP or to any when none is named', () => {
    const queue = createLoginQueue()
    queue.push('bob', 'https://b.example')
    queue.push('alice')
    queue.push('carol', 'https://b.example')
    expect(queue.take('https://a.example')?.userId).toBe('alice')
    expect(queue.take('https://a.example')).toBeUndefined()
    expect(queue.take('https://b.example')?.userId).toBe('bob')
    expect(queue.list()).toEqual([{ userId: 'carol', sp: 'https://b.example' }])
    expect(queue.clear()).toBe(1)
    expect(queue.take('https://b.example')).toBeUndefined()
  })
})

describe('idp.queueLogin', () => {
  const other = 'https://other.example/metadata'
  async function setup() {
    const keys = await testCredentials()
    return createIdp({
      baseUrl: idpUrl,
      credential: keys.idp,
      log: () => {},
      serviceProviders: [
        {
          entityId: `${spUrl}/saml/metadata`,
          assertionConsumerServices: [{ location: `${spUrl}/saml/acs` }],
        },
        { entityId: other, assertionConsumerServices: [{ location: 'https://other.example/acs' }] },
      ],
    })
  }
  const signInAt = async (idp: Awaited<ReturnType<typeof setup>>, sp: string) =>
    readPage(await idp.app.request(`/saml/idp-initiated?sp=${encodeURIComponent(sp)}`))

  it('keeps a login queued for one SP from the sign-ins at another', async () => {
    const idp = await setup()
    idp.queueLogin('bob', { sp: other })
    const elsewhere = await signInAt(idp, `${spUrl}/saml/metadata`)
    expect(elsewhere.document.querySelector('#login-form')).not.toBeNull()
    const there = await signInAt(idp, other)
    expect(there.document.querySelector('#login-form')).toBeNull()
    expect(there.document.querySelector('form')?.getAttribute('action')).toBe(
      'https://other.example/acs',
    )
    expect(idp.sessions.forUser('bob')).toHaveLength(1)
    expect((await signInAt(idp, other)).document.querySelector('#login-form')).not.toBeNull()
  })

  it('refuses an unknown user with CONFIG_INVALID', async () => {
    const idp = await setup()
    expect(() => idp.queueLogin('nobody')).toThrowError(
      expect.objectContaining({ code: 'CONFIG_INVALID', check: 'userId' }),
    )
    expect(idp.clearQueuedLogins()).toBe(0)
  })
})
