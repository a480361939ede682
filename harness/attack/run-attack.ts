import { performance } from 'node:perf_hooks'
import { systemClock } from '../../core/clock/index.ts'
import type { FaultInput } from '../../idp/faults/schema.ts'
import type { ScenarioResult, StepResult } from '../../reports/model.ts'
import { TraceRecorder } from '../engine/trace.ts'
import type { AttackIdp } from './attack-idp.ts'
import { AttackBrowser, type Delivery, type Visit } from './browser.ts'
import type { HostPolicy } from './hosts.ts'
import { forgesIdentity, type IdentitySeen, identitySeen } from './identity.ts'
import { answeredRequest } from './in-response-to.ts'
import { signedSubject } from './look-alike.ts'
import { hostOf, type OffSite, offSiteRedirect } from './off-site.ts'
import { type AttackCase, aboutReturnPath, type Expectation, type Verdict } from './plan.ts'
import { type ReplayKit, writeReplayKit } from './replay-kit.ts'
import { type Severity, severityOf } from './severity.ts'
import { evaluateSignal, type SignalResult, type SuccessSignal } from './signal.ts'
import { type AttackTarget, garbageDelivery, protocolOf, startUrlOf } from './target.ts'

export interface AttackOptions {
  attackIdp: AttackIdp
  target: AttackTarget
  cases: AttackCase[]
  signal: SuccessSignal
  hosts: HostPolicy
  timeoutMs: number
  /** The IdP user every sign-in is made as. */
  user: string
  /** Where the replay kits of accepted forgeries go (`<outDir>/forged/`); none: not written. */
  outDir?: string | undefined
  fetch?: typeof fetch
  onResult?(result: ScenarioResult): void
}

export interface AttackOutcome {
  results: ScenarioResult[]
  /** Why the run stopped before the faults (the baseline or the control failed). */
  stopped?: string
  /** Ids of the cases the SP accepted, baselines and counterparts included. */
  accepted: string[]
  /** Ids of the forged cases the SP accepted (or, for a return path, followed off-site): its weaknesses. */
  weaknesses: string[]
}

/** The id of the valid unsolicited Response sent in SP-initiated SAML runs. */
export const unsolicitedProbeId = 'unsolicited-valid-response'

/** A case as it runs: the catalogue's, or one of the two checks that run first. */
interface Probe {
  id: string
  title: string
  file: string
  faults: FaultInput[]
  expect: Expectation
  expectText: string
  tags: string[]
  severity: Severity
  catalogueItem?: number | undefined
  /** Start where the IdP sends an unsolicited (IdP-initiated) message, even in SP-initiated runs. */
  unsolicited?: boolean
  /** Deliver this directly instead of signing in through the IdP (the control). */
  direct?: { url: string; form?: Record<string, string> }
}

/**
 * Runs the attack: a valid sign-in first (the baseline: the SP must accept it, or nothing else
 * means anything), then a message no SP may accept (the control: the success signal must tell
 * it apart), then every case of the plan, each with its faults set at the IdP, the message made
 * by the IdP and delivered by a fresh browser, and the SP's answer read by the success signal.
 */
