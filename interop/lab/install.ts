import { spawnSync } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'

/** The Debian packages of `packages` that are not installed. */
export function missingPackages(packages: string[]): string[] {
  return [...new Set(packages)].filter((name) => installedVersion(name) === undefined)
}

/** The installed version of a Debian package, or undefined. */
export function installedVersion(name: string): string | undefined {
  // dpkg-query's own placeholders: ${Status} and ${Version}.
  const format = ['Status', 'Version'].map((field) => `\${${field}}`).join('\t')
  const result = spawnSync('dpkg-query', ['-W', '-f', format, name], {
    encoding: 'utf8',
  })
  if (result.status !== 0) return undefined
  const [status, version] = result.stdout.split('\t')
  return status?.endsWith(' installed') ? version : undefined
}

export type InstallOutcome = { ok: true; installed: string[] } | { ok: false; message: string }

/**
 * Installs what is missing with apt-get when running as root; otherwise says what to install.
 * Debian starts a service when its package is installed (apache2 on port 80, shibd): a
 * policy-rc.d that refuses every start keeps the system's own instances down during the install.
 */
export function installPackages(packages: string[], log: (line: string) => void): InstallOutcome {
  const missing = missingPackages(packages)
  if (missing.length === 0) return { ok: true, installed: [] }
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    return {
      ok: false,
      message: `the interop lab needs these Debian packages: ${missing.join(' ')}\n  install them as root: sudo ${command}`,
    }
  }
  log(`interop: installing ${missing.join(' ')} with apt-get`)
  const policy = '/usr/sbin/policy-rc.d'
  const ownPolicy = !existsSync(policy)
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 })
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env })
    const install = spawnSync('apt-get', command.split(' ').slice(1), { stdio: 'inherit', env })
    if (update.status !== 0 || install.status !== 0) {
      return { ok: false, message: `apt-get could not install ${missing.join(' ')}` }
    }
  } finally {
    if (ownPolicy) rmSync(policy, { force: true })
  }
  const still = missingPackages(missing)
  if (still.length > 0)
    return { ok: false, message: `still missing after apt-get: ${still.join(' ')}` }
  return { ok: true, installed: missing }
}
