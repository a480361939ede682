/**
 * How the console names a mapped field: the system fields by their label, custom fields and
 * variables by their key in words (`customerNumber` → "Customer number") with what they are.
 */
const systemLabels: Record<string, string> = {
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  department: 'Department',
  product: 'Product',
  username: 'Username',
  avatar: 'Avatar',
  roles: 'Roles',
}

function words(key: string): string {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

export function fieldLabel(field: string): { label: string; kind: string | null } {
  const system = systemLabels[field]
  if (system) return { label: system, kind: null }
  const [prefix, key = ''] = field.split(/:(.*)/s)
  if (prefix === 'custom') return { label: words(key), kind: 'custom field' }
  if (prefix === 'variable') return { label: words(key), kind: 'variable' }
  return { label: words(field), kind: null }
}
