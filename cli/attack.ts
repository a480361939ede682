import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { bindings } from '../core/saml/constants.ts'
import { makeNamedFolder } from '../core/store/make-folder.ts'
import { type AttackIdp, PortInUseError, startAttackIdp } from '../harness/attack/attack-idp.ts'
import { attackReport } from '../harness/attack/attack-report.ts'
import { createHostPolicy, type HostPolicy } from '../harness/attack/hosts.ts'
import { planAttack } from '../harness/attack/plan.ts'
import { runAttack } from '../harness/attack/run-attack.ts'
import type { SuccessSignal } from '../harness/attack/signal.ts'
import {
  type AttackTarget,
  protocolOf,
  registerTarget,
  samlTargetFromMetadata,
  targetId,
} from '../harness/attack/target.ts'
import type { SpRegistrationInput } from '../idp/service-providers/registration.ts'
import type { ScenarioResult } from '../reports/model.ts'
import { writeReports } from '../reports/write-reports.ts'
import { adminTokenOption, planListen } from './listen-options.ts'
import { readReporters, reportOptions } from './report-options.ts'
import {
  type CommandSpec,
  parseCommandArgs,
  parsePort,
  takeRepeatedHosts,
  UsageError,
} from './usage.ts'

const spec: CommandSpec = {
  name: 'attack',
  usage: `ssoproof attack (--sp-metadata URL|FILE | --acs URL --audience ID | --return-url URL | --redirect-uri URL --client-id ID --start-url URL) [--start-url URL] [--success-… ] [--allow-host HOST]…

What an IdP can forge is sent; checks of the SP's own endpoints are not (catalogue case 36:
cross-site POSTs, a rebinding Host, admin calls, outbound fetches): an IdP's messages cannot
make them. Test those with requests of your own (README "Admin API, cross-site requests and
the network").`,
  options: {
    'sp-metadata': {
      type: 'string',
      valueName: 'URL|FILE',
      description: 'SAML: the SP metadata (entity ID, ACS URLs, encryption certificate)',
    },
    acs: {
      type: 'string',
      valueName: 'URL',
      description: 'SAML without metadata: the AssertionConsumerService URL (HTTP-POST)',
    },
    audience: {
      type: 'string',
      valueName: 'ID',
      description: 'SAML: the SP entity ID (with --acs); JWT: aud (default: the return URL origin)',
    },
    binding: {
      type: 'string',
      valueName: 'post|artifact',
      description: 'SAML: how responses reach the ACS: HTTP-POST or HTTP-Artifact',
      default: 'post',
    },
    'encrypt-assertions': {
      type: 'boolean',
      description: 'SAML: encrypt assertions to the encryption certificate of the metadata',
    },
    'return-url': {
      type: 'string',
      valueName: 'URL',
      description: 'JWT sign-in token SSO: where the IdP sends ?token= (also the allowed prefix)',
    },
    'redirect-uri': {
      type: 'string',
      valueName: 'URL',
      description: 'OIDC: the redirect_uri of your SP (needs --client-id and --start-url)',
    },
    'client-id': { type: 'string', valueName: 'ID', description: 'OIDC: the client_id' },
    'client-secret': {
      type: 'string',
      valueName: 'S',
      description: 'OIDC: the client secret (16+ characters); absent: a public client (PKCE)',
    },
    'start-url': {
      type: 'string',
      valueName: 'URL',
      description:
        "Your SP's login URL: each sign-in starts there (SP-initiated); default: IdP-initiated (SAML, JWT)",
    },
    'success-status': {
      type: 'string',
      valueName: 'N',
      description: 'Accepted when the final page has this HTTP status',
    },
    'success-redirect': {
      type: 'string',
      valueName: 'URL-PREFIX',
      description: 'Accepted when the SP redirects to (or ends on) a URL starting with this',
    },
    'success-cookie': {
      type: 'string',
      valueName: 'NAME',
      description: 'Accepted when the SP sets this cookie',
    },
    'success-text': {
      type: 'string',
      valueName: 'TEXT',
      description:
        'Accepted when the final page (after redirects) contains this. Signals combine (all must match); none given: no SP answer of 400 or more, a 2xx final page and a cookie set',
    },
    'allow-host': {
      type: 'string',
      valueName: 'HOST',
      description: 'Also contact this host (repeatable); without it only loopback is contacted',
    },
    grep: {
      type: 'string',
      valueName: 'RE',
      description: 'Only the catalogue cases whose id matches this regular expression',
    },
    user: {
      type: 'string',
      valueName: 'ID',
      description: 'The IdP user every sign-in is made as',
      default: 'alice',
    },
    timeout: {
      type: 'string',
      valueName: 'MS',
      description: 'Time limit of each request to the SP',
      default: '10000',
    },
    'idp-port': {
      type: 'string',
      valueName: 'PORT',
      description: 'Port of the fake IdP (0: any free port)',
      default: '7000',
    },
    host: {
      type: 'string',
      valueName: 'HOST',
      description:
        'Address the fake IdP listens on; not loopback: needs --admin-token; 0.0.0.0 or ::: needs --idp-base-url',
      default: '127.0.0.1',
    },
    ...adminTokenOption,
    'idp-base-url': {
      type: 'string',
      valueName: 'URL',
      description: 'The URL your SP knows the IdP by (default: http://HOST:PORT)',
    },
    data: {
      type: 'string',
      valueName: 'DIR',
      description: 'Where the IdP key is kept (the same as serve: the metadata stays the same)',
      default: '.ssoproof',
    },
    'print-metadata': {
      type: 'string',
      valueName: 'FILE',
      description:
        "Write the fake IdP's SAML metadata (for --host, --idp-port, --idp-base-url, --data) to FILE and exit, so the SP can trust it before the first run",
    },
    wait: {
      type: 'boolean',
      description: "After printing the IdP's URLs, wait for Enter before sending anything",
    },
    ...reportOptions,
  },
  notes: [
    'Exit codes: 0 nothing accepted that should not be; 1 hardening findings only (a weak algorithm, a hostile RelayState followed off the SP host…, or a valid message refused); 2 usage error; 3 stopped (baseline refused, or the success signal matched the garbage control); 4 at least one bypass (another identity, or a forged or unsigned message accepted). Accepted forgeries leave a replay kit in OUT/forged/.',
    'Not sent to another SP: forged-saml-in-response-to-missing-unsolicited-allowed (it needs the reference SP set to allow unsolicited Responses; with --start-url the run sends a valid unsolicited Response instead and reports it if accepted); forged-saml-logout-deflate-bomb (it rides on a LogoutRequest the IdP sends inside a single logout, which needs a session at the SP that the attack never logs out of, and the SP answers it on its own SLO endpoint, not as a sign-in the success signal can read).',
  ],
}

