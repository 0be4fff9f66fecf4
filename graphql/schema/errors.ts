// Typed errors: every one implements Error { message }, so a client can always show something.
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { builder } from '../builder.ts';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'A problem the caller can act on.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldProblem = builder.objectRef<{ field: string; message: string }>('FieldProblem').implement({
  description: 'One input field and what is wrong with it.',
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input broke one or more rules; every problem is listed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fields: t.field({ type: [FieldProblem], resolve: (error) => error.fields }) }),
});

for (const [cls, name, description] of [
  [ForbiddenError, 'ForbiddenError', 'The caller may not do this.'],
  [NotFoundError, 'NotFoundError', 'What the input points to does not exist.'],
  [ConflictError, 'ConflictError', 'The current state of things does not allow this now.'],
] as const) {
  builder.objectType(cls, { name, description, interfaces: [ErrorInterface], isTypeOf: (value) => value instanceof cls, fields: () => ({}) });
}

export const MUTATION_ERRORS = [ValidationError, ForbiddenError, NotFoundError, ConflictError];
