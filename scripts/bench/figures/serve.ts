import { mkdtempSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { type BenchChild, startChild } from '../child.ts'
import { LoopbackConnections, signInOverLoopback } from '../loopback-visitor.ts'
import { quantile } from '../measure.ts'
import type { MemoryUsage, ServeChildMessage } from '../serve-child-messages.ts'
import { stagePackage } from '../staged-package.ts'
import { runVisitors } from '../visitors.ts'
import type { CryptoLimits } from './crypto-limits.ts'

const serveChild = fileURLToPath(new URL('../serve-child.mjs', import.meta.url))
const peerChild = fileURLToPath(new URL('../peer-oauth2-mock-server.mjs', import.meta.url))

/** The stated bound on `serve`'s resident memory after the sign-ins of figure 6. */
export const rssBoundMb = 256

interface Plan {
  visitors: number
  loadMs: number
  /**
   * Sign-ins by the same visitors before the measured load, not counted in figure 7: V8 compiles
   * the hot paths of both threads as they run, and 50 sign-ins (one per visitor) left most of that
   * inside the 10 s window (p99 +25–35%, CPU per sign-in +15–20% against a warm server, main
   * ec7beb2). Figures 6 and 8 measure a cold server; figure 7 a running one.
   */
  warmUpSignIns: number
  /** Sign-ins between two memory readings. */
  chunk: number
}

const plans: Record<'full' | 'smoke', Plan> = {
  full: { visitors: 50, loadMs: 10_000, warmUpSignIns: 2_000, chunk: 1000 },
  smoke: { visitors: 2, loadMs: 0, warmUpSignIns: 2, chunk: 2 },
}

/**
 * Figures 6 and 7 against one `ssoproof serve` (startServe, in a process of its own, SAML over
 * HTTP-POST, on loopback ports): its cold start until both URLs answer, beside
 * oauth2-mock-server's until its discovery document and JWKS answer; then 50 concurrent visitors
 * signing in over loopback HTTP for a bounded time (figure 7); then more of the same until
 * 100,000 sign-ins in all (or its time box), and its memory then (figure 6). The visitors run in this process, the
 * server in its own, so each has a core.
 */
export async function serveFigures(ctx: BenchContext, limits: CryptoLimits): Promise<Figure[]> {
  const plan = plans[ctx.budget.mode]
  const peer = await peerColdStart()
  const dataDir = mkdtempSync(join(ctx.scratchDir, 'serve-'))
  // Full mode runs `serve` as the package installs it (compiled dist/, plain Node); smoke mode
  // the checkout through tsx, whose loader thread alone holds some 40 MB.
  const compiled =
    ctx.budget.mode === 'full'
      ? join(dirname(await stagePackage(ctx.scratchDir)), '..', 'dist', 'cli', 'serve.js')
      : undefined
  const t0 = performance.now()
  const child = compiled
    ? startChild<ServeChildMessage>(serveChild, [dataDir, compiled], [])
    : startChild<ServeChildMessage>(serveChild, [dataDir], ['--import', 'tsx'])
  // The visitors' connections, kept alive and shared as a browser's are (loopback-visitor.ts).
  const connections = new LoopbackConnections()
  try {
    const ready = await child.next('ready')
    await Promise.all([answers(`${ready.idpUrl}/saml/metadata`), answers(`${ready.spUrl}/`)])
    const coldStartMs = performance.now() - t0
    const signIn = () => signInOverLoopback(ready.spUrl, { connections })
    const warmUp = await runVisitors(
      plan.visitors,
      signIn,
      (started) => started < plan.warmUpSignIns,
    )
    const before = await usage(child)

    ctx.progress(`  loopback load: ${plan.visitors} visitors for ${plan.loadMs / 1000} s`)
    const deadline = performance.now() + plan.loadMs
    const visitorCpu0 = process.cpuUsage()
    const load = await runVisitors(
      plan.visitors,
      signIn,
      (started) => performance.now() < deadline || started < plan.visitors,
    )
    const visitorCpu = process.cpuUsage(visitorCpu0)
    const afterLoad = await usage(child)
    const memory = await signInUntil(ctx, plan, signIn, child, {
      done: plan.warmUpSignIns + load.signIns + load.errors,
      signIns: warmUp.signIns + load.signIns,
    })
    const after = memory.samples.at(-1) ?? { signIns: 0, ...afterLoad }
    const signIns = warmUp.signIns + load.signIns + memory.signIns
    const errors = warmUp.errors + load.errors + memory.errors
    const loadPerSecond = load.signIns / (load.durationMs / 1000)
    const warmUpPerSecond = warmUp.signIns / (warmUp.durationMs / 1000)
    const serverCores = (afterLoad.cpuMicros - before.cpuMicros) / 1000 / load.durationMs
    // What a sign-in costs each side in CPU: on a busy machine the figure is "starved", these are
    // still what the code spends (the bench process runs only the visitors meanwhile).
    const perSignIn = Math.max(1, load.signIns + load.errors)
    const serverCpuMsPerSignIn = (afterLoad.cpuMicros - before.cpuMicros) / 1000 / perSignIn
    const visitorCpuMsPerSignIn = (visitorCpu.user + visitorCpu.system) / 1000 / perSignIn
    // One SAML sign-in costs the server two signatures (Assertion, Response) and two verifications.
    const cryptoLimit = 1 / (2 / limits.signPerSecond + 2 / limits.verifyPerSecond)
    const p99Ms = quantile(load.latenciesMs, 0.99)
    // Heap in use, not collected first: garbage since the last GC included, so not what a
    // sign-in retains (a heap snapshot or a forced GC says that; the figure is RSS as it is).
    const heapGrowthKbPerSignIn =
      (after.heapUsedBytes - before.heapUsedBytes) / 1024 / Math.max(1, signIns - warmUp.signIns)
    const where = compiled ? 'the installed package (dist/)' : 'the checkout through tsx (smoke)'
    const reached = signIns >= ctx.signIns
    const rssMb = mb(after.rssBytes)
    // Issue 22: a server that got less than 0.9 of a core measured the machine, not itself.
    const starved = serverCores < 0.9
    const loadGoalMet =
      !starved && p99Ms <= 150 && load.signIns / (load.durationMs / 1000) >= 0.25 * cryptoLimit
    return [
      figure({
        id: 'serve-cold-start',
        item: 6,
        title: 'ssoproof serve cold start until both URLs answer',
        value: coldStartMs,
        unit: 'ms',
        higherIsBetter: false,
        comparison: {
          kind: 'peer',
          name: 'oauth2-mock-server until discovery + JWKS answer',
          value: peer.coldStartMs,
          unit: 'ms',
        },
        note: `new process, fresh data folder (generates 2 RSA keys); startServe itself ${Math.round(ready.startupMs)} ms; ${where}`,
        details: { coldStartMs, startServeMs: ready.startupMs, peerColdStartMs: peer.coldStartMs },
      }),
      figure(
        {
          id: 'serve-memory',
          item: 6,
          title: `serve resident memory after ${ctx.signIns} sign-ins (loopback HTTP)`,
          value: rssMb,
          unit: 'MB',
          higherIsBetter: false,
          comparison: { kind: 'bound', name: 'stated bound', value: rssBoundMb, unit: 'MB' },
          ...(reached ? {} : { status: 'not-reached' as const }),
          note: `${reached ? '' : `time box hit at ${signIns} of ${ctx.signIns} sign-ins (--memory-seconds 0 runs them all); `}RSS ${Math.round(mb(before.rssBytes))} MB after warm-up; heap in use ${Math.round(mb(before.heapUsedBytes))} → ${Math.round(mb(after.heapUsedBytes))} MB (uncollected garbage included); at the end ${memorySplit(after)}; ${errors} errors; ${where}`,
          details: {
            target: ctx.signIns,
            signIns,
            errors,
            reached,
            rssBeforeMb: mb(before.rssBytes),
            rssAfterLoadMb: mb(afterLoad.rssBytes),
            rssAfterMb: mb(after.rssBytes),
            heapBeforeMb: mb(before.heapUsedBytes),
            heapAfterMb: mb(after.heapUsedBytes),
            heapTotalAfterMb: mb(after.heapTotalBytes),
            externalAfterMb: mb(after.externalBytes),
            arrayBuffersAfterMb: mb(after.arrayBuffersBytes),
            nativeAfterMb: mb(after.rssBytes - after.heapTotalBytes),
            heapGrowthKbPerSignIn,
            memoryPhaseMs: memory.durationMs,
            curve: memory.samples
              .map(
                (sample) =>
                  `${sample.signIns}:${Math.round(mb(sample.rssBytes))}/${Math.round(mb(sample.heapUsedBytes))}`,
              )
              .join(' '),
          },
        },
        {
          text: `RSS ≤ ${rssBoundMb} MB measured at ${ctx.signIns} sign-ins, 0 errors`,
          met: (_ratio, value) => reached && errors === 0 && value <= rssBoundMb,
        },
      ),
      figure(
        {
          id: 'loopback-load',
          item: 7,
          title: `Loopback load: ${plan.visitors} concurrent visitors signing in (SAML POST)`,
          value: loadPerSecond,
          unit: 'sign-ins/s',
          higherIsBetter: true,
          comparison: {
            kind: 'limit',
            name: '2 RSA signs + 2 verifies, one core',
            value: cryptoLimit,
            unit: 'sign-ins/s',
          },
          ...(starved ? { status: 'starved' as const } : {}),
          note: `${starved ? 'MACHINE STARVED: ' : ''}after ${warmUp.signIns} warm-up sign-ins (${warmUpPerSecond.toFixed(0)}/s, not counted): ${load.signIns} sign-ins in ${(load.durationMs / 1000).toFixed(1)} s, p50 ${quantile(load.latenciesMs, 0.5).toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms, ${load.errors} errors; server used ${serverCores.toFixed(2)} cores, ${serverCpuMsPerSignIn.toFixed(1)} ms of CPU per sign-in (visitors ${visitorCpuMsPerSignIn.toFixed(1)} ms); ${where}`,
          details: {
            visitors: plan.visitors,
            warmUpSignIns: warmUp.signIns,
            warmUpPerSecond,
            signIns: load.signIns,
            errors: load.errors,
            durationMs: load.durationMs,
            p50Ms: quantile(load.latenciesMs, 0.5),
            p99Ms,
            serverCores,
            serverCpuMsPerSignIn,
            visitorCpuMsPerSignIn,
            ...(load.firstError ? { firstError: load.firstError } : {}),
          },
        },
        {
          text: 'p99 ≤ 150 ms, ratio ≥ 0.25, server ≥ 0.9 cores, 0 errors',
          met: () => loadGoalMet && load.errors === 0,
        },
      ),
    ]
  } finally {
    connections.destroy()
    await child.stop()
  }
}

interface MemorySample extends MemoryUsage {
  signIns: number
}

const mb = (bytes: number) => bytes / 1024 / 1024

/**
 * Which part of RSS a reading holds, MB: V8's heap as reserved and in use, what JavaScript holds
 * outside it (external, of which ArrayBuffers), and the native rest (RSS − heap total: Node,
 * SQLite's page caches, malloc) — so a reading that grows says which part grew.
 */
function memorySplit(usage: MemoryUsage): string {
  const round = (bytes: number) => Math.round(mb(bytes))
  return `heap ${round(usage.heapUsedBytes)} of ${round(usage.heapTotalBytes)} MB, external ${round(usage.externalBytes)} MB (arrayBuffers ${round(usage.arrayBuffersBytes)}), native ${round(usage.rssBytes - usage.heapTotalBytes)} MB`
}

/**
 * Keeps the visitors signing in until `ctx.signIns` sign-ins in all or the memory time box,
 * reading the server's memory every chunk of sign-ins. When the time box ends first, the figure
 * says so ("not reached"): nothing is projected.
 */
async function signInUntil(
  ctx: BenchContext,
  plan: Plan,
  signIn: () => Promise<unknown>,
  child: BenchChild<ServeChildMessage>,
  start: { done: number; signIns: number },
) {
  const began = performance.now()
  const deadline =
    ctx.memorySeconds > 0 ? began + ctx.memorySeconds * 1000 : Number.POSITIVE_INFINITY
  const samples: MemorySample[] = []
  let done = start.done
  let signIns = 0
  let errors = 0
  ctx.progress(
    `  memory: sign-ins up to ${ctx.signIns} in all${ctx.memorySeconds > 0 ? `, at most ${ctx.memorySeconds} s` : ''}`,
  )
  while (done < ctx.signIns && performance.now() < deadline) {
    const chunk = Math.min(plan.chunk, ctx.signIns - done)
    const result = await runVisitors(
      plan.visitors,
      signIn,
      (started) => started < chunk && performance.now() < deadline,
    )
    done += result.signIns + result.errors
    signIns += result.signIns
    errors += result.errors
    const sample = { signIns: start.signIns + signIns, ...(await usage(child)) }
    samples.push(sample)
    // A line every 5,000 sign-ins: the full 100,000 take half an hour or more.
    if (samples.length % 5 === 0) {
      const perSecond = signIns / ((performance.now() - began) / 1000)
      ctx.progress(
        `  memory: ${sample.signIns} sign-ins, RSS ${Math.round(mb(sample.rssBytes))} MB (${memorySplit(sample)}), ${perSecond.toFixed(0)}/s, ${errors} errors`,
      )
    }
  }
  return { samples, signIns, errors, durationMs: performance.now() - began }
}

async function usage(child: BenchChild<ServeChildMessage>) {
  const answer = child.next('usage')
  child.send({ type: 'usage' })
  return answer
}

/** Throws unless `url` answers 200. */
async function answers(url: string): Promise<void> {
  const response = await fetch(url)
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
}

async function peerColdStart(): Promise<{ coldStartMs: number }> {
  const t0 = performance.now()
  const child = startChild<{ type: 'ready'; url: string }>(peerChild, [], [])
  try {
    const { url } = await child.next('ready')
    await Promise.all([answers(`${url}/.well-known/openid-configuration`), answers(`${url}/jwks`)])
    return { coldStartMs: performance.now() - t0 }
  } finally {
    await child.stop()
  }
}