/**
 * Exit codes: 0 nothing accepted that should not be, 1 hardening findings only (or a too-strict
 * SP), 2 usage, 3 stopped, 4 a bypass (the gravest finding decides).
 */
export const attackExitCodes = { ok: 0, hardening: 1, usage: 2, stopped: 3, bypass: 4 } as const

export const attackCommand = { spec, run }

type Values = Record<string, string | boolean | undefined>

async function run(args: string[]): Promise<number> {
  const { values: allowHosts, rest } = takeRepeatedHosts(args, 'allow-host')
  const values = parseCommandArgs(spec, rest)
  const idpBaseUrl = baseUrlOf(values['idp-base-url'])
  const listen = planListen({
    command: 'attack',
    host: String(values.host),
    baseUrlOptions: { 'idp-base-url': idpBaseUrl },
    adminToken: values['admin-token'] as string | undefined,
  })
  for (const warning of listen.warnings) process.stderr.write(`${warning}\n`)
  const idpAt = { baseUrl: idpBaseUrl, adminToken: listen.adminToken }
  if (typeof values['print-metadata'] === 'string') {
    return printMetadata(values, idpAt, values['print-metadata'])
  }
  const hosts = createHostPolicy(allowHosts)
  const signal = successSignal(values)
  const reporters = readReporters(values.reporter)
  const timeoutMs = wholeNumber(values.timeout, 'timeout', 100, 300_000)
  const user = String(values.user)
  const grep = grepOf(values.grep)
  const write = (line: string) => process.stdout.write(`${line}\n`)
  const draft = targetDraft(values)
  checkHosts(hosts, draft.contacts)

  const started = performance.now()
  const startedAt = new Date(performance.timeOrigin + started).toISOString()
  const target = await draft.complete(hosts)
  const { cases, skipped } = planAttack(protocolOf(target), {
    spInitiated: target.startUrl !== undefined,
    grep,
  })
  const outDir = resolve(String(values.out))
  // Made now: a folder that cannot hold the report is said before anything is sent.
  makeNamedFolder(outDir, 'the report folder (--out)', 0o777)
  const attackIdp = await startIdp(values, idpAt)
  try {
    if (!attackIdp.idp.users.get(user)) {
      throw new UsageError(`--user "${user}" is no user of the fake IdP (alice, bob, carol, dave)`)
    }
    registerTarget(attackIdp.idp, target)
    for (const line of introduction(attackIdp, target, cases.length, skipped)) write(line)
    if (values.wait === true) await waitForEnter(write)
    const outcome = await runAttack({
      attackIdp,
      target,
      cases,
      signal,
      hosts,
      timeoutMs,
      user,
      outDir,
      onResult: (result) => write(progressLine(result)),
    })
    const report = attackReport({
      results: outcome.results,
      startedAt,
      durationMs: performance.now() - started,
      protocol: protocolOf(target),
      sources: [...new Set(cases.map((attack) => attack.file))],
    })
    const written = await writeReports(report, { outDir, reporters })
    write('')
    if (outcome.stopped) {
      process.stderr.write(`ssoproof attack: stopped: ${outcome.stopped}\n`)
      for (const path of written) write(`  ${path}`)
      return attackExitCodes.stopped
    }
    const { summary } = report
    const findings = summary.findings ?? { bypass: 0, hardening: 0, info: 0 }
    write(
      `${findings.bypass} bypass, ${findings.hardening} hardening, ${findings.info} info · ${summary.passed} passed, ${summary.failed} failed, ${summary.total} total in ${(report.durationMs / 1000).toFixed(2)} s`,
    )
    for (const line of findingLines(report.scenarios, outDir)) write(line)
    for (const path of written) write(`  ${path}`)
    if (findings.bypass > 0) return attackExitCodes.bypass
    return summary.failed === 0 ? attackExitCodes.ok : attackExitCodes.hardening
  } finally {
    await attackIdp.close()
  }
}

