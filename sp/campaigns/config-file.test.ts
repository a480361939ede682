import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { apiSession, signIn } from '../../tests/fixtures/visitor.ts'
import { campaignsFileJsonSchema, loadSpConfigFile } from './config-file.ts'

const example = fileURLToPath(new URL('./example.yaml', import.meta.url))
const folder = mkdtempSync(join(tmpdir(), 'ssoproof-campaigns-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

let written = 0
function file(text: string): string {
  const path = join(folder, `campaigns-${++written}.yaml`)
  writeFileSync(path, text)
  return path
}

/** The CONFIG_INVALID error loading `text` gives, as its reason and its list of issues. */
async function refusal(text: string) {
  const path = file(text)
  const error = await loadSpConfigFile(path).then(
    () => {
      throw new Error('accepted')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(SsoError)
  const { code, reason, evidence } = error as SsoError
  expect(code).toBe('CONFIG_INVALID')
  return { path, reason, issues: evidence.issues as string[] }
}

describe('loadSpConfigFile', () => {
  it('loads the example: the root campaign, then a JWT and an OIDC campaign', async () => {
    const config = await loadSpConfigFile(example)
    expect(config.campaign).toMatchObject({
      id: 'support',
      signIn: 'optional',
      routing: {
        rules: [{ team: 'VIP', field: 'variable:membershipLevel', in: ['vip', 'gold'] }],
      },
    })
    expect(config.campaign?.survey?.map((field) => field.name)).toEqual([
      'name',
      'email',
      'orderNumber',
    ])
    expect(config.sessionInactivityMs).toBe(48 * 3_600_000)
    expect(config.clockSkewMs).toBeUndefined()
    expect(config.campaigns?.map(({ id, protocol }) => [id, protocol])).toEqual([
      ['shop', 'jwt'],
      ['community', 'oidc'],
    ])
    expect(config.campaigns?.[1]).toMatchObject({
      sessionInactivityMs: 2 * 3_600_000,
      accounts: { requireUsername: true },
    })
    expect(config.campaigns?.[0]).not.toHaveProperty('sessionInactivityMs')
    expect(config.agentSso?.sites.map(({ id, ssoOn }) => [id, ssoOn])).toEqual([
      ['1001', true],
      ['2002', false],
    ])
    expect(config.agentSso?.agents?.map(({ loginName }) => loginName)).toEqual(['dave', 'erin'])
  })

  it('the example runs: a visitor signs in at the JWT campaign and its mapping fills the contact', async () => {
    const config = await loadSpConfigFile(example)
    const { agent: newAgent, sp } = await createInProcessPair({ sp: config })
    expect([...sp.campaigns.keys()]).toEqual(['support', 'shop', 'community'])
    const agent = newAgent()
    await signIn(agent, 'carol', {
      base: `${spUrl}/c/shop`,
      password: 'carol-secret',
      returnUrl: '/c/shop/',
    })
    expect((await apiSession(agent, `${spUrl}/c/shop`)).contact).toMatchObject({
      externalId: 'carol',
      email: 'carol@example.org',
      roles: ['beta-tester', 'moderator'],
      customVariables: { membershipLevel: 'vip' },
    })
  })

  it('takes clockSkew and sessionInactivity of any campaign as durations', async () => {
    const config = await loadSpConfigFile(
      file(`campaigns:
  - clockSkew: 2m
  - id: b
    sessionInactivity: 1h30m
    clockSkew: 0s
`),
    )
    expect(config.campaign).toMatchObject({ id: 'default', signIn: 'optional' })
    expect(config.clockSkewMs).toBe(120_000)
    expect(config.campaigns).toEqual([
      expect.objectContaining({ id: 'b', sessionInactivityMs: 5_400_000, clockSkewMs: 0 }),
    ])
  })

  it('takes a SAML campaign’s own IdP by metadata URL or file, a file relative to the campaigns file', async () => {
    const config = await loadSpConfigFile(
      file(
        [
          'campaigns:',
          '  - id: support',
          '    idpMetadata: partner-idp.xml',
          '  - id: partner',
          '    idpMetadata: https://idp.partner.example/metadata',
          '  - id: shop',
          '    protocol: jwt',
          '',
        ].join('\n'),
      ),
    )
    expect(config.idpMetadata).toEqual({
      support: join(folder, 'partner-idp.xml'),
      partner: 'https://idp.partner.example/metadata',
    })
    // What createSp gets carries no idpMetadata: serve turns it into the campaign's idp.
    expect(config.campaign).not.toHaveProperty('idpMetadata')
    expect(config.campaigns?.map((campaign) => Object.keys(campaign))).not.toContainEqual(
      expect.arrayContaining(['idpMetadata']),
    )
  })

  it('refuses idpMetadata on a JWT or OIDC campaign, naming the setting', async () => {
    const { reason } = await refusal(
      'campaigns:\n  - id: support\n  - id: shop\n    protocol: oidc\n    idpMetadata: idp.xml\n',
    )
    expect(reason).toContain(
      ':5:18 campaigns.1.idpMetadata: idpMetadata names a SAML IdP; this campaign signs in with oidc',
    )
  })

  it('names file, line, column and the dotted path of a bad setting', async () => {
    const { path, reason, issues } = await refusal(`campaigns:
  - id: support
  - id: shop
    protocol: ldap
`)
    expect(reason).toBe(
      `${path}:4:15 campaigns.1.protocol: Invalid option: expected one of "saml"|"jwt"|"oidc"`,
    )
    expect(issues).toEqual([reason])
  })

  it.each([
    [
      'an unknown key',
      'campaigns:\n  - id: support\n    colour: blue\n',
      ':3:13 campaigns.0: Unrecognized key: "colour"',
    ],
    [
      'a protocol on the root campaign (serve wires it)',
      'campaigns:\n  - protocol: jwt\n',
      ':2:15 campaigns.0: Unrecognized key: "protocol"',
    ],
    [
      'a further campaign without an id',
      'campaigns:\n  - id: support\n  - name: Shop\n',
      ':3:5 campaigns.1.id: Invalid input: expected string, received undefined',
    ],
    [
      'a campaign defined twice',
      'campaigns:\n  - id: support\n  - id: support\n',
      ':3:9 campaigns.1.id: campaign "support" is defined twice',
    ],
    [
      'a duration without a unit',
      'campaigns:\n  - id: support\n    sessionInactivity: "48"\n',
      ':3:24 campaigns.0.sessionInactivity: expected a duration such as 48h, 90m or 2d, got "48"',
    ],
    [
      'a session that ends at once',
      'campaigns:\n  - sessionInactivity: 0h\n',
      ':2:24 campaigns.0.sessionInactivity: must be longer than 0',
    ],
    [
      'a number for a duration',
      'campaigns:\n  - clockSkew: 60\n',
      ':2:16 campaigns.0.clockSkew: expected a duration such as 48h, 90m or 2d',
    ],
    [
      'a bad mapping target',
      'campaigns:\n  - mappings:\n      - { attribute: tier, field: tier }\n',
      ':3:35 campaigns.0.mappings.0.field: expected one of id, name, email',
    ],
    [
      'no campaign at all',
      'campaigns: []\n',
      `:1:12 campaigns.0: expected a list of campaigns, the first one the campaign at the SP's root`,
    ],
    [
      'campaigns that are not a list',
      'campaigns: { id: x }\n',
      `:1:12 campaigns: expected a list of campaigns, the first one the campaign at the SP's root`,
    ],
    ['no campaigns key', 'campaign:\n  - id: x\n', ':1:1 campaigns: expected a list'],
  ])('refuses %s', async (_what, text, expected) => {
    const { path, reason } = await refusal(text)
    expect(reason.startsWith(`${path}${expected}`), reason).toBe(true)
  })

  it('lists every problem, not only the first', async () => {
    const { issues } = await refusal(`campaigns:
  - signIn: sometimes
  - id: BAD ID
    protocol: oidc
`)
    expect(issues.map((issue) => issue.split(' ')[1]).sort()).toEqual([
      'campaigns.0.signIn:',
      'campaigns.1.id:',
    ])
  })

  it('refuses YAML that does not parse, with its line', async () => {
    const { path, reason } = await refusal('campaigns:\n  - id: a\n   name: [\n')
    expect(reason).toMatch(new RegExp(`^${path}:\\d+:\\d+ `))
  })

  it('refuses a file it cannot read', async () => {
    const missing = join(folder, 'missing.yaml')
    await expect(loadSpConfigFile(missing)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      reason: `cannot read campaigns file ${missing}`,
      evidence: { cause: 'ENOENT' },
    })
  })
})

describe('sp/campaigns/campaigns.schema.json', () => {
  it('is current: regenerate it with `npm run schemas` when this fails', () => {
    const published = JSON.parse(
      readFileSync(new URL('./campaigns.schema.json', import.meta.url), 'utf8'),
    )
    expect(published).toEqual(campaignsFileJsonSchema())
  })
})
