import { z } from 'zod';

/**
 * The version of an editable row as the screen showed it (issue 15, no lost updates): outputs carry it,
 * and an edit sends back the one it was made against. The core refuses the edit when the row has
 * changed since (electron/core/records/versions.ts), naming who changed it and when.
 */
export const RowVersion = z.number().int().positive();
