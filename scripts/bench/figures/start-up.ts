import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { quantile } from '../measure.ts'
import { checkoutBin, peerBin, stagePackage } from '../staged-package.ts'

/** Pairs of runs (ssoproof, then the peer) in full mode; each pair yields one ratio. */
const fullPairs = 7

/**
 * Figure 8: how long a person waits for the command. `ssoproof --help` until it exits, and
 * `ssoproof serve` from launch until the IdP metadata first answers 200 (a fresh data folder, so
 * its two RSA keys are generated), each beside oauth2-mock-server doing the same (`--help`; its
 * launch until the discovery document answers 200, with the RSA key it generates) in turns
 * within the same run. Full mode measures the package as installed (dist/, compiled, with the
 * bin npm links); smoke mode the checkout's bin, only to keep this code working.
 */
export async function startUpFigures(ctx: BenchContext): Promise<Figure[]> {
  const full = ctx.budget.mode === 'full'
  const bin = full ? await stagePackage(ctx.scratchDir) : checkoutBin
  const pairs = full ? fullPairs : 1
  const help = { ssoproof: [] as number[], peer: [] as number[] }
  const serve = { ssoproof: [] as number[], peer: [] as number[], warm: [] as number[] }
  for (let pair = 0; pair < pairs; pair++) {
    help.ssoproof.push(await untilExit([bin, '--help']))
    help.peer.push(await untilExit([peerBin, '--help']))
    const data = mkdtempSync(join(ctx.scratchDir, 'start-up-'))
    const serveArgs = async () => {
      const [idpPort, spPort] = [await freePort(), await freePort()]
      const args = [bin, 'serve', '--idp-port', `${idpPort}`, '--sp-port', `${spPort}`]
      return { args: [...args, '--data', data], url: `http://127.0.0.1:${idpPort}/saml/metadata` }
    }
    const cold = await serveArgs()
    // Stopped only once the SP's key is written too, so the next start finds both keys kept.
    const spKey = join(data, 'sp-signing.key.pem')
    serve.ssoproof.push(await untilAnswered(cold.args, cold.url, () => existsSync(spKey)))
    const port = await freePort()
    const discovery = `http://127.0.0.1:${port}/.well-known/openid-configuration`
    serve.peer.push(await untilAnswered([peerBin, '-a', '127.0.0.1', '-p', `${port}`], discovery))
    const warm = await serveArgs()
    serve.warm.push(await untilAnswered(warm.args, warm.url))
  }
  const where = full ? 'the installed package (dist/)' : 'the checkout through tsx (smoke)'
  return [
    figure(
      {
        id: 'help-start-up',
        item: 8,
        title: 'ssoproof --help, launch until exit',
        value: quantile(help.ssoproof, 0.5),
        unit: 'ms',
        higherIsBetter: false,
        comparison: {
          kind: 'peer',
          name: 'oauth2-mock-server --help',
          value: quantile(help.peer, 0.5),
          unit: 'ms',
        },
        note: `${pairs} runs each, in turns; median; ${where}`,
        details: {
          runs: pairs,
          ...spread('ssoproof', help.ssoproof),
          ...spread('peer', help.peer),
        },
      },
      { text: '≤ 1.5×', met: (ratio) => ratio !== undefined && ratio <= 1.5 },
    ),
    figure(
      {
        id: 'serve-first-200',
        item: 8,
        title: 'ssoproof serve, launch until the IdP metadata answers 200',
        value: quantile(serve.ssoproof, 0.5),
        unit: 'ms',
        higherIsBetter: false,
        comparison: {
          kind: 'peer',
          name: 'oauth2-mock-server launch until discovery answers 200',
          value: quantile(serve.peer, 0.5),
          unit: 'ms',
        },
        note: `fresh data folder (2 RSA keys generated; the peer generates 1); with the keys kept: ${Math.round(quantile(serve.warm, 0.5))} ms; ${where}`,
        details: {
          runs: pairs,
          ...spread('ssoproof', serve.ssoproof),
          ...spread('peer', serve.peer),
          ...spread('keysKept', serve.warm),
        },
      },
      { text: '≤ 1×', met: (ratio) => ratio !== undefined && ratio <= 1 },
    ),
  ]
}

function spread(name: string, values: number[]): Record<string, number> {
  return { [`${name}MinMs`]: Math.min(...values), [`${name}MaxMs`]: Math.max(...values) }
}

/** Milliseconds from spawning `node …args` until it exits; throws unless it exits 0. */
async function untilExit(args: string[]): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { stdio: 'ignore' })
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`)
  return performance.now() - started
}

/**
 * Milliseconds from spawning `node …args` until `url` first answers 200, asking every 5 ms as a
 * script waiting for a server would; then the process is stopped (once `settled()`, when given).
 */
async function untilAnswered(
  args: string[],
  url: string,
  settled: () => boolean = () => true,
): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000)
  })
  try {
    while (performance.now() - started < 120_000) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${stderr}`)
      if ((await status(url)) === 200) {
        const answered = performance.now() - started
        while (!settled() && child.exitCode === null && performance.now() - started < 120_000) {
          await sleep(20)
        }
        return answered
      }
      await sleep(5)
    }
    throw new Error(`${url} did not answer 200 within 120 s: ${stderr}`)
  } finally {
    await stop(child)
  }
}

async function status(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
    await response.arrayBuffer()
    return response.status
  } catch {
    return undefined
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGINT')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** A loopback port free right now (the OS picks it; the server that found it is closed). */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  return typeof address === 'object' && address ? address.port : 0
}
