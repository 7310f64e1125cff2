import { z } from 'zod';
import { command, query, NOT_WARD_DATA } from './define';
import { Id, NoInput, Ok } from './fields';
import { ROLES } from '../domain/enums';

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[a-z0-9._-]+$/i, { error: 'validation.username' });
export const Password = z.string().min(8).max(128);

export const SessionUserSchema = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

/** The window's session: its user, and whether the screen is locked (idle lock) until the password is given again. */
export const SessionStateSchema = SessionUserSchema.extend({ locked: z.boolean() });

export const ChangePasswordSchema = z.strictObject({ oldPassword: z.string().min(1).max(128), newPassword: Password });
export type ChangePasswordInput = z.input<typeof ChangePasswordSchema>;

export const auth = {
  /** Logs the calling window in. The session is held by main, never sent by the renderer. */
  login: command({
    input: z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) }),
    output: SessionUserSchema,
    scope: NOT_WARD_DATA,
    access: 'public',
  }),
  logout: command({ input: NoInput, output: z.object({ ok: z.literal(true) }), scope: NOT_WARD_DATA, access: 'authenticated' }),
  session: query({ input: NoInput, output: SessionStateSchema.nullable(), scope: NOT_WARD_DATA, access: 'public' }),
  /** Locks the window's session (idle lock): every call but unlock and logout is refused until unlocked. */
  lock: command({ input: NoInput, output: Ok, scope: NOT_WARD_DATA, access: 'authenticated' }),
  /** Unlocks with the password of the session's own user; wrong passwords count towards the lockout. */
  unlock: command({ input: z.strictObject({ password: z.string().min(1).max(128) }), output: SessionUserSchema, scope: NOT_WARD_DATA, access: 'authenticated' }),
  /**
   * Changes the session user's own password, under the rules of users:create. The old password is
   * required and counts towards the lockout; the account's other sessions end, this window's carries on.
   */
  changePassword: command({ input: ChangePasswordSchema, output: Ok, scope: NOT_WARD_DATA, access: 'authenticated' }),
  /** Users shown on the login screen of a shared ward workstation. */
  loginUsers: query({
    input: NoInput,
    output: z.array(z.object({ username: z.string(), displayName: z.string(), role: z.enum(ROLES) })),
    scope: NOT_WARD_DATA,
    access: 'public',
  }),
};
