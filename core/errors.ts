// Errors that a person can act on. Every one carries a message fit to show as it is; GraphQL
// returns them as typed results and Slack shows them beside the field they concern.

export class DomainError extends Error {
  override name = 'DomainError';
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Input broke one or more rules; every problem is listed at once. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(readonly fields: FieldProblem[]) {
    super(
      fields.length === 1
        ? (fields[0]?.message ?? 'The input is not valid.')
        : `The input has ${fields.length} problems. ${fields.map((f) => f.message).join(' ')}`,
    );
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** The request is valid but the current state of things does not allow it. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** Collects field problems and throws them together. */
export class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  has(field: string): boolean {
    return this.list.some((p) => p.field === field);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}
