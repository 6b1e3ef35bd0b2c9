import * as z from 'zod';
import { durationOption } from '../../time/duration.js';
import { weightsSchema } from './weights.js';

/** Options of the `burden` policy (`policies.burden` in the configuration). */
export const burdenOptions = z.strictObject({
  /** Rolling window over which burden is remembered across matters (calendar time). Default P180D. */
  window: durationOption('P180D'),
  /**
   * Escalation levels: the scores at which `burden.escalated` is raised, ascending. Level 1
   * (default 10) is a warning, level 2 (25) a breach, level 3 and above (50) critical.
   */
  levels: z
    .array(z.number().finite().positive())
    .min(1)
    .refine((levels) => levels.every((v, i) => i === 0 || v > (levels[i - 1] as number)), {
      message: 'levels must be strictly ascending',
      params: { rule: 'ascending' },
    })
    .default([10, 25, 50]),
  /** Points per unit of each driver; see `defaultWeights`. */
  weights: weightsSchema,
});

export type BurdenOptions = z.output<typeof burdenOptions>;
