import type { WorldKeys } from '../../harness/engine/world.ts'
import type { Budget } from './measure.ts'

/** What every figure gets: its time budget, the run's keys, a scratch folder, a progress line. */
export interface BenchContext {
  budget: Budget
  /** RSA-2048 credentials for the IdP and the SP, generated for the run (valid from now). */
  keys: WorldKeys
  /** A fresh folder for data directories; the caller removes it. */
  scratchDir: string
  progress: (line: string) => void
  /** Sign-ins against `serve` before its memory is read (figure 6). */
  signIns: number
  /** Time box of those sign-ins after the load phase, s; 0: none. */
  memorySeconds: number
}
