import * as z from 'zod'

/**
 * What `ssoproof run` produces, before any writer turns it into JUnit, JSON, HTML or Markdown.
 * `report.json` is exactly this object; `reports/report.schema.json` is its JSON Schema.
 * Bump `reportSchemaVersion` on any change that is not a pure addition.
 */
export const reportSchemaVersion = 1

/** One decoded protocol message seen in a request or response (secrets already redacted). */
export const decodedMessageSchema = z.object({
  /** `saml` (a SAML message), `jwt` (a JWS/JWT), `json`, `form` (form fields). */
  kind: z.enum(['saml', 'jwt', 'json', 'form']),
  /** Where it came from: the parameter or header name, e.g. `SAMLResponse`, `token`, `body`. */
  source: z.string(),
  /** One line, e.g. `samlp:Response Success, signed (rsa-sha256), Assertion for alice`. */
  summary: z.string(),
  /** The message itself, pretty-printed, with signature values, keys and secrets redacted. */
  text: z.string(),
})

/** One HTTP exchange made by a driver. */
export const traceEntrySchema = z.object({
  /** The virtual time of the request, ISO 8601. */
  at: z.string(),
  method: z.string(),
  /** The URL with long protocol parameters shortened and secrets redacted. */
  url: z.string(),
  status: z.number().int(),
  /** The redirect target, when the response is a redirect. */
  location: z.string().optional(),
  /** Which side answered: `idp`, `sp`, or another origin. */
  party: z.string(),
  messages: z.array(decodedMessageSchema),
})

export const stepStatusSchema = z.enum(['passed', 'failed', 'not-run'])

export const stepResultSchema = z.object({
  /** 1-based position in the scenario. */
  index: z.number().int().positive(),
  /** The step in the scenario's words, e.g. `log in at the IdP as alice`. */
  text: z.string(),
  /** The step keyword, e.g. `login`, `expect`. */
  kind: z.string(),
  status: stepStatusSchema,
  durationMs: z.number().nonnegative(),
  /** Why it failed, in one or two sentences. */
  message: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  trace: z.array(traceEntrySchema),
  /** A PNG screenshot (browser driver, on failure), as a path relative to the report folder. */
  screenshot: z.string().optional(),
})

export const scenarioStatusSchema = z.enum(['passed', 'failed'])

export const scenarioResultSchema = z.object({
  /** Unique within the run: `<scenario id>` or `<scenario id> [<protocol>]`. */
  id: z.string(),
  scenarioId: z.string(),
  title: z.string(),
  /** The scenario file, relative to the working directory. */
  file: z.string(),
  protocol: z.string(),
  driver: z.enum(['http', 'browser']),
  tags: z.array(z.string()),
  /** The rule ids this scenario proves. */
  rules: z.array(z.string()),
  /** Those of `rules` it proves negatively: what the rule forbids is refused. */
  negativeRules: z.array(z.string()).optional(),
  /** The security catalogue cases (1–38) it exercises. */
  catalogue: z.array(z.number().int().positive()).optional(),
  status: scenarioStatusSchema,
  durationMs: z.number().nonnegative(),
  steps: z.array(stepResultSchema),
  /** `ssoproof attack` only: how grave the case is, and what the SP showed when it accepted. */
  attack: z
    .object({
      /** `bypass`, `hardening` or `info` (harness/attack/severity.ts). */
      severity: z.enum(['bypass', 'hardening', 'info']),
      /** Who the SP's final page showed, in one line. */
      identity: z.string().optional(),
      /** The final page showed an identity the message forged. */
      takeover: z.boolean().optional(),
      /** The request the message answered (InResponseTo of another request) and when it was made. */
      answered: z.string().optional(),
      /** A hostile return path the SP followed off its host (catalogue case 32): where, and how. */
      offSite: z
        .object({ url: z.string(), how: z.enum(['Location', 'meta refresh', 'script']) })
        .optional(),
      /**
       * An accepted forgery's replay kit: its files (relative to the out folder), its command,
       * and whether its message is a fresh one, never delivered (false: the one the SP used).
       */
      replay: z
        .object({ files: z.array(z.string()), command: z.string(), fresh: z.boolean().optional() })
        .optional(),
    })
    .optional(),
  /** The first failing step, repeated for readers that only want the verdict. */
  failure: z
    .object({
      step: z.number().int().positive(),
      text: z.string(),
      message: z.string(),
      expected: z.string().optional(),
      actual: z.string().optional(),
    })
    .optional(),
})

export const ruleSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** The section of the product's rules, e.g. `Sessions and logout`. */
  section: z.string(),
  /** Where the requirement is written: `product.md › Accounts`, `seeds/insided-community-sso.txt`. */
  source: z.string().optional(),
})

