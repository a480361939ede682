import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { labBrowser } from './browser.ts'
import { installedVersion } from './install.ts'
import { readLogGrowth } from './log-growth.ts'
import { loopbackFetch } from './loopback-fetch.ts'
import { ObservationFailed, Observations } from './observations.ts'
import { type CellResult, type LabReport, type PeerResult, summarize } from './report.ts'
import { reapStaleProcesses, Supervisor } from './supervisor.ts'
import {
  type CellDefinition,
  cellId,
  cellRow,
  type LabEnvironment,
  type PeerDefinition,
  type StartedPeer,
} from './types.ts'

export interface LabOptions {
  /** Only cells that involve one of these peers (ids); empty: all. */
  peers: string[]
  /** Only these cells: ids, or prefixes ending in `*`; empty: all. */
  cells: string[]
  outDir: string
  basePort: number
  verbose: boolean
  cellTimeoutMs: number
}

export interface LabRegistry {
  peers: PeerDefinition[]
  cells: CellDefinition[]
}

export interface LabRun {
  report: LabReport
  env: LabEnvironment
  /** Ends every peer process. */
  stop(): Promise<void>
}

export function selectCells(registry: LabRegistry, options: LabOptions): CellDefinition[] {
  return registry.cells.filter((cell) => {
    const id = cellId(cell)
    const byPeer =
      options.peers.length === 0 || cell.peers.some((peer) => options.peers.includes(peer.id))
    const byCell =
      options.cells.length === 0 ||
      options.cells.some((pattern) =>
        pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern,
      )
    return byPeer && byCell
  })
}

/** The peers the cells drive, each after the peers it needs. */
export function peersFor(cells: CellDefinition[]): PeerDefinition[] {
  const ordered: PeerDefinition[] = []
  const visit = (peer: PeerDefinition) => {
    if (ordered.includes(peer)) return
    for (const needed of peer.needs) visit(needed)
    ordered.push(peer)
  }
  for (const cell of cells) for (const peer of cell.peers) visit(peer)
  return ordered
}

/**
 * Starts the peers the selected cells need, in order, then runs each cell once, one at a time,
 * and returns the report. A peer that fails to start fails its cells (with its log), not the run.
 */
export async function runLab(
  registry: LabRegistry,
  options: LabOptions,
  log: (line: string) => void,
): Promise<LabRun> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const cells = selectCells(registry, options)
  const runDir = resolve(options.outDir, 'run')
  reapStaleProcesses(runDir, log)
  rmSync(runDir, { recursive: true, force: true })
  for (const dir of ['logs', 'pids']) mkdirSync(join(runDir, dir), { recursive: true })
  const supervisor = new Supervisor(runDir)
  guardProcesses(supervisor)
  const trusted: string[] = []
  const handles = new Map<PeerDefinition, StartedPeer<unknown>>()
  const env: LabEnvironment = {
    runDir,
    basePort: options.basePort,
    supervisor,
    log,
    peer: <T>(definition: PeerDefinition<T>) => {
      const peer = handles.get(definition as PeerDefinition)
      if (!peer) throw new Error(`peer ${definition.id} is not running`)
      return peer.handle as T
    },
    fetch: loopbackFetch({ trusted: () => trusted }),
    trust: (pem) => {
      trusted.push(pem)
    },
  }
  const peerResults: PeerResult[] = []
  const failedPeers = new Map<PeerDefinition, string>()
  for (const peer of peersFor(cells)) {
    peerResults.push(await startPeer(peer, env, options, handles, failedPeers, log))
  }
  const results: CellResult[] = []
  for (const cell of cells) {
    const result = await runCell(cell, env, options, handles, failedPeers)
    log(
      `  ${result.status === 'passed' ? '✓' : '✗'} ${result.id} (${Math.round(result.durationMs)} ms)${result.failure ? ` — ${result.failure.split('\n')[0]}` : ''}`,
    )
    results.push(result)
  }
  const rows = [...new Map(cells.map((cell) => [cellRow(cell).id, cellRow(cell)])).values()]
  const report: LabReport = {
    startedAt,
    durationMs: performance.now() - started,
    filters: { peers: options.peers, cells: options.cells },
    peers: peerResults,
    rows,
    cells: results,
    summary: summarize(results),
  }
  return { report, env, stop: () => supervisor.stopAll() }
}

