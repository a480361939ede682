import { parseConfig } from '../../core/config/parse-config.ts'
import type { RecordTable } from '../store/record-table.ts'
import { createSeededRegistry } from '../store/seeded-registry.ts'
import {
  type SpRegistration,
  type SpRegistrationInput,
  spRegistrationSchema,
} from './registration.ts'

export interface ServiceProviderRegistry {
  get(entityId: string): SpRegistration | undefined
  list(): SpRegistration[]
  register(input: unknown): SpRegistration
}

export function createServiceProviderRegistry(
  initial: SpRegistrationInput[] = [],
  stored?: RecordTable<SpRegistration>,
): ServiceProviderRegistry {
  const { get, list, register } = createSeededRegistry(
    (input) => parseConfig(spRegistrationSchema, input, 'serviceProvider'),
    (sp) => sp.entityId,
    initial,
    stored,
  )
  return { get, list, register }
}
