import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { authnClasses } from '../../core/authn-context/classes.ts'
import { authorizeUrl, codeFor, exchange, setup } from './test-support.ts'

const mfa = authnClasses.mfa
const essentialMfa = JSON.stringify({ id_token: { acr: { essential: true, values: [mfa] } } })

describe('acr and amr (OIDC Core §2, §3.1.2.1, §5.5.1.1; RFC 8176)', () => {
  it('a password sign-in states PasswordProtectedTransport and amr pwd', async () => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const { id_token } = (await (await exchange(world, code)).json()) as { id_token: string }
    expect(decodeJwt(id_token)).toMatchObject({
      acr: authnClasses.passwordProtectedTransport,
      amr: ['pwd'],
    })
  })

  it('voluntary acr_values: a user without a second factor still gets a code, stating the password', async () => {
    const world = await setup()
    const answer = await codeFor(world, { acr_values: mfa })
    const code = answer.searchParams.get('code') ?? ''
    expect(code).not.toBe('')
    const { id_token } = (await (await exchange(world, code)).json()) as { id_token: string }
    expect(decodeJwt(id_token).acr).toBe(authnClasses.passwordProtectedTransport)
  })

  it('an essential acr the user cannot reach fails: unmet_authentication_requirements', async () => {
    const world = await setup()
    const answer = await codeFor(world, { claims: essentialMfa })
    expect(answer.searchParams.get('error')).toBe('unmet_authentication_requirements')
    expect(answer.searchParams.get('code')).toBeNull()
  })

  it('acr_values steps a user with a second factor up: the second step is shown', async () => {
    const world = await setup()
    world.idp.users.put({ id: 'otto', name: 'Otto', secondFactor: { code: '246810' } })
    await world.idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'otto' }),
    })
    const answer = await world.idp.app.request(authorizeUrl({ acr_values: mfa }))
    expect(answer.status).toBe(200)
    expect(await answer.text()).toContain('id="second-factor-form"')
  })

  it('a claims parameter that is not a JSON object is invalid_request', async () => {
    const world = await setup()
    const answer = await codeFor(world, { claims: '[1,2]' })
    expect(answer.searchParams.get('error')).toBe('invalid_request')
  })
})