async function startPeer(
  peer: PeerDefinition,
  env: LabEnvironment,
  options: LabOptions,
  handles: Map<PeerDefinition, StartedPeer<unknown>>,
  failedPeers: Map<PeerDefinition, string>,
  log: (line: string) => void,
): Promise<PeerResult> {
  const version = peer.packages[0] ? installedVersion(peer.packages[0]) : undefined
  const base = { id: peer.id, title: peer.title, version }
  const blocked = peer.needs.find((needed) => failedPeers.has(needed))
  if (blocked) {
    const error = `needs ${blocked.id}, which did not start`
    failedPeers.set(peer, error)
    return { ...base, started: false, startMs: 0, error }
  }
  const started = performance.now()
  const ports = Array.from(
    { length: peer.portCount },
    (_, i) => options.basePort + peer.portOffset + i,
  )
  mkdirSync(join(env.runDir, peer.id), { recursive: true })
  try {
    handles.set(peer, await peer.start(env, ports))
    const startMs = performance.now() - started
    log(`interop: ${peer.title} up on port ${ports[0]} in ${Math.round(startMs)} ms`)
    return { ...base, started: true, startMs, error: undefined }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    failedPeers.set(peer, message)
    log(`interop: ${peer.title} did not start: ${message.split('\n')[0]}`)
    return { ...base, started: false, startMs: performance.now() - started, error: message }
  }
}

async function runCell(
  cell: CellDefinition,
  env: LabEnvironment,
  options: LabOptions,
  handles: Map<PeerDefinition, StartedPeer<unknown>>,
  failedPeers: Map<PeerDefinition, string>,
): Promise<CellResult> {
  const row = cellRow(cell)
  const base = { id: cellId(cell), row: row.id, flow: cell.flow, title: cell.title }
  const involved = [...new Set(cell.peers.flatMap((peer) => [...peer.needs, peer]))]
  const down = involved.find((peer) => failedPeers.has(peer))
  if (down) {
    return {
      ...base,
      status: 'failed',
      durationMs: 0,
      observations: [],
      failure: `${down.title} did not start: ${failedPeers.get(down)?.split('\n')[0]}`,
      logs: [{ file: down.id, text: failedPeers.get(down) ?? '' }],
    }
  }
  const logFiles = involved.flatMap((peer) => handles.get(peer)?.logFiles ?? [])
  const growth = readLogGrowth(logFiles)
  const observe = new Observations()
  const attachments: Record<string, unknown> = {}
  const attach = (key: string, value: unknown) => {
    attachments[key] = value
  }
  const started = performance.now()
  const timeoutMs = cell.timeoutMs ?? options.cellTimeoutMs
  let failure: string | undefined
  try {
    await withTimeout(
      cell.run({ env, observe, attach, browser: () => labBrowser(env.fetch) }),
      timeoutMs,
      `${base.id} took longer than ${timeoutMs / 1000} s`,
    )
  } catch (error) {
    failure =
      error instanceof ObservationFailed
        ? error.message
        : error instanceof Error
          ? error.message
          : String(error)
  }
  const status = failure === undefined ? 'passed' : 'failed'
  return {
    ...base,
    status,
    durationMs: performance.now() - started,
    observations: observe.list,
    failure,
    logs: status === 'failed' || options.verbose ? growth() : [],
    ...(Object.keys(attachments).length > 0 ? { attachments } : {}),
  }
}

/** Nothing left running: Ctrl-C and SIGTERM end every peer first; a crash kills them on the way out. */
function guardProcesses(supervisor: Supervisor): void {
  const stop = () => {
    supervisor.stopAll(2_000).finally(() => process.exit(130))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  process.once('exit', () => supervisor.killAllNow())
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