interface IdpAt {
  baseUrl: string | undefined
  adminToken: string | undefined
}

async function startIdp(values: Values, at: IdpAt): Promise<AttackIdp> {
  try {
    return await startAttackIdp({
      host: String(values.host),
      port: parsePort(values['idp-port'], 'idp-port'),
      baseUrl: at.baseUrl,
      adminToken: at.adminToken,
      dataDir: resolve(String(values.data)),
    })
  } catch (error) {
    if (error instanceof PortInUseError) {
      throw new UsageError(`${error.message}; choose another with --idp-port`)
    }
    throw error
  }
}

/** `--print-metadata FILE`: the metadata the fake IdP will serve with the same options. */
async function printMetadata(values: Values, at: IdpAt, file: string): Promise<number> {
  const attackIdp = await startIdp(values, at)
  try {
    await writeFile(resolve(file), attackIdp.idp.metadata())
  } finally {
    await attackIdp.close()
  }
  process.stdout.write(
    `ssoproof attack: wrote the metadata of the fake IdP at ${attackIdp.baseUrl} (entity ID ${attackIdp.idp.config.entityId}) to ${file}\n`,
  )
  return attackExitCodes.ok
}

/** The findings, gravest first: severity, case, who the SP showed, and how to replay it. */
function findingLines(results: ScenarioResult[], outDir: string): string[] {
  return results
    .filter((result) => result.status === 'failed')
    .flatMap((result) => {
      const attack = result.attack
      const lines = [`  ${(attack?.severity ?? 'info').padEnd(9)} ${result.id}`]
      if (attack?.identity)
        lines.push(`            ${attack.takeover ? 'TAKEOVER: ' : ''}${attack.identity}`)
      if (attack?.answered) lines.push(`            ${attack.answered}`)
      if (attack?.replay) {
        lines.push(`            replay: ${attack.replay.command}`)
        lines.push(
          `            kit: ${attack.replay.files.map((path) => join(outDir, path)).join(' ')}`,
        )
      }
      return lines
    })
}

/** `--allow-host` may be given many times; parseArgs keeps only the last, so it is read here. */
interface TargetDraft {
  /** Every URL the attack will contact before it knows more (checked before any request). */
  contacts: string[]
  complete(hosts: HostPolicy): Promise<AttackTarget>
}

