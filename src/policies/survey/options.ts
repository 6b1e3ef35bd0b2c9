import * as z from 'zod';
import { durationOption } from '../../time/duration.js';

/** Options of the `survey` policy (`policies.survey` in the configuration). Calendar time. */
export const surveyOptions = z.strictObject({
  /** How long a matter stays resolved (not reopened) before asking about it. Default P1D. */
  settleAfter: durationOption('P1D'),
  /** How long a due survey window stays open. Default P14D. */
  answerWindow: durationOption('P14D'),
  /** No survey within this long of the previous one (a throttle, as in survey tools). Default P30D. */
  cooldown: durationOption('P30D'),
  /**
   * Opt-in: a `check-in` survey.due while a long matter is open and the journey shows risk (a
   * promise on it broken or overdue, a fix attempt failed or made things worse): ask while the
   * answer still matters. Off by default.
   */
  checkIn: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** How long the matter must have been open. Default P21D. */
      after: durationOption('P21D'),
    })
    .prefault({}),
});

export type SurveyOptions = z.output<typeof surveyOptions>;