export async function runAttack(options: AttackOptions): Promise<AttackOutcome> {
  const outcome: AttackOutcome = { results: [], accepted: [], weaknesses: [] }
  const record = (result: ScenarioResult, verdict: boolean) => {
    outcome.results.push(result)
    if (verdict) outcome.accepted.push(result.id)
    options.onResult?.(result)
  }
  const baseline = await runProbe(options, {
    id: 'baseline-valid-sign-in',
    title: 'A plain valid sign-in is accepted (baseline)',
    file: 'baseline',
    faults: [],
    expect: 'accepted',
    expectText: 'signed in',
    tags: ['attack', 'baseline'],
    severity: 'info',
  })
  record(baseline.result, baseline.accepted)
  if (!baseline.accepted) {
    outcome.stopped = `the SP did not accept a valid sign-in (${baseline.why}); nothing else was sent. Check that the SP trusts this IdP (metadata, certificate, issuer) and that the success signal fits the SP (--success-status, --success-redirect, --success-cookie, --success-text).`
    return outcome
  }
  const control = await runProbe(options, {
    id: 'control-garbage-message',
    title: 'A message that is no sign-in at all is refused (checks the success signal)',
    file: 'control',
    faults: [],
    expect: 'refused',
    expectText: 'refused',
    tags: ['attack', 'control'],
    severity: 'info',
    direct: garbageDelivery(options.target),
  })
  record(control.result, control.accepted)
  if (control.accepted) {
    outcome.stopped = `the success signal also matched a garbage message (${control.why}), so it cannot tell acceptance from refusal; give a sharper one (--success-redirect, --success-cookie, --success-text).`
    return outcome
  }
  const { target } = options
  if (target.protocol === 'saml' && target.startUrl !== undefined) {
    // saml-profiles §4.1.5: an SP may accept unsolicited Responses, but one that starts its
    // sign-ins itself has no need to, and accepting them opens it to login CSRF.
    const ran = await runProbe(options, {
      id: unsolicitedProbeId,
      title:
        'A valid unsolicited (IdP-initiated) Response, at an SP whose sign-ins start at the SP',
      file: 'unsolicited',
      faults: [],
      expect: 'refused',
      expectText: 'an SP that starts its own sign-ins needs no unsolicited Response',
      tags: ['attack', 'unsolicited'],
      severity: 'hardening',
      unsolicited: true,
    })
    record(ran.result, ran.accepted)
    if (ran.accepted) outcome.weaknesses.push(unsolicitedProbeId)
  }
  for (const attack of options.cases) {
    for (const probe of probesOf(options, attack)) {
      const ran = await runProbe(options, probe)
      record(ran.result, ran.accepted)
      const followed = ran.accepted || ran.offSite !== undefined
      if (followed && attack.expect !== 'accepted' && ran.result.status === 'failed') {
        outcome.weaknesses.push(probe.id)
      }
    }
  }
  return outcome
}

/**
 * The probes of one case: the case itself, and for a hostile return path at an SP whose
 * sign-ins start at the SP, the same sent unsolicited too (`<id>-unsolicited`): RelayState is
 * where an IdP-initiated sign-in says to go, the classic open redirect.
 */
function probesOf(options: AttackOptions, attack: AttackCase): Probe[] {
  const item = attack.catalogueItem
  const probe: Probe = {
    id: attack.id,
    title: attack.title,
    file: attack.file,
    faults: attack.faults,
    expect: attack.expect,
    expectText: `the reference SP: ${attack.referenceAnswer}`,
    tags: [
      'attack',
      {
        refused: 'forged',
        accepted: 'valid-counterpart',
        either: 'identity-unchecked',
        'on-site': 'return-path',
      }[attack.expect],
      ...new Set(attack.faults.map((fault) => `fault-${fault.kind}`)),
      ...(item !== undefined ? [`catalogue-${item}`] : []),
    ],
    severity: severityOf(attack),
    catalogueItem: item,
  }
  const spInitiatedSaml = options.target.protocol === 'saml' && options.target.startUrl
  if (!spInitiatedSaml || !aboutReturnPath(attack.faults)) return [probe]
  return [
    probe,
    {
      ...probe,
      id: `${attack.id}-unsolicited`,
      title: `${attack.title} (unsolicited, IdP-initiated)`,
      tags: [...probe.tags, 'unsolicited'],
      unsolicited: true,
    },
  ]
}

