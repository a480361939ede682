import { mkdirSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'

/**
 * `npm run bench -- --profile DIR`: the bench process's CPU profile while one figure runs,
 * written to DIR/<figure>.cpuprofile (open it in Chrome DevTools, or summarise it with
 * profile-summary.ts). Children started through child.ts (serve, the peers) write their own
 * there too, through BENCH_CPU_PROF_DIR.
 */
export async function profiled<T>(dir: string, name: string, run: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true })
  process.env.BENCH_CPU_PROF_DIR = dir
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await run()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}
