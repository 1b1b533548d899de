// Schemas shared by every feature's routes.
import { Type } from 'typebox';

export const ErrorSchema = Type.Object(
  { code: Type.Integer(), message: Type.String() },
  { $id: 'Error', description: 'Every error: a stable numeric code and a message.' },
);

/** A decimal 64-bit ID in a path or body. */
export const IdString = Type.String({ pattern: '^\\d{1,19}$' });

/** Error responses most authenticated routes can give. */
export const commonErrors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  // A rate limit of the route's category is spent (docs/security.md#rate-limits).
  429: ErrorSchema,
} as const;
