import type { Context } from 'hono'
import { statusCodes } from '../../core/saml/constants.ts'
import type { IdpContext } from '../context.ts'
import { respondWithToken } from '../jwt/respond-with-token.ts'
import { respondWithCode } from '../oidc/respond-with-code.ts'
import { respond } from '../response/respond.ts'
import type { Flow, FlowOutcome } from '../sso/flows.ts'

// How a failed sign-in is said in SAML (saml-core §3.2.2.2).
const samlFailures = {
  cancelled: { status: statusCodes.authnFailed, message: 'the user cancelled the sign-in' },
  'login-required': { status: statusCodes.noPassive, message: 'no IdP session and IsPassive' },
  'no-authn-context': {
    status: statusCodes.noAuthnContext,
    message: 'no authentication context the request allows is available to this user',
  },
} as const

/** Answers a flow in its own protocol: a SAML Response, a JWT to the return_url, or an OIDC code. */
export function answerFlow(ctx: IdpContext, c: Context, flow: Flow, outcome: FlowOutcome) {
  switch (flow.kind) {
    case 'saml':
      return respond(
        ctx,
        c,
        flow,
        outcome.kind === 'success' ? outcome : { kind: 'failure', ...samlFailures[outcome.reason] },
      )
    case 'jwt':
      return respondWithToken(ctx, c, flow, outcome)
    case 'oidc':
      return respondWithCode(ctx, c, flow, outcome)
  }
}
