import type { FaultInput } from '../../idp/faults/schema.ts'
import { builtInCatalogue, loadScenarios } from '../engine/load.ts'
import type { ProtocolName, Scenario } from '../engine/scenario-schema.ts'
import { type StepKind, stepRegistry } from '../engine/steps/index.ts'
import type { StepDefinition } from '../engine/steps/step.ts'

/** What the target SP did with a case's message. */
export type Verdict = 'accepted' | 'refused'

/**
 * What it is expected to do. `either`: the reference SP signs in someone other than the user
 * who logged in (the whole NameID with a comment in it); whether another SP accepts that depends
 * on its accounts (an email already taken…), and which identity it chose is not visible from
 * outside, so either answer passes and the report says to check the identity by hand.
 * `on-site`: a valid message with a hostile return path (catalogue case 32): signing in or
 * refusing are both fine, sending the browser off the SP's host is not.
 */
export type Expectation = Verdict | 'either' | 'on-site'

/** One fault of the catalogue, sent to the user's SP: a forged scenario without its SP side. */
export interface AttackCase {
  /** The scenario id it comes from, e.g. `forged-saml-xsw3`. */
  id: string
  title: string
  /** The scenario file, for the report. */
  file: string
  protocol: ProtocolName
  faults: FaultInput[]
  /** Forged: `refused`; a valid counterpart (e.g. skew within tolerance): `accepted`. */
  expect: Expectation
  /** What the reference SP answers (its stable code), for the report. */
  referenceAnswer: string
  /** The case of docs/security-catalogue.md the scenario names first (its `catalogue`). */
  catalogueItem: number | undefined
}

// Faults that change the IdP for good (idp/faults/README.md: "the rotation stays"): what the SP
// answers then hangs on what it cached before, and every later case would meet another IdP.
const lastingFaultKinds = new Set<string>(['jwt-key-rotation'])
// Faults about the SP's own request: an unsolicited (IdP-initiated) Response answers none, so
// they change nothing there and run only when sign-ins start at the SP (--start-url).
const requestFaultKinds = new Set<string>(['saml-in-response-to'])
// Faults about where the SP goes after the sign-in, not whether it signs in (catalogue case 32).
const returnPathFaultKinds = new Set<string>(['saml-relay-state'])

/** The case hands the SP a hostile return path: its verdict is where the SP sent the browser. */
export function aboutReturnPath(faults: readonly FaultInput[]): boolean {
  return faults.some((fault) => returnPathFaultKinds.has(fault.kind))
}

export interface PlanOptions {
  /** Sign-ins start at the SP (SP-initiated); otherwise IdP-initiated. */
  spInitiated: boolean
  /** Only cases whose id matches. */
  grep?: RegExp | undefined
  /** Scenario files and folders (default: the built-in catalogue). */
  sources?: string[]
}

/**
 * The attack plan, derived from the scenario catalogue (forged.yaml and any other file whose
 * scenarios set IdP faults): every scenario that injects faults into one plain sign-in, for
 * the protocol given, in catalogue order. New fault scenarios flow in without a change here.
 */
export function planAttack(
  protocol: ProtocolName,
  options: PlanOptions,
): { cases: AttackCase[]; skipped: string[] } {
  const cases: AttackCase[] = []
  const skipped: string[] = []
  for (const scenario of loadScenarios(options.sources ?? [builtInCatalogue])) {
    const faults = scenario.setup.idp.faults ?? []
    if (faults.length === 0 || !scenario.protocols.includes(protocol)) continue
    if (options.grep && !options.grep.test(scenario.id)) continue
    const aboutRequest = faults.some((fault) => requestFaultKinds.has(fault.kind))
    if (!isPortable(scenario) || (aboutRequest && !options.spInitiated)) {
      skipped.push(scenario.id)
      continue
    }
    const expectation = expectedAnswer(scenario)
    if (aboutReturnPath(faults)) expectation.verdict = 'on-site'
    cases.push({
      id: scenario.id,
      title: scenario.title,
      file: scenario.file,
      protocol,
      faults,
      expect: expectation.verdict,
      referenceAnswer: expectation.answer,
      catalogueItem: scenario.catalogue[0],
    })
  }
  return { cases, skipped }
}

function isPortable(scenario: Scenario): boolean {
  const { idp, sp, users, campaign, agentSso, startAt } = scenario.setup
  const idpKeys = Object.keys(idp).filter((key) => key !== 'faults')
  return (
    idpKeys.length === 0 &&
    Object.keys(sp).length === 0 &&
    users.length === 0 &&
    campaign === undefined &&
    agentSso === undefined &&
    startAt === undefined &&
    scenario.steps.every((step) => isPortableStep(step.kind)) &&
    !(scenario.setup.idp.faults ?? []).some((fault) => lastingFaultKinds.has(fault.kind))
  )
}

// A case sends one message through the IdP and reads one answer; a scenario that needs more of
// the reference SP (its settings, time travel, logout…) says nothing about a foreign SP. The
// step registry marks the steps that act only through the IdP and the browser.
function isPortableStep(kind: StepKind): boolean {
  const definition: StepDefinition = stepRegistry[kind]
  return definition.portable === true
}

/** The scenario's last expectation: signed in (accepted) or refused with a code. */
function expectedAnswer(scenario: Scenario): { verdict: Expectation; answer: string } {
  const expectations = scenario.steps.flatMap((step) => (step.kind === 'expect' ? [step.arg] : []))
  const last = expectations.at(-1)
  const signedIn =
    last?.['signed in as'] !== undefined || last?.['signed in'] === true || last?.error === 'none'
  if (signedIn) {
    const who = last?.['signed in as']
    const login = scenario.steps.find((step) => step.kind === 'log in')?.arg
    const loggedIn = typeof login === 'string' ? login : login?.user
    const other = who !== undefined && loggedIn !== undefined && who !== loggedIn
    return {
      verdict: other ? 'either' : 'accepted',
      answer: who ? `signed in as ${who}` : 'signed in',
    }
  }
  return { verdict: 'refused', answer: last?.error ?? 'refused' }
}
