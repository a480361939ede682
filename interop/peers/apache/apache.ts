import { chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LabEnvironment } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'

export interface ApacheInstance {
  serverRoot: string
  errorLog: string
  accessLog: string
}

/** Replaces every `@@NAME@@` of a template; a placeholder left unset is an error, not a blank. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const out = template.replace(/@@([A-Z_]+)@@/g, (whole, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`template placeholder ${whole} has no value`)
    return value
  })
  return out
}

/** Reads a template that sits beside a peer's code. */
export function readTemplate(moduleUrl: string, name: string): string {
  return readFileSync(new URL(name, moduleUrl), 'utf8')
}

/** Apache refuses to serve as root: as root, workers run as www-data, who must write its folders. */
export function workerUser(): { directive: string; chown(path: string): void } {
  if (process.getuid?.() !== 0) return { directive: '', chown: () => {} }
  const [uid, gid] = ['passwd', 'group'].map((db) => idOf(db, 'www-data'))
  return {
    directive: 'User www-data\nGroup www-data',
    chown: (path) => chownSync(path, uid ?? 33, gid ?? 33),
  }
}

function idOf(database: string, name: string): number | undefined {
  const line = readFileSync(`/etc/${database}`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`))
  const id = line?.split(':')[2]
  return id === undefined ? undefined : Number(id)
}

/** The PHP module Debian's libapache2-mod-php installed (its file name carries the version). */
export function phpModule(): string {
  const dir = '/usr/lib/apache2/modules'
  const found = readdirSync(dir).find((file) => /^libphp[\d.]*\.so$/.test(file))
  if (!found) throw new Error(`no libphp*.so in ${dir}: install libapache2-mod-php`)
  return `LoadModule php_module ${join(dir, found)}\n<FilesMatch "\\.php$">\n    SetHandler application/x-httpd-php\n</FilesMatch>`
}

/**
 * Writes `<serverRoot>/httpd.conf` from the shared template plus the peer's `body`, starts
 * `apache2 -f … -DFOREGROUND` under the lab's supervisor, and waits until `readyUrl` answers.
 */
export async function startApache(
  env: LabEnvironment,
  options: { name: string; port: number; body: string; readyUrl: string },
): Promise<ApacheInstance> {
  const serverRoot = join(env.runDir, options.name, 'apache')
  mkdirSync(join(serverRoot, 'htdocs'), { recursive: true })
  const logDir = join(env.runDir, 'logs')
  const user = workerUser()
  const conf = renderTemplate(readTemplate(import.meta.url, 'httpd.conf.in'), {
    NAME: options.name,
    SERVER_ROOT: serverRoot,
    PORT: String(options.port),
    LOG_DIR: logDir,
    USER: user.directive,
    BODY: options.body,
  })
  const confFile = join(serverRoot, 'httpd.conf')
  writeFileSync(confFile, conf)
  const process = env.supervisor.spawn({
    name: `${options.name}-apache`,
    command: '/usr/sbin/apache2',
    args: ['-f', confFile, '-DFOREGROUND'],
    // Debian's apache2 reads these from envvars when started by apache2ctl; the lab sets them.
    env: { APACHE_RUN_DIR: serverRoot, APACHE_LOCK_DIR: serverRoot, APACHE_LOG_DIR: logDir },
  })
  await poll(`${options.name} Apache at ${options.readyUrl}`, { process, timeoutMs: 60_000 }, () =>
    env.fetch(new Request(options.readyUrl)).then(
      (response) => response.status < 500,
      () => false,
    ),
  )
  return {
    serverRoot,
    errorLog: join(logDir, `${options.name}-error.log`),
    accessLog: join(logDir, `${options.name}-access.log`),
  }
}
