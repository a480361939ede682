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

/**
 * Once serve answers: V8's allocation-site pretenuring off. V8 watches each allocation site and,
 * once most of its objects survive a scavenge, allocates that site's objects in the old
 * generation from then on. Under sign-in load the sites of a request's transient objects (body
 * text, the parsed Response's nodes, canonical strings) pass that test at some scavenge and stay
 * tenured, so their garbage fills the old generation and costs full collections. Off, serve's
 * CPU per sign-in under figure 7's load fell 4.65/5.04/5.09 → 4.41/4.65/4.61 ms (three pairs in
 * turns, two threads, `sign-in-cost.ts`, load ≈ 2). Not before: while serve starts, the sites
 * that pretenuring tenures are the long-lived ones (modules, tables), and switched off from the
 * first line it cost start-up ≈ 10–25 ms of extra scavenging (figure 8, two pairs). Sites tenured
 * by then stay so; no decision is made after. The setting is process-wide (both threads).
 */
export function keepRequestObjectsYoung(): void {
  setFlagsFromString('--no-allocation-site-pretenuring')
}
