import { isoInstant } from '../../core/clock/index.ts'
import type { ActiveFault } from '../faults/fault-set.ts'
import type { JournalEntry } from '../faults/journal.ts'
import type { IdpSession } from '../session/idp-sessions.ts'

/** How many journal lines the front page shows, newest first (GET /admin/journal has them all). */
const journalLines = 25

const when = (ms: number) =>
  isoInstant(ms)
    .replace('T', ' ')
    .replace(/(\.\d+)?Z$/, ' UTC')

/** The live IdP sessions: who, since when, until when, and every party signed in through it. */
export function Sessions(props: { sessions: readonly IdpSession[] }) {
  if (props.sessions.length === 0) return <p id="no-sessions">No one is signed in.</p>
  return (
    <div class="scroll">
      <table id="sessions">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Signed in</th>
            <th scope="col">Expires</th>
            <th scope="col">Parties</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((session) => (
            <tr data-user={session.userId}>
              <td>
                <code>{session.userId}</code>
              </td>
              <td class="nowrap">{when(session.authnInstant)}</td>
              <td class="nowrap">{when(session.expiresAt)}</td>
              <td>
                {[
                  ...session.participants.map((p) => `SAML ${p.spEntityId}`),
                  ...session.relyingParties.map(
                    (party) => `${party.protocol === 'oidc' ? 'OIDC' : 'JWT'} ${party.id}`,
                  ),
                ].map((party) => (
                  <div>
                    <code>{party}</code>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The faults set now, as the admin API lists them. */
export function Faults(props: { faults: readonly ActiveFault[] }) {
  if (props.faults.length === 0) {
    return <p id="no-faults">No fault is set: every message is correct.</p>
  }
  return (
    <ul id="faults">
      {props.faults.map(({ id, kind, ...rest }) => (
        <li data-fault={id}>
          <code>{kind}</code> <small class="muted">{id}</small> <code>{JSON.stringify(rest)}</code>
        </li>
      ))}
    </ul>
  )
}

/** What the SPs sent lately, newest first; the journal never holds a token or a secret. */
export function JournalTable(props: { entries: readonly JournalEntry[] }) {
  const entries = props.entries.slice(-journalLines).reverse()
  if (entries.length === 0) return <p id="no-journal">No SP has sent anything yet.</p>
  return (
    <div class="scroll">
      <table id="journal">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">From</th>
            <th scope="col">Message</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(({ seq, at, sp, message, ...details }) => (
            <tr data-seq={String(seq)}>
              <td class="nowrap">{at.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')}</td>
              <td>
                <code>{sp}</code>
              </td>
              <td>{message}</td>
              <td>
                <small>
                  {Object.entries(details)
                    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
                    .join(' · ')}
                </small>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
