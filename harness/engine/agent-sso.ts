import type { Sp } from '../../sp/create-sp.tsx'
import { StepFailure } from './drivers/driver.ts'
import type { World } from './world.ts'

/** The SP's agent SSO, or a step failure naming what the scenario forgot to set up. */
export function requireAgentSso(world: World): NonNullable<Sp['agentSso']> {
  const agentSso = world.sp.agentSso
  if (!agentSso) throw new StepFailure('the scenario sets up no agent SSO (setup.agentSso)')
  return agentSso
}
