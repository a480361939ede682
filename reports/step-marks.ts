import type { StepResult } from './model.ts'

/** How a step's status is shown in every report: ✓ passed, ✗ failed, – not run. */
export const stepMarks: Record<StepResult['status'], string> = {
  passed: '✓',
  failed: '✗',
  'not-run': '–',
}
