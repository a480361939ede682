import type { Observation } from './observations.ts'

/** One peer of the run: what it is, whether it started, how long that took. */
export interface PeerResult {
  id: string
  title: string
  /** The Debian package version it ran from, when it comes from one. */
  version: string | undefined
  started: boolean
  startMs: number
  error: string | undefined
}

export interface LogExcerpt {
  file: string
  /** What the log gained while the cell ran (its tail when the peer failed to start). */
  text: string
}

export interface CellResult {
  id: string
  /** The matrix row (a peer, or a group of peers) and column (the flow). */
  row: string
  flow: string
  title: string
  status: 'passed' | 'failed'
  durationMs: number
  observations: Observation[]
  /** Why it failed: the failed observation, or the error that stopped it. */
  failure: string | undefined
  /** Peer logs, attached to failing cells (and to every cell with --verbose). */
  logs: LogExcerpt[]
  /** What the cell attached for reports of its own (`context.attach`), by key. */
  attachments?: Record<string, unknown>
}

export interface LabReport {
  startedAt: string
  durationMs: number
  /** The filters of this run; a run with none covers the whole matrix. */
  filters: { peers: string[]; cells: string[] }
  peers: PeerResult[]
  /** The matrix rows in order: a peer, or a group of peers (multi-SP logout). */
  rows: { id: string; title: string; versionOf?: string }[]
  cells: CellResult[]
  summary: { passed: number; failed: number; total: number }
}

export function summarize(cells: CellResult[]): LabReport['summary'] {
  const passed = cells.filter((cell) => cell.status === 'passed').length
  return { passed, failed: cells.length - passed, total: cells.length }
}
