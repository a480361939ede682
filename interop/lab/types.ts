/**
 * The lab's two building blocks. A peer is a real implementation (or ssoproof itself) started as
 * processes of its own on loopback; a cell is one flow between peers whose verdict rests on what
 * the other side observed. Add a peer under `interop/peers/<id>/`, a cell under `interop/cells/`,
 * and list both in `interop/registry.ts`.
 */
import type { LabBrowser } from './browser.ts'
import type { Observations } from './observations.ts'
import type { Supervisor } from './supervisor.ts'

export interface LabEnvironment {
  /** Where this run keeps configs, state, pid files and logs (`reports/out/interop/run`). */
  runDir: string
  /** The first of the ports this run may bind; each peer takes a fixed offset from it. */
  basePort: number
  supervisor: Supervisor
  log(line: string): void
  /** A started peer this one needs (declared in `needs`). */
  peer<T>(definition: PeerDefinition<T>): T
  /** Loopback HTTP(S) that trusts the certificates handed to `trust`. */
  fetch(request: Request): Promise<Response>
  /** Adds a certificate (PEM) the lab's browser and admin calls accept for HTTPS. */
  trust(certificatePem: string): void
}

export interface PeerDefinition<T = unknown> {
  id: string
  /** The implementation and version, as the matrix names it. */
  title: string
  /** Debian packages that provide it. */
  packages: string[]
  /** Peers that must run first (ssoproof's IdP for every SP). */
  needs: PeerDefinition[]
  /** Offset of its ports from the lab's base port; `portCount` ports from there. */
  portOffset: number
  portCount: number
  start(env: LabEnvironment, ports: number[]): Promise<StartedPeer<T>>
}

export interface StartedPeer<T> {
  handle: T
  /** Log files worth attaching to a failing cell. */
  logFiles: string[]
}

export interface CellContext {
  env: LabEnvironment
  /** A fresh scripted browser over real sockets, trusting the lab's certificates. */
  browser(): LabBrowser
  observe: Observations
  /** Keeps `value` (JSON) in the cell's result under `key`, for reports of its own (the attack table). */
  attach(key: string, value: unknown): void
}

export interface CellDefinition {
  /** Its column in the matrix, e.g. `post`, `artifact`, `slo-sp`; the cell id is `<row>/<flow>`. */
  flow: string
  title: string
  /** The peers the cell drives; the first one is its matrix row unless `row` says otherwise. */
  peers: PeerDefinition[]
  /** A row of its own, for a cell across several peers. */
  row?: MatrixRow
  /** Its own time limit, when the lab's 90 s is too short (a whole attack campaign). */
  timeoutMs?: number
  run(context: CellContext): Promise<void>
}

/** A row of the matrix; `versionOf` names the peer whose package version it shows, if not its id. */
export interface MatrixRow {
  id: string
  title: string
  versionOf?: string
}

export function cellRow(cell: CellDefinition): MatrixRow {
  const first = cell.peers[0]
  return cell.row ?? { id: first?.id ?? 'lab', title: first?.title ?? 'lab' }
}

export function cellId(cell: CellDefinition): string {
  return `${cellRow(cell).id}/${cell.flow}`
}
