import { join } from 'node:path'
import { createManualClock } from '../../../core/clock/index.ts'
import { createSeededRandom } from '../../../core/random/index.ts'
import { nameIdFormats } from '../../../core/saml/constants.ts'
import { createIdpSessionStore } from '../../../idp/session/idp-sessions.ts'
import { openIdpDatabase } from '../../../idp/store/database.ts'
import { openSpDatabase } from '../../../sp/store/database.ts'
import { createStoredExpiringMap } from '../../../sp/store/stored-expiring-map.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates } from '../measure.ts'

const hour = 3_600_000

/** Each job 5 rounds of 1 s (5 s in all, or 200 runs at least), as the floor asks. */
const roundMs = 1_000

/**
 * Figure 9: what a sign-in costs the stores when many sessions are live. The SP: one write of its
 * session store (`createStoredExpiringMap`, purges included) on a database file; the IdP: what a
 * sign-in does to its sessions (create, record the SP, read back by cookie) on its database file.
 * Each at 1,000 and at 50,000 live sessions, in alternating rounds; the goal is a flat cost:
 * at 50,000 no more than 1.2× the cost at 1,000 (rate ratio ≥ 1/1.2).
 */
export async function storeCost(ctx: BenchContext): Promise<Figure[]> {
  const clock = createManualClock('2030-01-01T12:00:00Z')
  // The smoke run only proves the code: a few sessions, not 50,000.
  const [small, large] = ctx.budget.mode === 'full' ? [1_000, 50_000] : [10, 100]
  const budget = ctx.budget.mode === 'full' ? { ...ctx.budget, taskMs: roundMs } : ctx.budget
  const spWrite = (live: number) => {
    const db = openSpDatabase(join(ctx.scratchDir, `store-cost-sp-${live}.sqlite`))
    const sessions = createStoredExpiringMap<{ subject: string }>(db, 'sessions', clock)
    db.transaction(() => {
      for (let i = 0; i < live; i++)
        sessions.set(`live-${i}`, { subject: `u${i}` }, clock.now() + hour)
    })()
    let next = 0
    return {
      db,
      run: () => sessions.set(`new-${next++}`, { subject: 'alice' }, clock.now() + hour),
    }
  }
  const idpSignIn = (live: number) => {
    const db = openIdpDatabase(join(ctx.scratchDir, `store-cost-idp-${live}.sqlite`))
    const store = createIdpSessionStore(db, clock, createSeededRandom(`store-${live}`), 8 * hour)
    const signIn = (userId: string) => {
      const { token, session } = store.create(userId)
      store.addParticipant(session.sessionIndex, {
        spEntityId: 'https://sp.example.com/saml/metadata',
        nameId: userId,
        nameIdFormat: nameIdFormats.unspecified,
        sessionIndex: session.sessionIndex,
      })
      if (!store.get(token)) throw new Error('the session was not kept')
    }
    db.transaction(() => {
      for (let i = 0; i < live; i++) signIn(`user-${i}`)
    })()
    let next = 0
    return { db, run: () => signIn(`visitor-${next++}`) }
  }
  const figures: Figure[] = []
  for (const [id, title, build] of [
    ['store-cost-sp', 'SP session write', spWrite],
    ['store-cost-idp', 'IdP sign-in session writes', idpSignIn],
  ] as const) {
    ctx.progress(`${id}: filling ${small} and ${large} live sessions`)
    const [few, many] = [build(small), build(large)]
    try {
      const rates = await measureRates({ at1k: few.run, at50k: many.run }, budget)
      figures.push(
        figure(
          {
            id,
            item: 9,
            title: `${title} at ${large.toLocaleString('en')} live sessions`,
            value: rates.at50k.perSecond,
            unit: 'ops/s',
            higherIsBetter: true,
            comparison: {
              kind: 'baseline',
              name: `the same at ${small.toLocaleString('en')} live`,
              value: rates.at1k.perSecond,
              unit: 'ops/s',
            },
            note: `cost at 50k ${(rates.at1k.perSecond / rates.at50k.perSecond).toFixed(2)}× at 1k; mean ${rates.at50k.meanMs.toFixed(3)} vs ${rates.at1k.meanMs.toFixed(3)} ms`,
            details: {
              meanMs: rates.at50k.meanMs,
              runs: rates.at50k.runs,
              baselineMeanMs: rates.at1k.meanMs,
              baselineRuns: rates.at1k.runs,
            },
          },
          // Cost at 50k ≤ 1.2× cost at 1k ⇔ rate at 50k ≥ rate at 1k ÷ 1.2.
          { text: 'cost at 50k ≤ 1.2× at 1k', met: (ratio) => (ratio ?? 0) >= 1 / 1.2 },
        ),
      )
    } finally {
      few.db.close()
      many.db.close()
    }
  }
  return figures
}
