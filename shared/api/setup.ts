import { z } from 'zod';
import { command, query, NOT_WARD_DATA } from './define';
import { Name, NoInput } from './fields';
import { Password, SessionUserSchema, Username } from './auth';

export const SetupStatusSchema = z.object({
  /** True while the database has no user: the first-run screen is shown. */
  needsSetup: z.boolean(),
  hasData: z.boolean(),
});

export const NewAdminSchema = z.strictObject({
  username: Username,
  displayName: Name(40),
  password: Password,
});

export const setup = {
  status: query({ input: NoInput, output: SetupStatusSchema, scope: NOT_WARD_DATA, access: 'public' }),
  /** First run only: creates the administrator and logs the window in. */
  createAdmin: command({ input: NewAdminSchema, output: SessionUserSchema, scope: NOT_WARD_DATA, access: 'public' }),
  /** First run only: builds the deterministic demo network and logs in as its administrator. */
  loadDemo: command({
    input: z.strictObject({
      seed: z
        .number()
        .int()
        .min(1)
        .max(2 ** 31 - 1)
        .optional(),
    }),
    output: z.object({ patients: z.number().int(), beds: z.number().int(), user: SessionUserSchema, password: z.string() }),
    scope: NOT_WARD_DATA,
    access: 'public',
  }),
};
