import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createCredential } from '../../core/keys/index.ts'
import type { BenchContext } from './bench-context.ts'
import {
  type BenchReport,
  benchReportSchema,
  benchSchemaVersion,
  type Figure,
} from './bench-report.ts'
import { catalogue } from './figures/catalogue.ts'
import { type CryptoLimits, cryptoLimits } from './figures/crypto-limits.ts'
import { jwtFigures } from './figures/jwt.ts'
import { oidcFlow } from './figures/oidc-flow.ts'
import { samlIssuance } from './figures/saml-issuance.ts'
import { samlValidation } from './figures/saml-validation.ts'
import { serveFigures } from './figures/serve.ts'
import { startUpFigures } from './figures/start-up.ts'
import { storeCost } from './figures/store-cost.ts'
import { type Budget, fullBudget } from './measure.ts'
import { profiled } from './profile.ts'

export interface BenchOptions {
  budget?: Budget
  /** Only the figures with these ids (the crypto limits always run). */
  only?: string[]
  progress?: (line: string) => void
  /** Sign-ins against `serve` before its memory is read (default 100,000; smoke 6). */
  signIns?: number
  /** Time box of the memory phase, s (default 60; 0: until all sign-ins are done). */
  memorySeconds?: number
  /** Write a CPU profile per figure into this folder. */
  profileDir?: string
}

/** The figures in the order they run; each gets the crypto limits measured first. */
const sections: {
  id: string
  run: (ctx: BenchContext, limits: CryptoLimits) => Promise<Figure[]>
}[] = [
  { id: 'saml-issuance', run: samlIssuance },
  { id: 'saml-validation', run: samlValidation },
  { id: 'jwt', run: jwtFigures },
  { id: 'oidc', run: oidcFlow },
  { id: 'store-cost', run: storeCost },
  { id: 'catalogue', run: catalogue },
  { id: 'serve', run: serveFigures },
  { id: 'start-up', run: startUpFigures },
]

export const sectionIds = sections.map((section) => section.id)

/** Measures every figure (or `only` those) and returns bench.json's content. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const budget = options.budget ?? fullBudget
  const progress = options.progress ?? (() => {})
  const scratchDir = mkdtempSync(join(tmpdir(), 'ssoproof-bench-'))
  const loadAverage = loadavg()[0] ?? 0
  try {
    const [idp, sp] = await Promise.all([
      createCredential({ commonName: 'ssoproof bench IdP' }),
      createCredential({ commonName: 'ssoproof bench SP' }),
    ])
    const signIns = options.signIns ?? (budget.mode === 'full' ? 100_000 : 6)
    const ctx: BenchContext = {
      budget,
      keys: { idp, sp },
      scratchDir,
      progress,
      signIns,
      memorySeconds: options.memorySeconds ?? (budget.mode === 'full' ? 60 : 0),
    }
    progress('crypto limits')
    const { limits, figures } = await cryptoLimits(ctx)
    for (const section of sections) {
      if (options.only && !options.only.includes(section.id)) continue
      progress(section.id)
      const run = () => section.run(ctx, limits)
      const { profileDir } = options
      figures.push(...(await (profileDir ? profiled(profileDir, section.id, run) : run())))
    }
    return benchReportSchema.parse({
      schemaVersion: benchSchemaVersion,
      tool: { name: 'ssoproof', version: packageVersion() },
      mode: budget.mode,
      startedAt,
      durationMs: performance.now() - started,
      machine: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
        loadAverage,
      },
      figures,
    })
  } finally {
    rmSync(scratchDir, { recursive: true, force: true })
  }
}

/** Writes the report as pretty JSON, creating the folder. */
export function writeBenchJson(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`)
}

function packageVersion(): string {
  const path = new URL('../../package.json', import.meta.url)
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
}

export const defaultOutFile = fileURLToPath(
  new URL('../../reports/out/bench.json', import.meta.url),
)
