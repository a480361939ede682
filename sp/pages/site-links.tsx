/** One page of the SP that every home page links to. */
export interface SiteLink {
  label: string
  href: string
}

/**
 * Every page a person opens by hand on this SP, in the order a tester needs them: each campaign's
 * messenger, the agent console, the admin view (agent SSO), the diagnostics and the guided check
 * (`ssoproof sp`). createSp fills it once every part is mounted.
 */
export function siteLinks(parts: {
  campaigns: readonly { name: string; pathPrefix: string }[]
  agentConsole: boolean
  admin: boolean
  diagnostics: boolean
  checkAll: boolean
}): SiteLink[] {
  return [
    { label: 'Home', href: '/' },
    ...parts.campaigns.map((campaign) => ({
      label: `${campaign.name} messenger`,
      href: `${campaign.pathPrefix}/messenger`,
    })),
    ...(parts.agentConsole ? [{ label: 'Agent console', href: '/agent' }] : []),
    ...(parts.admin ? [{ label: 'Admin', href: '/admin' }] : []),
    ...(parts.diagnostics ? [{ label: 'Diagnostics', href: '/diagnostics' }] : []),
    ...(parts.checkAll ? [{ label: 'Check all', href: '/check-all' }] : []),
  ]
}

/** The SP's navigation bar; `aria-current` on the page it is on. */
export function SiteNav(props: { links: readonly SiteLink[]; current?: string }) {
  if (props.links.length === 0) return null
  return (
    <nav id="site-nav" aria-label="ssoproof SP">
      {props.links.map((link) => (
        <a href={link.href} aria-current={link.href === props.current ? 'page' : undefined}>
          {link.label}
        </a>
      ))}
    </nav>
  )
}