function targetDraft(values: Values): TargetDraft {
  const text = (name: string) =>
    typeof values[name] === 'string' ? String(values[name]) : undefined
  const startUrl = text('start-url')
  const groups = [
    text('sp-metadata') !== undefined || text('acs') !== undefined ? 'saml' : undefined,
    text('return-url') !== undefined ? 'jwt' : undefined,
    text('redirect-uri') !== undefined ? 'oidc' : undefined,
  ].filter((group) => group !== undefined)
  if (groups.length !== 1) {
    throw new UsageError(
      groups.length === 0
        ? 'name the SP: --sp-metadata, --acs with --audience (SAML), --return-url (JWT) or --redirect-uri with --client-id (OIDC)'
        : `give one protocol per run, not ${groups.join(' and ')}`,
    )
  }
  const binding = String(values.binding)
  if (binding !== 'post' && binding !== 'artifact') {
    throw new UsageError(`--binding must be post or artifact, got "${binding}"`)
  }
  const start = startUrl ? [absoluteUrl(startUrl, 'start-url')] : []
  if (groups[0] === 'saml') {
    const metadata = text('sp-metadata')
    const acs = text('acs')
    if (metadata !== undefined && acs !== undefined) {
      throw new UsageError('give --sp-metadata or --acs, not both')
    }
    const overrides: Partial<SpRegistrationInput> = {
      responseBinding: binding,
      ...(values['encrypt-assertions'] === true ? { encryptAssertion: true } : {}),
    }
    if (acs !== undefined) {
      const audience = text('audience')
      if (audience === undefined) throw new UsageError('--acs needs --audience (the SP entity ID)')
      const location = absoluteUrl(acs, 'acs')
      return {
        contacts: [location, ...start],
        complete: async () => ({
          protocol: 'saml',
          binding,
          acsUrl: location,
          startUrl,
          registration: {
            entityId: audience,
            // The one URL given takes SAMLResponse and, for --binding artifact, SAMLart too: an
            // artifact goes only to an ACS registered for HTTP-Artifact.
            assertionConsumerServices: [
              { location, binding: bindings.post },
              ...(binding === 'artifact' ? [{ location, binding: bindings.artifact }] : []),
            ],
            ...overrides,
          },
        }),
      }
    }
    const source = metadata ?? ''
    const remote = /^https?:\/\//i.test(source)
    return {
      contacts: [...(remote ? [source] : []), ...start],
      complete: async (hosts) => {
        const target = await samlTargetFromMetadata(source, { binding, startUrl, overrides })
        checkHosts(
          hosts,
          target.registration.assertionConsumerServices.map((entry) => entry.location),
        )
        return target
      },
    }
  }
  if (groups[0] === 'jwt') {
    const returnUrl = absoluteUrl(text('return-url') ?? '', 'return-url')
    const prefix = new URL(returnUrl)
    prefix.search = ''
    prefix.hash = ''
    const id = text('audience') ?? prefix.origin
    return {
      contacts: [returnUrl, ...start],
      complete: async () => ({
        protocol: 'jwt',
        returnUrl,
        startUrl,
        registration: { id, returnUrls: [prefix.toString()], algorithm: 'RS256' },
      }),
    }
  }
  const redirectUri = absoluteUrl(text('redirect-uri') ?? '', 'redirect-uri')
  const clientId = text('client-id')
  if (clientId === undefined) throw new UsageError('--redirect-uri needs --client-id')
  if (startUrl === undefined) {
    throw new UsageError('OIDC sign-ins start at the SP: give --start-url (its login URL)')
  }
  const clientSecret = text('client-secret')
  if (clientSecret !== undefined && clientSecret.length < 16) {
    throw new UsageError('--client-secret must be at least 16 characters')
  }
  return {
    contacts: [redirectUri, ...start],
    complete: async () => ({
      protocol: 'oidc',
      redirectUri,
      startUrl,
      registration: {
        clientId,
        redirectUris: [redirectUri],
        ...(clientSecret !== undefined ? { clientSecret } : {}),
      },
    }),
  }
}

