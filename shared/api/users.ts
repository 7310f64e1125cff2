import { z } from 'zod';
import { command, query, ADMIN_ONLY } from './define';
import { RowVersion } from './version';
import { Id, InstantOut, Name, NoInput, Ok } from './fields';
import { Password, Username } from './auth';
import { ROLES, type Role } from '../domain/enums';

/**
 * Roles whose access is limited to their assigned wards (DESIGN.md §6). A user of these roles with no
 * ward assigned works in every ward, so a small hospital (and the demo) needs no assignment at all.
 */
export const WARD_SCOPED_ROLES: readonly Role[] = ['ward_doctor', 'nurse'];

const WardIds = z.array(Id).max(500);

export const UserSchema = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  wardIds: z.array(Id),
  createdAt: InstantOut,
  lastLoginAt: InstantOut.nullable(),
  /** Set while the account waits after repeated wrong passwords. */
  lockedUntil: InstantOut.nullable(),
  /** Bumped by what an administrator edits (name, role, active, password, wards), not by logins. */
  version: RowVersion,
});
export type User = z.infer<typeof UserSchema>;

export const NewUserSchema = z.strictObject({
  username: Username,
  displayName: Name(40),
  role: z.enum(ROLES),
  password: Password,
  wardIds: WardIds.default([]),
});
export type NewUserInput = z.input<typeof NewUserSchema>;

export const UserUpdateSchema = z.strictObject({
  userId: Id,
  displayName: Name(40).optional(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
  version: RowVersion,
});

export const ResetPasswordSchema = z.strictObject({ userId: Id, password: Password, version: RowVersion });

/** Account management on the Admin screen: administrators only. Users are deactivated, never deleted. */
export const users = {
  list: query({ input: NoInput, output: z.array(UserSchema), scope: ADMIN_ONLY, access: ['admin'] }),
  create: command({ input: NewUserSchema, output: UserSchema, scope: ADMIN_ONLY, access: ['admin'] }),
  update: command({ input: UserUpdateSchema, output: UserSchema, scope: ADMIN_ONLY, access: ['admin'] }),
  /** Sets a new password and lifts a lockout. */
  resetPassword: command({ input: ResetPasswordSchema, output: Ok, scope: ADMIN_ONLY, access: ['admin'] }),
  setWards: command({ input: z.strictObject({ userId: Id, wardIds: WardIds, version: RowVersion }), output: UserSchema, scope: ADMIN_ONLY, access: ['admin'] }),
};