async function runProbe(
  options: AttackOptions,
  probe: Probe,
): Promise<{ result: ScenarioResult; accepted: boolean; offSite?: OffSite; why: string }> {
  const started = performance.now()
  const { idp } = options.attackIdp
  const protocol = protocolOf(options.target)
  const setAt = performance.now()
  const faultStep = faultStepOf(probe)
  const visit = await send(options, probe)
  faultStep.durationMs = performance.now() - setAt
  const applied = options.attackIdp.takeApplied()
  const signal = evaluateSignal(options.signal, visit)
  const verdict: Verdict = signal.accepted ? 'accepted' : 'refused'
  const offSite = aboutReturnPath(probe.faults)
    ? offSiteRedirect(visit, ownHosts(options))
    : undefined
  const notExercised = probe.faults.length > 0 && applied === 0
  const profile = idp.users.get(options.user)
  const identity = signal.accepted
    ? identitySeen({
        faults: probe.faults,
        user: { id: options.user, email: profile?.email },
        page: `${visit.final?.url ?? ''}\n${visit.final?.text ?? ''}`,
        signed: signedSubject(visit.delivery),
      })
    : undefined
  const takeover = identity?.takeover === true && probe.expect !== 'accepted'
  const passed =
    !takeover &&
    (probe.expect === 'on-site' ? offSite === undefined : true) &&
    (probe.expect === 'either' ||
      probe.expect === 'on-site' ||
      verdict === probe.expect ||
      (notExercised && verdict === 'accepted'))
  const answer = answerText(visit, signal)
  const message = passed
    ? notExercised && verdict !== probe.expect
      ? 'not exercised: the IdP never applied the fault (the SP did not ask for what it shapes)'
      : probe.expect === 'either'
        ? verdict === 'accepted'
          ? `accepted: safe as long as the SP did not sign in as ${options.user} (${identity?.text})`
          : undefined
        : undefined
    : takeover
      ? `the SP accepted it as another identity: ${identity?.text}`
      : offSite
        ? `the SP sent the browser off its host to ${offSite.url} (${offSite.how}): an open redirect after sign-in (${probe.expectText})`
        : identity?.lookAlike
          ? `the SP accepted the look-alike identifier: ${identity.text}`
          : identity?.genuine && forgesIdentity(probe.faults)
            ? `the SP accepted the forged message but signed in the genuine user (${identity.text}): hardening`
            : probe.expect === 'refused'
              ? `the SP accepted it: a weakness (${probe.expectText})`
              : `the SP refused a valid message: too strict, or the signal does not fit (${answer})`
  const deliverStep: StepResult = {
    index: faultStep.index + 1,
    text: probe.direct
      ? `deliver straight to ${probe.direct.url}`
      : options.target.startUrl
        ? `start at the SP (${options.target.startUrl}), sign in as ${options.user}, deliver`
        : `IdP-initiated sign-in as ${options.user}, delivered to the SP`,
    kind: 'deliver',
    status: 'passed',
    durationMs: performance.now() - setAt,
    ...(visit.problem ? { message: visit.problem } : {}),
    trace: visit.trace,
  }
  const expectStep: StepResult = {
    index: deliverStep.index + 1,
    text:
      probe.expect === 'either'
        ? `expect the SP to refuse it or to sign in another identity (${probe.expectText})`
        : probe.expect === 'on-site'
          ? `expect the SP to sign in or refuse, never sending the browser off its host (${probe.expectText})`
          : `expect the SP to have ${probe.expect} it (${probe.expectText})`,
    kind: 'expect',
    status: passed ? 'passed' : 'failed',
    durationMs: 0,
    ...(message ? { message } : {}),
    expected: probe.expect,
    actual: `${offSite ? `redirected off the SP's host to ${offSite.url} (${offSite.how}), ` : ''}${verdict} — ${answer}${identity ? `; ${identity.text}` : ''}`,
    trace: [],
  }
  const answered = probe.faults.some(
    (fault) => fault.kind === 'saml-in-response-to' && fault.answer === 'another-request',
  )
    ? answeredRequest(idp, options.target, visit.delivery)
    : undefined
  const forgeryAccepted =
    !passed && (signal.accepted || offSite !== undefined) && probe.expect !== 'accepted'
  const replay =
    forgeryAccepted && options.outDir && visit.delivery
      ? await replayKit(options, options.outDir, probe, visit.delivery)
      : undefined
  const steps = [...(probe.faults.length > 0 ? [faultStep] : []), deliverStep, expectStep].map(
    (step, index) => ({ ...step, index: index + 1 }),
  )
  const failedStep = steps.find((step) => step.status === 'failed')
  const result: ScenarioResult = {
    id: probe.id,
    scenarioId: probe.id,
    title: probe.title,
    file: probe.file,
    protocol,
    driver: 'http',
    tags: notExercised ? [...probe.tags, 'not-exercised'] : probe.tags,
    rules: [],
    ...(probe.catalogueItem !== undefined ? { catalogue: [probe.catalogueItem] } : {}),
    status: failedStep ? 'failed' : 'passed',
    durationMs: performance.now() - started,
    steps,
    attack: {
      severity: severityShown(probe, identity, takeover),
      ...(identity ? { identity: identity.text, takeover: identity.takeover } : {}),
      ...(answered ? { answered } : {}),
      ...(offSite ? { offSite } : {}),
      ...(replay ? { replay } : {}),
    },
    ...(failedStep
      ? {
          failure: {
            step: failedStep.index,
            text: failedStep.text,
            message: failedStep.message ?? '',
            expected: failedStep.expected ?? '',
            actual: failedStep.actual ?? '',
          },
        }
      : {}),
  }
  return { result, accepted: signal.accepted, ...(offSite ? { offSite } : {}), why: answer }
}

