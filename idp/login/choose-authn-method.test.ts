import { describe, expect, it } from 'vitest'
import { authnClasses } from '../../core/authn-context/classes.ts'
import type { Comparison } from '../../core/authn-context/requested-context.ts'
import { userSchema } from '../users/user.ts'
import { chooseAuthnMethod } from './choose-authn-method.ts'

const plain = userSchema.parse({ id: 'pat', name: 'Pat' })
const withCode = userSchema.parse({ id: 'otto', name: 'Otto', secondFactor: { code: '246810' } })
const always = userSchema.parse({
  id: 'ada',
  name: 'Ada',
  secondFactor: { code: '135790', always: true },
})
const { mfa, passwordProtectedTransport: ppt } = authnClasses
const binding = (classRefs: string[], comparison: Comparison = 'exact') => ({
  request: { classRefs, comparison },
  binding: true,
})

describe('chooseAuthnMethod', () => {
  it('asks nothing more without a request, except of a user who always gives the code', () => {
    expect(chooseAuthnMethod(withCode, 'password', undefined)).toEqual({
      kind: 'answer',
      method: 'password',
    })
    expect(chooseAuthnMethod(always, 'password', undefined)).toEqual({ kind: 'second-factor' })
  })

  it('steps a password sign-in up when MFA is asked and the user has a second factor', () => {
    expect(chooseAuthnMethod(withCode, 'password', binding([mfa]))).toEqual({
      kind: 'second-factor',
    })
    expect(chooseAuthnMethod(withCode, 'second-factor', binding([mfa]))).toEqual({
      kind: 'answer',
      method: 'second-factor',
    })
  })

  it('cannot meet a binding MFA request for a user without a second factor', () => {
    expect(chooseAuthnMethod(plain, 'password', binding([mfa]))).toEqual({ kind: 'unavailable' })
    expect(chooseAuthnMethod(plain, 'password', { ...binding([mfa]), binding: false })).toEqual({
      kind: 'answer',
      method: 'password',
    })
  })

  it('states the password class to an exact PasswordProtectedTransport request after MFA', () => {
    expect(chooseAuthnMethod(withCode, 'second-factor', binding([ppt]))).toEqual({
      kind: 'answer',
      method: 'password',
    })
    expect(chooseAuthnMethod(always, 'second-factor', binding([ppt]))).toEqual({
      kind: 'unavailable',
    })
  })

  it('minimum keeps what was done; maximum wants the strongest acceptable', () => {
    expect(chooseAuthnMethod(withCode, 'password', binding([ppt], 'minimum'))).toEqual({
      kind: 'answer',
      method: 'password',
    })
    expect(chooseAuthnMethod(withCode, 'password', binding([mfa], 'maximum'))).toEqual({
      kind: 'second-factor',
    })
    expect(chooseAuthnMethod(withCode, 'password', binding([ppt], 'better'))).toEqual({
      kind: 'second-factor',
    })
  })
})