function grepOf(value: string | boolean | undefined): RegExp | undefined {
  if (typeof value !== 'string') return undefined
  try {
    return new RegExp(value)
  } catch (error) {
    throw new UsageError(`--grep is not a valid regular expression: ${(error as Error).message}`)
  }
}

function checkHosts(hosts: HostPolicy, urls: string[]): void {
  for (const url of urls) {
    const refusal = hosts.refusal(url)
    if (refusal) throw new UsageError(`refusing to attack ${url}: ${refusal}`)
  }
}

function absoluteUrl(value: string, option: string): string {
  try {
    const url = new URL(value)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString()
  } catch {
    // reported below
  }
  throw new UsageError(`--${option} must be an http(s) URL, got "${value}"`)
}

function baseUrlOf(value: string | boolean | undefined): string | undefined {
  if (typeof value !== 'string') return undefined
  return absoluteUrl(value, 'idp-base-url')
}

function successSignal(values: Values): SuccessSignal {
  const text = (name: string) =>
    typeof values[name] === 'string' ? String(values[name]) : undefined
  const status = text('success-status')
  return {
    ...(status !== undefined ? { status: wholeNumber(status, 'success-status', 100, 599) } : {}),
    redirectPrefix: text('success-redirect'),
    cookie: text('success-cookie'),
    text: text('success-text'),
  }
}

function wholeNumber(
  value: string | boolean | undefined,
  option: string,
  min: number,
  max: number,
): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(
      `--${option} must be a whole number from ${min} to ${max}, got "${String(value)}"`,
    )
  }
  return number
}

function introduction(
  attackIdp: AttackIdp,
  target: AttackTarget,
  count: number,
  skipped: string[],
): string[] {
  const options = attackIdp.idp.config
  const trust =
    target.protocol === 'saml'
      ? [
          `  IdP metadata   ${options.urls.metadata}`,
          `  entity ID      ${options.entityId}   (the SP must trust the certificate in the metadata)`,
        ]
      : target.protocol === 'jwt'
        ? [
            `  issuer (iss)   ${options.issuer}   audience (aud) ${targetId(target)}, RS256`,
            `  certificate    ${options.urls.jwtCertificate}`,
            `  JWKS           ${options.urls.jwks}`,
            `  login URL      ${options.urls.jwtLogin}`,
          ]
        : [
            `  issuer         ${options.issuer}`,
            `  discovery      ${options.urls.discovery}`,
            `  JWKS           ${options.urls.oidcJwks}`,
          ]
  const start = target.startUrl ? `SP-initiated from ${target.startUrl}` : 'IdP-initiated'
  return [
    `ssoproof attack: the fake IdP is at ${attackIdp.baseUrl}`,
    ...trust,
    `  target         ${protocolOf(target)} ${targetId(target)}, ${start}`,
    `  plan           baseline, control, then ${count} cases from the catalogue${skipped.length > 0 ? ` (not portable to another SP: ${skipped.join(', ')})` : ''}`,
  ]
}

function progressLine(result: ScenarioResult): string {
  const fault = result.steps.find((step) => step.kind === 'fault')
  const item = result.tags.find((tag) => tag.startsWith('catalogue-'))?.slice('catalogue-'.length)
  const expect = result.steps.find((step) => step.kind === 'expect')
  const verdict = expect?.actual?.split(' — ')[0] ?? ''
  const mark = result.status === 'passed' ? '✓' : '✗'
  const note = result.tags.includes('not-exercised') ? ' (not exercised)' : ''
  const detail = fault ? ` — ${fault.text.replace(/^the IdP injects /, '')}` : ''
  const severity = result.attack?.severity ?? 'info'
  const line = `  ${mark} ${verdict.padEnd(8)} ${severity.padEnd(9)} ${result.id}${item ? ` [#${item}]` : ''}${detail}${note}`
  const extra = [
    ...(result.status === 'failed' && expect?.message ? [expect.message] : []),
    ...(result.attack?.answered ? [result.attack.answered] : []),
  ]
  return [line, ...extra.map((text) => `      ${text}`)].join('\n')
}

async function waitForEnter(write: (line: string) => void): Promise<void> {
  write('Configure your SP to trust this IdP, then press Enter to start.')
  const lines = createInterface({ input: process.stdin })
  await new Promise<void>((done) => {
    lines.once('line', () => done())
    lines.once('close', () => done())
  })
  lines.close()
}
