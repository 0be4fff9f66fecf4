// Errors that a person can act on. Every one carries a message fit to show as it is and a stable code
// a program can branch on (docs/error-codes.md); GraphQL returns them as typed results and Slack shows
// them beside the field they concern.

/** What went wrong, for programs: stable across releases, unlike the messages. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'The input broke one or more rules; each field problem has its own code.',
  FORBIDDEN: 'The caller may not do this.',
  MISSING_SCOPE: 'The API token lacks the scope this needs (read, write or admin).',
  USER_TOKEN_REQUIRED: 'This needs a directory user: a token bound to a user, or a linked Slack user.',
  NOT_GLOBAL_ADMINISTRATOR: 'Only a Global Administrator may do this.',
  NOT_REQUESTER: 'Only the person who requested the portal may answer its terms of service.',
  SLACK_USER_NOT_LINKED: 'The Slack user matches no directory user (no e-mail on the profile, or no such user).',
  NOT_FOUND: 'What the input points to does not exist.',
  CONFLICT: 'The current state of things does not allow this now.',
  INVALID_TRANSITION: "The portal's status does not allow this step; the message says what does.",
  PORTAL_CONFIGURING: 'The portal is being configured; try again when it is done.',
  TERMS_NOT_AWAITED: 'The terms of this portal can no longer be answered.',
  TERMS_NOT_ACCEPTED: 'Consent comes after accepting the terms of service.',
  PORTAL_NOT_PROVISIONED: 'Only a provisioned portal can have a custom domain.',
  CUSTOM_DOMAIN_EXISTS: 'The portal already has its one custom domain.',
  HOSTNAME_TAKEN: 'The host name is the custom domain of another portal.',
  PLATFORM_REFUSED: 'The portal platform could not do it now; nothing changed, try again later.',
  TOKEN_NAME_AMBIGUOUS: 'Several live API tokens have this name: give the number.',
  TOKEN_ALREADY_REVOKED: 'The API token was revoked before.',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** What is wrong with one input field, for programs. */
export const FIELD_PROBLEM_CODES = {
  INVALID: 'The value breaks a rule of the field; the message says which.',
  MALFORMED_ID: 'The value is not a global ID of the expected type.',
  UNKNOWN_REFERENCE: 'The ID or e-mail is well formed but names nothing that exists.',
  SUBDOMAIN_TAKEN: 'Another portal, here or on the portal platform, has this subdomain.',
  HOSTNAME_TAKEN: 'Another portal has this host name as its custom domain.',
  NO_LICENSE_AVAILABLE: 'Every portal license of the tenant is in use.',
  TERMS_VERSION_STALE: 'The terms of service changed since the version given: read the new one and accept it.',
} as const;
export type FieldProblemCode = keyof typeof FIELD_PROBLEM_CODES;

export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: ErrorCode;
  constructor(message: string, code: ErrorCode) {
    super(message);
    this.code = code;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
  code: FieldProblemCode;
}

/** Input broke one or more rules; every problem is listed at once. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  readonly fields: FieldProblem[];
  constructor(fields: ReadonlyArray<Omit<FieldProblem, 'code'> & { code?: FieldProblemCode }>) {
    super(
      fields.length === 1 ? (fields[0]?.message ?? 'The input is not valid.') : `The input has ${fields.length} problems. ${fields.map((f) => f.message).join(' ')}`,
      'VALIDATION_FAILED',
    );
    this.fields = fields.map((f) => ({ field: f.field, message: f.message, code: f.code ?? 'INVALID' }));
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  constructor(message: string, code: ErrorCode = 'FORBIDDEN') {
    super(message, code);
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(message: string, code: ErrorCode = 'NOT_FOUND') {
    super(message, code);
  }
}

/** The request is valid but the current state of things does not allow it. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(message: string, code: ErrorCode = 'CONFLICT') {
    super(message, code);
  }
}

/** Collects field problems and throws them together. */
export class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string, code: FieldProblemCode = 'INVALID'): void {
    this.list.push({ field, message, code });
  }
  has(field: string): boolean {
    return this.list.some((p) => p.field === field);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}