/**
 * The case's severity after what the SP showed: a takeover is a bypass; a forged identity the SP
 * did not take (it showed the genuine user, or kept a look-alike apart, or showed nothing that
 * tells a fold: check by hand) is at most hardening.
 */
function severityShown(probe: Probe, identity: IdentitySeen | undefined, takeover: boolean) {
  if (takeover) return 'bypass'
  const notTaken = identity?.genuine === true || identity?.lookAlike !== undefined
  return notTaken && forgesIdentity(probe.faults) && probe.severity === 'bypass'
    ? 'hardening'
    : probe.severity
}

/**
 * One sign-in with the probe's faults set at the IdP: from the SP's login URL (or the IdP's
 * unsolicited sign-in, or straight to the SP for the control) to the SP's last answer; with
 * `hold`, up to the delivery, which is kept and not sent.
 */
async function send(options: AttackOptions, probe: Probe, hold = false): Promise<Visit> {
  const { idp } = options.attackIdp
  const faults = idp.faults
  faults.clear()
  options.attackIdp.takeApplied()
  try {
    if (probe.faults.length > 0) {
      faults.addAll(probe.faults, probe.id)
      await faults.ready()
    }
    idp.clearQueuedLogins()
    idp.queueLogin(options.user)
    const browser = newBrowser(options)
    const from = probe.unsolicited ? { ...options.target, startUrl: undefined } : options.target
    const start = probe.direct?.url ?? startUrlOf(idp, from) ?? ''
    return await browser.visit(start, probe.direct?.form, hold)
  } finally {
    idp.clearQueuedLogins()
    faults.clear()
  }
}

/**
 * The replay kit of an accepted forgery: the SP has used the message it accepted (a replay cache
 * refuses it again, its request state is spent), so the same case is made once more and held
 * before delivery: a fresh message answering a fresh request of the SP, with the cookies that
 * request left in the browser. Replayed once, soon (within its NotOnOrAfter), it signs in.
 */
async function replayKit(
  options: AttackOptions,
  outDir: string,
  probe: Probe,
  delivered: Delivery,
): Promise<ReplayKit> {
  const held = await send(options, probe, true)
  options.attackIdp.takeApplied()
  if (held.delivery && held.held) {
    return writeReplayKit(outDir, probe.id, held.delivery, { cookies: held.held, fresh: true })
  }
  return writeReplayKit(outDir, probe.id, delivered, { cookies: [], fresh: false })
}

/** The hosts that are the SP's own (its ACS, login and return URLs) and the IdP's. */
function ownHosts(options: AttackOptions): string[] {
  const { target } = options
  const urls = [
    options.attackIdp.idp.config.baseUrl,
    target.startUrl,
    target.protocol === 'saml'
      ? target.acsUrl
      : target.protocol === 'jwt'
        ? target.returnUrl
        : target.redirectUri,
  ]
  return urls.flatMap((url) => {
    const host = url ? hostOf(url) : undefined
    return host ? [host] : []
  })
}

function newBrowser(options: AttackOptions): AttackBrowser {
  const { idp } = options.attackIdp
  const idpOrigin = new URL(idp.config.baseUrl).origin
  const trace = new TraceRecorder(systemClock, { [idpOrigin]: 'idp' })
  return new AttackBrowser({
    idpOrigin,
    idp: (request) => idp.app.fetch(request),
    hosts: options.hosts,
    timeoutMs: options.timeoutMs,
    trace,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
}

function faultStepOf(probe: Probe): StepResult {
  return {
    index: 1,
    text: `the IdP injects ${probe.faults.map(faultText).join(' + ')}`,
    kind: 'fault',
    status: 'passed',
    durationMs: 0,
    trace: [],
  }
}

/** `saml-xsw variant=3`: the kind and its parameters, as the scenario gives them. */
export function faultText(fault: FaultInput): string {
  const parameters = Object.entries(fault)
    .filter(([key]) => key !== 'kind')
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
  return [fault.kind, ...parameters].join(' ')
}

/** The SP's answer in one line: the final page or the problem, and each signal check. */
function answerText(visit: Visit, signal: SignalResult): string {
  const where = visit.final
    ? `final page ${visit.final.status} at ${shortUrl(visit.final.url)}`
    : (visit.problem ?? 'no answer')
  const checks = signal.checks
    .map((check) => `${check.matched ? '✓' : '✗'} ${check.name}: ${check.seen}`)
    .join('; ')
  return `${where}; ${signal.reached ? '' : 'the message never reached the SP; '}${checks}`
}

function shortUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return url
  }
}
