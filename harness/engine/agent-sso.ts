import { parse } from 'node-html-parser'
import { agentCookies } from '../../sp/agents/context.ts'
import { type Driver, StepFailure } from './drivers/driver.ts'
import type { Expectation } from './scenario-schema.ts'
import type { World } from './world.ts'

/** The SP's agent SSO, or a step failure naming what the scenario forgot to set up. */
function agentSsoOf(world: World) {
  const agentSso = world.sp.agentSso
  if (!agentSso) throw new StepFailure('the scenario sets up no agent SSO (setup.agentSso)')
  return agentSso
}

/** An administrator's password reset through the SP admin API (in-process, not the browser). */
export async function resetAgentPassword(
  world: World,
  site: string,
  loginName: string,
  password: string,
): Promise<void> {
  agentSsoOf(world)
  const path = `/admin/agents/${encodeURIComponent(site)}/${encodeURIComponent(loginName)}/password`
  const response = await world.sp.app.request(path, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  })
  if (response.status !== 200) {
    throw new StepFailure(
      'the SP admin API refused the password reset',
      '200',
      String(response.status),
    )
  }
}

/** The agent SSO expectations: this browser's agent session, the admin view, the agents. */
export async function checkAgentSso(
  expectation: Expectation,
  world: World,
  driver: Driver,
  compare: (check: string, expected: unknown, actual: unknown) => void,
): Promise<void> {
  const signedIn = expectation['agent signed in']
  const signedInAs = expectation['agent signed in as']
  if (signedIn !== undefined || signedInAs !== undefined) {
    const token = await driver.cookie(world.spUrl, agentCookies.session)
    // Peek, not touch: checking is not the agent's activity.
    const session = agentSsoOf(world).sessions.peek(token)
    if (signedIn !== undefined) compare('agent signed in', signedIn, session !== undefined)
    if (signedInAs !== undefined) {
      compare('agent signed in as', signedInAs, session ? session.loginName : '(not signed in)')
    }
  }
  if (expectation['certificate warning'] !== undefined) {
    agentSsoOf(world)
    const page = parse(await (await world.sp.app.request('/admin')).text())
    compare(
      'certificate warning',
      expectation['certificate warning'],
      page.querySelector('.certificate-warning') !== null,
    )
  }
  if (expectation.agents !== undefined) {
    compare('agents', expectation.agents, agentSsoOf(world).agents.list().length)
  }
}
