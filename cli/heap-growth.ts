import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what the last full collection kept before it
 * collects again, percent (V8's `--heap-growing-percent`; by default it picks 10–300% itself).
 */
export const heapGrowingPercent = 50

/**
 * Bounds the heap of a long-running server (`serve`). Under sign-in load a request's objects
 * often outlive two scavenges and reach the old generation (≈28 KB per SAML sign-in); from that
 * promotion rate V8 judges the old generation cheap to grow and lets it reach 3–4× the ≈35 MB a
 * full collection keeps — most of the 323 MB RSS issue 22 measured after 100,000 sign-ins.
 * Growing by half at most costs a full collection of ≈35 MB every few seconds at full load.
 * The setting is process-wide and read by V8 at each collection, so it applies from here on.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`)
}
