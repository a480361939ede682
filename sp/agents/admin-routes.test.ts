import { describe, expect, it } from 'vitest'
import { createSp } from '../create-sp.tsx'
import { agentPair } from './test-support.ts'

type Pair = Awaited<ReturnType<typeof agentPair>>

const call = (pair: Pair, method: string, path: string, body?: unknown) =>
  pair.sp.app.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })

describe('the agent admin API', () => {
  it('creates, lists and disables agents; never shows a password or its hash', async () => {
    const pair = await agentPair()
    const created = await call(pair, 'POST', '/admin/agents', {
      siteId: '3003',
      loginName: 'Eve.Agent',
      name: 'Eve Agent',
      email: 'eve@example.com',
      password: 'eve-password',
    })
    expect(created.status).toBe(201)
    const { agent } = (await created.json()) as { agent: Record<string, unknown> }
    expect(agent).toMatchObject({
      siteId: '3003',
      loginName: 'Eve.Agent',
      name: 'Eve Agent',
      disabled: false,
      hasPassword: true,
    })
    const listed = (await (await call(pair, 'GET', '/admin/agents?site=3003')).json()) as {
      agents: Array<{ loginName: string }>
    }
    expect(listed.agents.map((a) => a.loginName)).toEqual(['Eve.Agent', 'ines'])
    const text = JSON.stringify(listed)
    expect(text).not.toContain('eve-password')
    expect(text).not.toContain('scrypt')
    expect(pair.log.join('\n')).not.toContain('eve-password')

    // Login names are case-sensitive: eve.agent is another agent.
    expect(
      (
        await call(pair, 'POST', '/admin/agents', {
          siteId: '3003',
          loginName: 'eve.agent',
          name: 'Eve 2',
        })
      ).status,
    ).toBe(201)
    const disabled = await call(pair, 'POST', '/admin/agents/3003/Eve.Agent/disable')
    expect(((await disabled.json()) as { agent: { disabled: boolean } }).agent.disabled).toBe(true)
  })

  it.each([
    [
      'a login name the site has',
      { siteId: '1001', loginName: 'anna', name: 'Anna 2' },
      'AGENT_ALREADY_PROVISIONED',
    ],
    ['an unknown site', { siteId: '9999', loginName: 'zed', name: 'Zed' }, 'AGENT_SITE_UNKNOWN'],
    [
      'a short password',
      { siteId: '1001', loginName: 'zed', name: 'Zed', password: 'short' },
      'CONFIG_INVALID',
    ],
    [
      'an unknown field',
      { siteId: '1001', loginName: 'zed', name: 'Zed', admin: true },
      'CONFIG_INVALID',
    ],
    // Catalogue 33: no agent can be provisioned under a look-alike of a login name.
    ...['anna\u3000', 'anna\u00a0', '\ufeffanna', 'an\u200bna', 'anna '].map(
      (loginName): [string, Record<string, unknown>, string] => [
        `the login name ${JSON.stringify(loginName)}`,
        { siteId: '1001', loginName, name: 'Look Alike' },
        'CONFIG_INVALID',
      ],
    ),
  ])('refuses %s', async (_, body, code) => {
    const pair = await agentPair()
    const response = await call(pair, 'POST', '/admin/agents', body)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code)
  })

  it('gives no agent of a site whose SSO is on a password: neither at creation nor by a reset', async () => {
    const pair = await agentPair()
    const created = await call(pair, 'POST', '/admin/agents', {
      siteId: '1001',
      loginName: 'mallory',
      name: 'Mallory',
      password: 'mallory-password',
    })
    expect(created.status).toBe(403)
    expect(((await created.json()) as { error: { code: string } }).error.code).toBe(
      'AGENT_PASSWORD_LOGIN_OFF',
    )
    expect(pair.sp.agentSso?.agents.find('1001', 'mallory')).toBeUndefined()
    const reset = await call(pair, 'PUT', '/admin/agents/1001/bruno/password', {
      password: 'a-password-for-bruno',
    })
    expect(reset.status).toBe(403)
    expect(((await reset.json()) as { error: { code: string } }).error.code).toBe(
      'AGENT_PASSWORD_LOGIN_OFF',
    )
    const bruno = pair.sp.agentSso?.agents.find('1001', 'bruno')
    expect(bruno?.hasPassword).toBe(false)
    // Without a password the site's agents are provisioned as before.
    const ssoAgent = await call(pair, 'POST', '/admin/agents', {
      siteId: '1001',
      loginName: 'erin',
      name: 'Erin',
    })
    expect(ssoAgent.status).toBe(201)
    expect(pair.log.join('\n')).not.toContain('mallory-password')
  })

  it('answers 404 for an agent it does not have', async () => {
    const pair = await agentPair()
    const response = await call(pair, 'POST', '/admin/agents/1001/Anna/disable')
    expect(response.status).toBe(404)
  })

  it('provisions the configured agents once: a restart keeps what the admin API changed', async () => {
    const pair = await agentPair()
    await call(pair, 'POST', '/admin/agents/1001/anna/disable')
    const restarted = createSp({ ...pair.sp.options, database: pair.sp.database })
    expect(restarted.agentSso?.agents.find('1001', 'anna')?.disabled).toBe(true)
    expect(restarted.agentSso?.agents.list()).toHaveLength(6)
  })
})
