import type { Clock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { SpDatabase } from '../store/database.ts'

/** A provisioned agent, as the console and the admin API show it: never the password hash. */
export interface Agent {
  id: number
  siteId: string
  loginName: string
  name: string
  email: string | undefined
  disabled: boolean
  hasPassword: boolean
  createdAt: number
  updatedAt: number
}

export interface NewAgent {
  siteId: string
  loginName: string
  name: string
  email?: string | undefined
  disabled?: boolean | undefined
  passwordHash?: string | undefined
}

export interface AgentStore {
  /** Throws AGENT_ALREADY_PROVISIONED when the site has this login name. */
  create(agent: NewAgent): Agent
  /** The agent with exactly this login name (case-sensitive). */
  find(siteId: string, loginName: string): Agent | undefined
  /** An agent whose login name equals this one when ASCII case is ignored (for the diagnosis). */
  findIgnoringCase(siteId: string, loginName: string): Agent | undefined
  get(id: number): Agent | undefined
  list(siteId?: string): Agent[]
  setDisabled(siteId: string, loginName: string, disabled: boolean): Agent | undefined
  setPasswordHash(siteId: string, loginName: string, passwordHash: string): Agent | undefined
  passwordHash(id: number): string | undefined
  /** Changes what is given (SCIM PUT and PATCH); returns the agent as it now is. */
  update(
    id: number,
    change: { name?: string; email?: string | undefined; disabled?: boolean },
  ): Agent
  /** Deprovisions the agent (SCIM DELETE): gone, so no sign-in and no session finds them. */
  remove(id: number): void
}

interface AgentRow {
  id: number
  site_id: string
  login_name: string
  name: string
  email: string | null
  disabled: number
  password_hash: string | null
  created_at: number
  updated_at: number
}

const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  siteId: row.site_id,
  loginName: row.login_name,
  name: row.name,
  email: row.email ?? undefined,
  disabled: row.disabled === 1,
  hasPassword: row.password_hash !== null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** The agents table (migration 2). */
export function createAgentStore(db: SpDatabase, clock: Clock): AgentStore {
  const insert = db.prepare(
    `INSERT INTO agents (site_id, login_name, name, email, disabled, password_hash, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const byName = db.prepare<[string, string], AgentRow>(
    'SELECT * FROM agents WHERE site_id = ? AND login_name = ?',
  )
  const byNameNoCase = db.prepare<[string, string], AgentRow>(
    'SELECT * FROM agents WHERE site_id = ? AND login_name = ? COLLATE NOCASE ORDER BY id LIMIT 1',
  )
  const byId = db.prepare<[number], AgentRow>('SELECT * FROM agents WHERE id = ?')
  const all = db.prepare<[], AgentRow>('SELECT * FROM agents ORDER BY site_id, login_name')
  const ofSite = db.prepare<[string], AgentRow>(
    'SELECT * FROM agents WHERE site_id = ? ORDER BY login_name',
  )
  const disable = db.prepare<[number, number, string, string]>(
    'UPDATE agents SET disabled = ?, updated_at = ? WHERE site_id = ? AND login_name = ?',
  )
  const password = db.prepare<[string, number, string, string]>(
    'UPDATE agents SET password_hash = ?, updated_at = ? WHERE site_id = ? AND login_name = ?',
  )
  const changeRow = db.prepare<[string, string | null, number, number, number]>(
    'UPDATE agents SET name = ?, email = ?, disabled = ?, updated_at = ? WHERE id = ?',
  )
  const remove = db.prepare<[number]>('DELETE FROM agents WHERE id = ?')
  const find = (siteId: string, loginName: string) => {
    const row = byName.get(siteId, loginName)
    return row ? toAgent(row) : undefined
  }
  return {
    create(agent) {
      if (byName.get(agent.siteId, agent.loginName)) {
        throw new SsoError(
          'AGENT_ALREADY_PROVISIONED',
          'loginName',
          `site ${agent.siteId} already has the agent ${agent.loginName}`,
          { siteId: agent.siteId, loginName: agent.loginName },
        )
      }
      const now = clock.now()
      const { lastInsertRowid } = insert.run(
        agent.siteId,
        agent.loginName,
        agent.name,
        agent.email ?? null,
        agent.disabled ? 1 : 0,
        agent.passwordHash ?? null,
        now,
        now,
      )
      return toAgent(byId.get(Number(lastInsertRowid)) as AgentRow)
    },
    find,
    findIgnoringCase(siteId, loginName) {
      const row = byNameNoCase.get(siteId, loginName)
      return row ? toAgent(row) : undefined
    },
    get(id) {
      const row = byId.get(id)
      return row ? toAgent(row) : undefined
    },
    list: (siteId) => (siteId === undefined ? all.all() : ofSite.all(siteId)).map(toAgent),
    setDisabled(siteId, loginName, disabled) {
      disable.run(disabled ? 1 : 0, clock.now(), siteId, loginName)
      return find(siteId, loginName)
    },
    setPasswordHash(siteId, loginName, passwordHash) {
      password.run(passwordHash, clock.now(), siteId, loginName)
      return find(siteId, loginName)
    },
    passwordHash: (id) => byId.get(id)?.password_hash ?? undefined,
    update(id, change) {
      const row = byId.get(id) as AgentRow
      changeRow.run(
        change.name ?? row.name,
        'email' in change ? (change.email ?? null) : row.email,
        change.disabled === undefined ? row.disabled : change.disabled ? 1 : 0,
        clock.now(),
        id,
      )
      return toAgent(byId.get(id) as AgentRow)
    },
    remove(id) {
      remove.run(id)
    },
  }
}
