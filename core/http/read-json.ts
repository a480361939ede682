import { SsoError } from '../errors/index.ts'

/** An admin or API call's JSON body; anything else is CONFIG_INVALID naming the body. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw new SsoError('CONFIG_INVALID', 'body', 'the request body is not valid JSON', {})
  }
}
