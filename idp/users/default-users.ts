import type { IdpUserInput } from './user.ts'

/** The built-in visitors, used when no users file is given. Passwords are for the mock only. */
export const defaultUsers: IdpUserInput[] = [
  {
    id: 'alice',
    name: 'Alice Andersen',
    email: 'alice@example.com',
    phone: '+1 555 0100',
    company: 'Example Corp',
    department: 'Purchasing',
    membershipLevel: 'gold',
    attributes: { customerNumber: 'C-1001', productService: 'Enterprise plan' },
  },
  {
    id: 'bob',
    name: 'Bob Brown',
    email: 'bob@example.com',
    phone: '+1 555 0101',
    company: 'Brown & Sons',
    membershipLevel: 'standard',
    attributes: { customerNumber: 'C-1002' },
  },
  {
    id: 'carol',
    name: 'Carol Chen',
    email: 'carol@example.org',
    company: 'Chen Holdings',
    membershipLevel: 'vip',
    password: 'carol-secret',
    attributes: { customerNumber: 'C-1003', customRoles: ['beta-tester', 'moderator'] },
  },
  {
    id: 'dave',
    name: 'Dave Doe',
    attributes: {},
  },
]
