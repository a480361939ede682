import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { type ErrorCode, SsoError } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'
import { renderHtml } from '../../core/http/render-html.ts'
import type { SpContext } from '../context.ts'
import { askOrFinish } from './complete-sign-in.tsx'
import type { MappedProfile } from './map-profile.ts'

/**
 * GET and POST /account/email and /account/username: the questions a first sign-on asks once
 * when the campaign needs a field the IdP did not send (inSided: "would otherwise be requested
 * from the user to fill in manually"). The answer joins the parked sign-in; the next question,
 * or the session, follows (complete-sign-in.tsx). A typed email is never "verified": it links
 * no account made before SSO.
 */
const questions = {
  email: {
    title: 'Your email address',
    text: 'This is your first sign-in here and your sign-in service sent no email address.',
    label: 'Email',
    type: 'email',
    pattern: /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,63}$/,
    invalid: ['SP_ACCOUNT_EMAIL_INVALID', 'enter an email address such as ann@example.com'],
    taken: ['SP_ACCOUNT_EMAIL_CONFLICT', 'another account already uses this email address'],
  },
  username: {
    title: 'Choose a username',
    text: 'This is your first sign-in here. Choose the username other people will see.',
    label: 'Username',
    type: 'text',
    pattern: /^[A-Za-z0-9._-]{2,40}$/,
    invalid: ['SP_ACCOUNT_USERNAME_INVALID', 'choose 2 to 40 letters, digits, ".", "_" or "-"'],
    taken: ['SP_ACCOUNT_USERNAME_TAKEN', 'another account already uses this username'],
  },
} as const

export type ProfileQuestion = keyof typeof questions

export async function handleProfileQuestion(
  ctx: SpContext,
  c: Context,
  field: ProfileQuestion,
): Promise<Response> {
  const cookie = getCookie(c, ctx.cookies.signIn)
  const pending = ctx.pendingSignIns.get(cookie)
  if (!cookie || !pending) {
    throw new SsoError('SP_SIGN_IN_EXPIRED', 'sign-in', `no sign-in is waiting for a ${field}`, {})
  }
  c.header('Cache-Control', 'no-store')
  if (c.req.method !== 'POST') return c.html(renderHtml(<QuestionPage field={field} />))
  const form = await c.req.parseBody()
  const answer = typeof form[field] === 'string' ? form[field].trim() : ''
  const question = questions[field]
  const refuse = ([code, reason]: readonly [ErrorCode, string]) =>
    c.html(
      renderHtml(
        <QuestionPage
          field={field}
          answer={answer}
          error={new SsoError(code, field, reason, {})}
        />,
      ),
      400,
    )
  if (!question.pattern.test(answer)) return refuse(question.invalid)
  const profile: MappedProfile = { ...pending.mapping.profile, [field]: answer }
  try {
    // Typed by the visitor, not vouched for by the IdP: never a reason to link an account.
    ctx.contacts.assertAvailable(pending.key, { [field]: answer })
  } catch {
    return refuse(question.taken)
  }
  ctx.pendingSignIns.delete(cookie)
  return askOrFinish(ctx, c, {
    ...pending,
    ...(field === 'email' ? { emailTyped: true } : {}),
    mapping: { ...pending.mapping, profile },
  })
}

function QuestionPage(props: { field: ProfileQuestion; answer?: string; error?: SsoError }) {
  const question = questions[props.field]
  return (
    <Layout title={question.title} side="SP">
      <h1>One more thing</h1>
      <p>{question.text}</p>
      {props.error ? (
        <p class="error" id={`${props.field}-error`}>
          {props.error.reason} <code id="error-code">{props.error.code}</code>
        </p>
      ) : null}
      <form method="post" id={`${props.field}-form`}>
        <label for={props.field}>{question.label}</label>
        <input
          type={question.type}
          id={props.field}
          name={props.field}
          value={props.answer ?? ''}
          required
        />
        <p>
          <button type="submit">Continue</button>
        </p>
      </form>
    </Layout>
  )
}
