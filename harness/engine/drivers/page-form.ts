import {
  formTokenCookie,
  formTokenField,
  formTokenFor,
} from '../../../core/http/guard/form-token.ts'

/**
 * The fields a form of the target's own page posts: what the step gives, plus the form token
 * the IdP and SP add to every same-origin POST form they serve (core/http/guard/form-token.ts),
 * worked out from the browser's cookie as the page's hidden field holds it. A browser with no
 * such cookie has loaded no page with a form there, and posts without one.
 */
export function pageForm(
  form: Record<string, string>,
  cookies: ReadonlyArray<{ name: string; value: string }>,
): Record<string, string> {
  const cookie = cookies.find((candidate) => candidate.name === formTokenCookie)
  if (!cookie || formTokenField in form) return form
  return { ...form, [formTokenField]: formTokenFor(cookie.value) }
}
