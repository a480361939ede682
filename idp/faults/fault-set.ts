import type { Clock } from '../../core/clock/index.ts'
import { parseConfig } from '../../core/config/parse-config.ts'
import { SsoError } from '../../core/errors/index.ts'
import { type Credential, createCredential } from '../../core/keys/index.ts'
import { type Fault, type FaultKind, type FaultOf, faultSchema } from './schema.ts'

/** A fault in the set: its input with an id, and `remaining` counting down as it is used. */
export type ActiveFault = Fault & { id: string }

/** Who a message is for: the SP (entity ID, JWT SP id or client ID) and the signed-in user. */
export interface FaultTarget {
  sp?: string | undefined
  user?: string | undefined
}

/** The credentials faults sign with; none of them is trusted by a correctly configured SP. */
export type FaultCredentialName = 'untrusted' | 'expired' | 'not-yet-valid' | 'short-key'

/** What the IdP last sent an SP, for the replay faults. */
export interface Delivery {
  responseXml: string
  /** The artifact's MessageHandle, when the Response went by HTTP-Artifact. */
  messageHandle?: Buffer
}

export interface FaultSet {
  /** Validates (CONFIG_INVALID naming the path) and adds one fault. */
  add(input: unknown, source?: string): ActiveFault
  /** Validates every input first, then adds them all, or none. */
  addAll(inputs: unknown[], source?: string): ActiveFault[]
  list(): ActiveFault[]
  remove(id: string): ActiveFault | undefined
  clear(): number
  /**
   * The active faults of these kinds that apply to `target`, in the order they were added. Each
   * counts one use: a one-shot fault is gone afterwards.
   */
  take<K extends FaultKind>(kinds: readonly K[], target: FaultTarget): FaultOf<K>[]
  /** A fault credential, created on first use (RSA-2048 but `short-key`'s 1024; dates per its name). */
  credential(name: FaultCredentialName): Promise<Credential>
  /** Resolves once the credentials the active faults sign with exist. */
  ready(): Promise<void>
  /**
   * Certificates (base64 DER) of the active certificate-validity and short-key faults, for the IdP
   * metadata: an SP that reads the metadata now trusts them, and must still refuse them for their
   * dates or their key length.
   */
  publishedCertificates(): string[]
  remember(sp: string, delivery: Delivery): void
  previous(sp: string): Delivery | undefined
  /** The token last issued for `delivery` (the protocol and the SP), for `jwt-replay`. */
  rememberToken(delivery: string, token: string): void
  previousToken(delivery: string): string | undefined
}

const dayMs = 86_400_000

/**
 * The IdP's fault set (README.md): faults from createIdp options, the admin API or code, each
 * scoped to an SP and/or a user and living for `remaining` uses or until cleared.
 */
export function createFaultSet(options: {
  clock: Clock
  log: (line: string) => void
  initial?: unknown[]
}): FaultSet {
  const active: ActiveFault[] = []
  const credentials = new Map<FaultCredentialName, Promise<Credential>>()
  const created = new Map<FaultCredentialName, Credential>()
  const deliveries = new Map<string, Delivery>()
  const tokens = new Map<string, string>()
  let counter = 0

  const credential = (name: FaultCredentialName) => {
    let pending = credentials.get(name)
    if (!pending) {
      pending = createFaultCredential(name, options.clock).then((made) => {
        created.set(name, made)
        return made
      })
      credentials.set(name, pending)
    }
    return pending
  }
  const prepare = (fault: Fault) => {
    if (fault.kind === 'saml-certificate-validity') void credential(fault.validity)
    if (fault.kind === 'saml-short-key') void credential('short-key')
    if (fault.kind === 'saml-untrusted-key' || fault.kind === 'jwt-header-key') {
      void credential('untrusted')
    }
  }
  const enter = (fault: Fault): ActiveFault => {
    const entry = { ...fault, id: `fault-${++counter}` }
    active.push(entry)
    prepare(fault)
    return { ...entry }
  }
  const parse = (input: unknown, source: string) => parseConfig(faultSchema, input, source)

  const set: FaultSet = {
    add: (input, source = 'fault') => enter(parse(input, source)),
    addAll(inputs, source = 'faults') {
      const parsed = inputs.map((input, index) => parse(input, `${source}.${index}`))
      return parsed.map(enter)
    },
    list: () => active.map((entry) => ({ ...entry })),
    remove(id) {
      const index = active.findIndex((entry) => entry.id === id)
      return index === -1 ? undefined : active.splice(index, 1)[0]
    },
    clear: () => active.splice(0, active.length).length,
    take(kinds, target) {
      const taken: FaultOf<(typeof kinds)[number]>[] = []
      // Every message asks, and almost always nothing is active: no copy, no scan.
      if (active.length === 0) return taken
      for (const entry of [...active]) {
        if (!(kinds as readonly string[]).includes(entry.kind) || !applies(entry, target)) continue
        taken.push({ ...entry } as unknown as FaultOf<(typeof kinds)[number]>)
        options.log(`IdP fault ${entry.kind} (${entry.id}) applied for ${target.sp ?? 'any SP'}`)
        if (entry.remaining === undefined) continue
        entry.remaining -= 1
        if (entry.remaining === 0) active.splice(active.indexOf(entry), 1)
      }
      return taken
    },
    credential,
    async ready() {
      await Promise.all(credentials.values())
    },
    publishedCertificates() {
      const names = new Set(
        active.flatMap((entry): FaultCredentialName[] =>
          entry.kind === 'saml-certificate-validity'
            ? [entry.validity]
            : entry.kind === 'saml-short-key'
              ? ['short-key']
              : [],
        ),
      )
      return [...names].flatMap((name) => {
        const made = created.get(name)
        return made ? [made.certificateBase64] : []
      })
    },
    remember: (sp, delivery) => void deliveries.set(sp, delivery),
    previous: (sp) => deliveries.get(sp),
    rememberToken: (delivery, token) => void tokens.set(delivery, token),
    previousToken: (delivery) => tokens.get(delivery),
  }
  set.addAll(options.initial ?? [], 'faults')
  return set
}

function applies(fault: ActiveFault, target: FaultTarget): boolean {
  const scoped = fault as { sp?: string; user?: string }
  if (scoped.sp !== undefined && scoped.sp !== target.sp) return false
  if (scoped.user !== undefined && scoped.user !== target.user) return false
  return true
}

function createFaultCredential(name: FaultCredentialName, clock: Clock): Promise<Credential> {
  const now = clock.now()
  switch (name) {
    case 'untrusted':
      return createCredential({ commonName: 'ssoproof fault: untrusted signer', clock })
    case 'expired':
      return createCredential({
        commonName: 'ssoproof fault: expired certificate',
        notBefore: new Date(now - 400 * dayMs),
        notAfter: new Date(now - 30 * dayMs),
      })
    case 'not-yet-valid':
      return createCredential({
        commonName: 'ssoproof fault: not yet valid certificate',
        notBefore: new Date(now + 30 * dayMs),
        notAfter: new Date(now + 400 * dayMs),
      })
    case 'short-key':
      return createCredential({ commonName: 'ssoproof fault: 1024-bit key', clock, rsaBits: 1024 })
  }
}

/** The fault of this id, or NOT_FOUND. */
export function removeFault(set: FaultSet, id: string): ActiveFault {
  const removed = set.remove(id)
  if (!removed) {
    throw new SsoError('NOT_FOUND', 'fault', 'no active fault has this id', {
      id: id.slice(0, 100),
    })
  }
  return removed
}
