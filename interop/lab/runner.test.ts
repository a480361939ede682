import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type LabOptions, peersFor, runLab, selectCells } from './runner.ts'
import type { CellDefinition, PeerDefinition } from './types.ts'

const base: PeerDefinition<{ name: string }> = {
  id: 'base',
  title: 'Base peer',
  packages: [],
  needs: [],
  portOffset: 0,
  portCount: 1,
  start: async (_env, ports) => ({ handle: { name: `base@${ports[0]}` }, logFiles: [] }),
}
const broken: PeerDefinition = {
  ...base,
  id: 'broken',
  title: 'Broken peer',
  needs: [base],
  start: async () => {
    throw new Error('exited with status 1\nAH00526: syntax error')
  },
}
const dependent: PeerDefinition = { ...base, id: 'dependent', title: 'Dependent', needs: [broken] }

const cells: CellDefinition[] = [
  {
    flow: 'sees-base',
    title: 'reads what the base peer observed',
    peers: [base],
    async run({ env, observe }) {
      observe.equal('base name', env.peer(base).name, 'base@31000')
    },
  },
  {
    flow: 'wrong',
    title: 'an observation that fails',
    peers: [base],
    async run({ observe }) {
      observe.equal('attribute mail', 'nobody@example.com', 'alice@example.com')
      observe.equal('never reached', 1, 1)
    },
  },
  { flow: 'post', title: 'needs a peer that does not start', peers: [broken], run: async () => {} },
  { flow: 'post', title: 'needs it indirectly', peers: [dependent], run: async () => {} },
  {
    flow: 'slow',
    title: 'runs past its time',
    peers: [base],
    run: () => new Promise(() => {}),
  },
]

function options(overrides: Partial<LabOptions> = {}): LabOptions {
  return {
    peers: [],
    cells: [],
    outDir: mkdtempSync(join(tmpdir(), 'interop-test-')),
    basePort: 31000,
    verbose: false,
    cellTimeoutMs: 200,
    ...overrides,
  }
}

describe('the lab runner', () => {
  it('selects cells by peer and by id or prefix, and starts their peers after what they need', () => {
    const registry = { peers: [base, broken, dependent], cells }
    const ids = (selected: CellDefinition[]) => selected.map((cell) => cell.title)
    expect(ids(selectCells(registry, options({ peers: ['dependent'] })))).toEqual([
      'needs it indirectly',
    ])
    expect(ids(selectCells(registry, options({ cells: ['base/s*'] })))).toEqual([
      'reads what the base peer observed',
      'runs past its time',
    ])
    expect(ids(selectCells(registry, options({ cells: ['base/wrong'] })))).toEqual([
      'an observation that fails',
    ])
    expect(peersFor([cells[3] as CellDefinition]).map((peer) => peer.id)).toEqual([
      'base',
      'broken',
      'dependent',
    ])
  })

  it('passes a cell on what it observed, fails one on a wrong observation, a dead peer or a timeout', async () => {
    const lines: string[] = []
    const run = await runLab({ peers: [], cells }, options(), (line) => lines.push(line))
    await run.stop()
    const byId = new Map(run.report.cells.map((cell) => [cell.id, cell]))
    expect(byId.get('base/sees-base')?.status).toBe('passed')
    const wrong = byId.get('base/wrong')
    expect(wrong?.status).toBe('failed')
    expect(wrong?.failure).toBe(
      'attribute mail: expected alice@example.com, observed nobody@example.com',
    )
    expect(wrong?.observations.map((o) => o.what)).toEqual(['attribute mail'])
    expect(byId.get('broken/post')?.failure).toMatch(/^Broken peer did not start: exited/)
    expect(byId.get('broken/post')?.logs[0]?.text).toContain('AH00526')
    expect(byId.get('dependent/post')?.failure).toMatch(/^Broken peer did not start/)
    expect(byId.get('base/slow')?.failure).toMatch(/took longer than 0.2 s/)
    expect(run.report.summary).toEqual({ passed: 1, failed: 4, total: 5 })
    expect(run.report.peers.map((peer) => [peer.id, peer.started])).toEqual([
      ['base', true],
      ['broken', false],
      ['dependent', false],
    ])
    expect(lines.some((line) => line.includes('✗ base/wrong'))).toBe(true)
  })

  it('gives a cell its own time limit, and keeps what it attached in its result', async () => {
    const patient: CellDefinition = {
      flow: 'patient',
      title: 'takes longer than the lab allows, within its own limit',
      peers: [base],
      timeoutMs: 5_000,
      async run({ attach }) {
        await new Promise((done) => setTimeout(done, 400))
        attach('sheet', { verdict: 'refused' })
      },
    }
    const run = await runLab(
      { peers: [], cells: [patient, cells[0] as CellDefinition] },
      options(),
      () => {},
    )
    await run.stop()
    const [first, second] = run.report.cells
    expect(first?.status).toBe('passed')
    expect(first?.attachments).toEqual({ sheet: { verdict: 'refused' } })
    expect(second?.attachments).toBeUndefined()
  })
})
