import { createExpiringMap } from '../core/clock/expiring-map.ts'
import { artifactSourceId } from '../core/saml/artifact.ts'
import { artifactResolutionIndex, createArtifactStore } from './artifact/artifact-store.ts'
import type { IdpContext } from './context.ts'
import { createFaultSet } from './faults/fault-set.ts'
import { createJournal } from './faults/journal.ts'
import { createJwtSpRegistry } from './jwt/registration.ts'
import { createKeyRing } from './keys/key-ring.ts'
import { createLoginQueue } from './login/login-queue.ts'
import { createOidcClientRegistry } from './oidc/clients.ts'
import { createGrantStore } from './oidc/grants.ts'
import type { IdpSeeds, ResolvedIdpOptions } from './options.ts'
import { createServiceProviderRegistry } from './service-providers/registry.ts'
import { createIdpSessionStore } from './session/idp-sessions.ts'
import { createLogoutFlowStore } from './slo/logout-flows.ts'
import { createFlowStore } from './sso/flows.ts'
import { openIdpDatabase } from './store/database.ts'
import { createRecordTable } from './store/record-table.ts'
import { stateSeal } from './store/state-seal.ts'
import { createUserStore } from './users/user-store.ts'

/** The IdP's state from validated options: every store, registry and key, seeded. */
export function createIdpContext(resolved: ResolvedIdpOptions, seeds: IdpSeeds): IdpContext {
  const { clock, random } = resolved
  const db = resolved.database ?? openIdpDatabase()
  const seal = stateSeal(resolved.credential.privateKey, random)
  return {
    options: resolved,
    users: createUserStore(seeds.users, createRecordTable(db, 'user', seal)),
    serviceProviders: createServiceProviderRegistry(
      seeds.serviceProviders,
      createRecordTable(db, 'service-provider'),
    ),
    jwtServiceProviders: createJwtSpRegistry(
      seeds.jwtServiceProviders,
      createRecordTable(db, 'jwt-service-provider', seal),
    ),
    keys: createKeyRing({
      rsaKey: resolved.credential.privateKey,
      ...(seeds.ecSigningKey ? { ecKey: seeds.ecSigningKey } : {}),
      clock,
      stored: createRecordTable(db, 'ring-key', seal),
    }),
    oidcClients: createOidcClientRegistry(
      seeds.oidcClients,
      createRecordTable(db, 'oidc-client', seal),
    ),
    oidcGrants: createGrantStore(clock, random),
    sessions: createIdpSessionStore(db, clock, random, resolved.sessionLifetimeMs),
    flows: createFlowStore(clock, random),
    artifacts: createArtifactStore({
      db,
      clock,
      random,
      lifetimeMs: resolved.artifactLifetimeMs,
      sourceId: artifactSourceId(resolved.entityId),
      endpointIndex: artifactResolutionIndex,
    }),
    logoutFlows: createLogoutFlowStore(clock, random),
    nextLogins: createLoginQueue(),
    faults: createFaultSet({ clock, log: resolved.log, initial: seeds.faults }),
    journal: createJournal(clock),
    distributedClaims: createExpiringMap(clock),
  }
}
