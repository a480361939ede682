import { describe, expect, it } from 'vitest'
import { fieldLabel } from './field-labels.ts'

describe('console field labels', () => {
  it('names system fields, custom fields and variables for a person', () => {
    expect(fieldLabel('email')).toEqual({ label: 'Email', kind: null })
    expect(fieldLabel('variable:customerNumber')).toEqual({
      label: 'Customer number',
      kind: 'variable',
    })
    expect(fieldLabel('custom:cost_centre')).toEqual({ label: 'Cost centre', kind: 'custom field' })
    expect(fieldLabel('custom:a:b')).toEqual({ label: 'A:b', kind: 'custom field' })
  })
})
