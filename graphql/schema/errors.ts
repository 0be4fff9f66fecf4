// Typed errors: every one implements Error { code, message }, so a client can always show something
// and a program can branch on the code without reading English (docs/error-codes.md).
import { ConflictError, type DomainError, ERROR_CODES, FIELD_PROBLEM_CODES, ForbiddenError, NotFoundError, type FieldProblem as Problem, ValidationError } from '../../core/errors.ts';
import { builder } from '../builder.ts';

/** An enum whose values carry their meaning as descriptions. */
function describedValues<K extends string>(codes: Record<K, string>): Record<K, { description: string }> {
  return Object.fromEntries(Object.entries<string>(codes).map(([code, description]) => [code, { description }])) as Record<K, { description: string }>;
}

const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'What went wrong, stable across releases: branch on this, show the message.',
  values: describedValues(ERROR_CODES),
});

const FieldProblemCodeEnum = builder.enumType('FieldProblemCode', {
  description: 'What is wrong with one input field, stable across releases.',
  values: describedValues(FIELD_PROBLEM_CODES),
});

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'A problem the caller can act on.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, nullable: false, resolve: (error) => error.code }),
    message: t.exposeString('message'),
  }),
});

const FieldProblem = builder.objectRef<Problem>('FieldProblem').implement({
  description: 'One input field and what is wrong with it.',
  fields: (t) => ({
    code: t.field({ type: FieldProblemCodeEnum, nullable: false, resolve: (problem) => problem.code }),
    field: t.exposeString('field'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input broke one or more rules (code VALIDATION_FAILED); every problem is listed with its own code.',
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