/** What `npm run mutate` found for a rule: its mutants, and those its scenarios did not kill. */
export const ruleMutationSchema = z.object({
  mutants: z.number().int().nonnegative(),
  killed: z.number().int().nonnegative(),
  /** Mutants that changed nothing the scenarios see, each with why it is realistic. */
  survivors: z.array(z.object({ file: z.string(), why: z.string() })),
  /** Mutants that no longer apply or break loading: neither killed nor survived. */
  invalid: z.array(z.object({ file: z.string(), why: z.string(), reason: z.string() })),
  /** Every mutant valid and killed, and at least one. */
  proven: z.boolean(),
})

export const ruleCoverageSchema = ruleSchema.extend({
  /** Result ids (scenario × protocol) of this run that prove the rule. */
  scenarios: z.array(z.string()),
  /** Those of `scenarios` that prove it negatively (what it forbids is refused). */
  negative: z.array(z.string()).optional(),
  /**
   * `covered`: at least one positive and one negative result, all passed; `one-sided`: passed,
   * but only positive or only negative ones; `failing`: one of them failed; `uncovered`: none.
   */
  status: z.enum(['covered', 'one-sided', 'failing', 'uncovered']),
  /** Present in `npm run mutate`'s report. */
  mutation: ruleMutationSchema.optional(),
})

/** A case of the security catalogue (../shared/docs/security-catalogue.md) and its coverage. */
export const catalogueCoverageSchema = z.object({
  /** The case's number in the catalogue, 1–38. */
  case: z.number().int().positive(),
  title: z.string(),
  /** Result ids (scenario × protocol) of this run that exercise the case. */
  scenarios: z.array(z.string()),
  /** `uncovered`: no scenario in this run exercises it; `failing`: one of them failed. */
  status: z.enum(['covered', 'failing', 'uncovered']),
})

export const runReportSchema = z.object({
  schemaVersion: z.literal(reportSchemaVersion),
  tool: z.object({ name: z.literal('ssoproof'), version: z.string() }),
  /** Wall-clock start of the run, ISO 8601. */
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  options: z.object({
    driver: z.enum(['http', 'browser']),
    seed: z.string(),
    workers: z.number().int().positive(),
    shard: z.object({ index: z.number().int(), total: z.number().int() }).optional(),
    grep: z.string().optional(),
    tags: z.array(z.string()),
    /** `--rule`: only scenarios proving these rule ids. */
    rules: z.array(z.string()).optional(),
    protocols: z.array(z.string()),
    /** Scenario files and folders given, or `built-in`. */
    sources: z.array(z.string()),
  }),
  summary: z.object({
    total: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    /** Rules with passing positive and negative results. */
    rulesCovered: z.number().int().nonnegative(),
    /** Every other rule: one-sided, failing or without any result. */
    rulesUncovered: z.number().int().nonnegative(),
    /** `npm run mutate` only: rules whose scenarios killed every one of their mutants. */
    rulesProven: z.number().int().nonnegative().optional(),
    /** Security catalogue cases exercised by at least one result (absent in attack reports). */
    catalogueCovered: z.number().int().nonnegative().optional(),
    /** How many cases the security catalogue has. */
    catalogueCases: z.number().int().positive().optional(),
    /** `ssoproof attack` only: the failed results by severity. */
    findings: z
      .object({
        bypass: z.number().int().nonnegative(),
        hardening: z.number().int().nonnegative(),
        info: z.number().int().nonnegative(),
      })
      .optional(),
    /** Present when the run was stopped early (Ctrl-C): the report holds the runs that finished. */
    interrupted: z
      .object({ finished: z.number().int().nonnegative(), planned: z.number().int().positive() })
      .optional(),
  }),
  scenarios: z.array(scenarioResultSchema),
  rules: z.array(ruleCoverageSchema),
  /** The security catalogue with coverage (absent in attack reports). */
  catalogue: z.array(catalogueCoverageSchema).optional(),
})

export type DecodedMessage = z.infer<typeof decodedMessageSchema>
export type TraceEntry = z.infer<typeof traceEntrySchema>
export type StepResult = z.infer<typeof stepResultSchema>
export type ScenarioResult = z.infer<typeof scenarioResultSchema>
export type Rule = z.infer<typeof ruleSchema>
export type RuleCoverage = z.infer<typeof ruleCoverageSchema>
export type RuleMutation = z.infer<typeof ruleMutationSchema>
export type CatalogueCoverage = z.infer<typeof catalogueCoverageSchema>
export type RunReport = z.infer<typeof runReportSchema>

/** The report writers `--reporter` accepts, and the file each writes in the out folder. */
export const reporterFiles = {
  junit: 'junit.xml',
  json: 'report.json',
  html: 'report.html',
  markdown: 'summary.md',
} as const

export type ReporterName = keyof typeof reporterFiles
