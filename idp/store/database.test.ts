import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { parseArtifact } from '../../core/saml/artifact.ts'
import { idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createArtifactStore } from '../artifact/artifact-store.ts'
import { createIdp } from '../create-idp.tsx'
import { createIdpSessionStore } from '../session/idp-sessions.ts'
import { type IdpDatabase, openIdpDatabase } from './database.ts'
import { purgeBatch, purgeEveryMs } from './purge-ended.ts'

const folders: string[] = []
const open: IdpDatabase[] = []
afterEach(async () => {
  for (const db of open.splice(0)) db.close()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function fileDatabase() {
  const folder = await mkdtemp(join(tmpdir(), 'ssoproof-idp-db-'))
  folders.push(folder)
  const path = join(folder, 'idp.sqlite')
  return () => {
    const db = openIdpDatabase(path)
    open.push(db)
    return db
  }
}

const clock = () => createManualClock('2030-01-01T00:00:00Z')

describe('the IdP database: a restart over the same file loses nothing', () => {
  it('keeps sessions, and users, SPs, JWT SPs and OIDC clients added through the facade', async () => {
    const reopen = await fileDatabase()
    const keys = await testCredentials()
    const options = (database: IdpDatabase) => ({
      baseUrl: idpUrl,
      credential: keys.idp,
      clock: clock(),
      random: createSeededRandom('idp-db'),
      log: () => {},
      users: [{ id: 'seed', name: 'Seed' }],
      database,
    })
    const first = createIdp(options(reopen()))
    first.users.put({ id: 'erin', name: 'Erin', password: 'erin-secret-password' })
    first.users.delete('seed')
    first.serviceProviders.register({
      entityId: 'https://sp.example.com',
      assertionConsumerServices: [{ location: 'https://sp.example.com/acs' }],
    })
    first.jwtServiceProviders.register({
      id: 'shop',
      returnUrls: ['https://shop.example.com/'],
      algorithm: 'HS256',
      secret: 'a-shared-secret-of-32-bytes-or-more!',
    })
    first.oidcClients.register({
      clientId: 'rp',
      clientSecret: 'client-secret-0123456789',
      redirectUris: ['https://rp.example.com/cb'],
    })

    const second = createIdp(options(reopen()))
    expect(second.users.get('erin')).toMatchObject({
      name: 'Erin',
      password: 'erin-secret-password',
    })
    // A seed is the options': deleted through the facade, it is back at the next start.
    expect(second.users.list().map((user) => user.id)).toEqual(['seed', 'erin'])
    expect(
      second.serviceProviders.get('https://sp.example.com')?.assertionConsumerServices,
    ).toEqual(first.serviceProviders.get('https://sp.example.com')?.assertionConsumerServices)
    expect(second.jwtServiceProviders.get('shop')?.secret).toBe(
      'a-shared-secret-of-32-bytes-or-more!',
    )
    expect(second.oidcClients.get('rp')?.clientSecret).toBe('client-secret-0123456789')
  })

  it('keeps no password, client secret or shared secret in clear, and another signing key reads none of them', async () => {
    const reopen = await fileDatabase()
    const keys = await testCredentials()
    const base = { baseUrl: idpUrl, clock: clock(), log: () => {} }
    const db = reopen()
    const idp = createIdp({ ...base, credential: keys.idp, database: db })
    idp.users.put({ id: 'erin', name: 'Erin', password: 'erin-secret-password' })
    idp.oidcClients.register({
      clientId: 'rp',
      clientSecret: 'client-secret-0123456789',
      redirectUris: ['https://rp.example.com/cb'],
    })
    const everything = JSON.stringify(db.prepare('SELECT * FROM idp_records').all())
    expect(everything).toContain('erin') // the row's id
    expect(everything).not.toContain('erin-secret-password')
    expect(everything).not.toContain('client-secret-0123456789')
    const other = createIdp({ ...base, credential: keys.sp, database: reopen() })
    expect(other.users.get('erin')).toBeUndefined()
    expect(other.oidcClients.get('rp')).toBeUndefined()
  })

  it('keeps an issued artifact sealed with its MessageHandle, resolvable once after a reopen', async () => {
    const reopen = await fileDatabase()
    const settings = {
      clock: clock(),
      random: createSeededRandom('artifacts'),
      lifetimeMs: 60_000,
      sourceId: Buffer.alloc(20, 1),
      endpointIndex: 0,
    }
    const db = reopen()
    const artifact = createArtifactStore({ ...settings, db }).issue('https://sp', '<Response/>')
    expect(JSON.stringify(db.prepare('SELECT * FROM idp_artifacts').all())).not.toContain(
      'Response',
    )
    const later = createArtifactStore({ ...settings, db: reopen() })
    const { messageHandle } = parseArtifact(artifact)
    expect(later.take(messageHandle)).toEqual({
      spEntityId: 'https://sp',
      responseXml: '<Response/>',
    })
    expect(later.take(messageHandle)).toBeUndefined()
  })
})

describe('the IdP database: signing keys', () => {
  it('keeps rotated, staged and retired keys across a reopen, private keys sealed', async () => {
    const reopen = await fileDatabase()
    const keys = await testCredentials()
    const idpOn = (database: IdpDatabase, credential = keys.idp) =>
      createIdp({ baseUrl: idpUrl, credential, clock: clock(), log: () => {}, database })
    const db = reopen()
    const first = idpOn(db)
    const original = await first.keys.list()
    const rotated = await first.keys.rotate('RS256')
    const staged = await first.keys.stage('ES256')
    const previousRsa = original.find((key) => key.alg === 'RS256')?.kid as string
    await first.keys.retire(previousRsa)
    const before = await first.keys.list()
    expect(before.map((key) => key.kid)).toContain(staged.kid)
    expect(before.map((key) => key.kid)).not.toContain(previousRsa)
    const rows = JSON.stringify(
      db.prepare("SELECT value FROM idp_records WHERE kind = 'ring-key'").all(),
    )
    expect(rows).not.toContain('BEGIN')
    expect(rows).not.toContain(rotated.kid)

    const second = idpOn(reopen())
    expect(await second.keys.list()).toEqual(before)
    expect(await second.keys.jwks()).toEqual(await first.keys.jwks())
    // Begun from another IdP key, the ring starts afresh from it.
    const other = idpOn(reopen(), keys.sp)
    expect((await other.keys.list()).map((key) => key.kid)).not.toContain(rotated.kid)
  })
})

describe('the IdP database: bounded, indexed expiry', () => {
  it('purges ended sessions in batches as sessions start, not all of them at once', () => {
    const db = openIdpDatabase()
    open.push(db)
    const time = clock()
    const store = createIdpSessionStore(db, time, createSeededRandom('purge'), 60_000)
    const count = () =>
      (db.prepare('SELECT count(*) AS n FROM idp_sessions').get() as { n: number }).n
    for (let i = 0; i < purgeBatch + 10; i++) store.create(`user-${i}`)
    time.advance(60_000 + purgeEveryMs)
    store.create('next')
    expect(count()).toBe(11) // one batch gone, ten ended rows left, the new session
    store.create('after')
    expect(count()).toBe(2) // a full batch asked for another at once
    time.advance(1_000)
    const { session } = store.create('late')
    expect(store.list().map((live) => live.userId)).toEqual(['next', 'after', 'late'])
    expect(store.findBySessionIndex(session.sessionIndex)?.userId).toBe('late')
  })

  it('looks sessions up through indexes, never by a scan of the table', () => {
    const db = openIdpDatabase()
    open.push(db)
    const plans = [
      'SELECT secret_key, value FROM idp_sessions WHERE id = ? AND expires_at > ?',
      'SELECT value FROM idp_sessions WHERE session_index = ? AND expires_at > ?',
      'SELECT value FROM idp_sessions WHERE user_id = ? AND expires_at > ?',
      `SELECT s.value FROM idp_session_participants p JOIN idp_sessions s ON s.id = p.session_id
         WHERE p.sp_entity_id = ? AND p.name_id = ? AND s.expires_at > ?`,
      'SELECT value FROM idp_sessions WHERE sp_entity_id = ? AND name_id = ? AND expires_at > ?',
      'SELECT rowid FROM idp_sessions WHERE expires_at <= ? LIMIT ?',
      'SELECT rowid FROM idp_artifacts WHERE expires_at <= ? LIMIT ?',
    ].map((sql) =>
      (
        db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(
          ...sql
            .split('?')
            .slice(1)
            .map(() => 0),
        ) as Array<{
          detail: string
        }>
      )
        .map((row) => row.detail)
        .join('; '),
    )
    for (const plan of plans) expect(plan).not.toMatch(/^SCAN|; SCAN/)
  })
})
