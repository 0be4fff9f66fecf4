// Errors about the request's own values (variables and literals) say what is wrong and where, never the
// value: it may be a .pfx, its password or a token, and an answer is read by proxies, browsers and logs.
import {
  type ASTNode,
  coerceInputValue,
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isSpecifiedScalarType,
  Kind,
  type OperationDefinitionNode,
  print,
  typeFromAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

const VALUE_KINDS: Partial<Record<Kind, string>> = {
  [Kind.INT]: 'an integer',
  [Kind.FLOAT]: 'a number',
  [Kind.STRING]: 'a string',
  [Kind.BOOLEAN]: 'a boolean',
  [Kind.NULL]: 'null',
  [Kind.ENUM]: 'an enum value',
  [Kind.LIST]: 'a list',
  [Kind.OBJECT]: 'an object',
};

// Variables that cannot be coerced are a request error: no data, so a client that accepts
// application/graphql-response+json gets 400, and one that accepts application/json keeps its 200
// (Yoga skips a status marked `spec` for application/json).
function badInput(message: string, nodes?: readonly ASTNode[] | ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes, extensions: { code: 'BAD_USER_INPUT', http: { spec: true, status: 400 } } });
}

/** The input type at `path` inside `type`: list indexes step into the item type, names into a field. */
function typeAt(type: GraphQLInputType, path: ReadonlyArray<string | number>): GraphQLInputType | undefined {
  let current: GraphQLInputType | undefined = type;
  for (const step of path) {
    while (current && isNonNullType(current)) current = current.ofType;
    if (current && isListType(current) && typeof step === 'number') current = current.ofType;
    else if (current && isInputObjectType(current) && typeof step === 'string') current = current.getFields()[step]?.type;
    else return undefined;
  }
  return current;
}

/** What a leaf of this type accepts, in words that do not depend on the value that was sent. */
function expected(type: GraphQLInputType | undefined): string {
  const named = type && getNamedType(type);
  if (!named) return 'This value has the wrong type.';
  if (isEnumType(named))
    return `Expected one of ${named
      .getValues()
      .map((v) => v.name)
      .join(', ')} (enum "${named.name}").`;
  if (isInputObjectType(named)) return `Expected an object of type "${named.name}".`;
  // Our own scalars say what form they take; the built-in ones are known by name.
  const form = !isSpecifiedScalarType(named) && named.description ? `: ${named.description}` : '.';
  return `Expected a value of type "${named.name}"${form}`;
}

/**
 * graphql-js builds these from the schema and the names of the keys sent, never from a value; any
 * other reason (a scalar refusing a value, which prints it) is replaced by what the type expects.
 */
const STRUCTURAL_REASONS = [
  /^Field "[^"]*" of required type "[^"]*" was not provided\.$/,
  /^Field "[^"]*" is not defined by type "[^"]*"\.$/,
  /^Expected type "[^"]*" to be an object\.$/,
  /^Expected non-nullable type "[^"]*" not to be null\.$/,
  /^Exactly one key must be specified for OneOf type "[^"]*"\.$/,
  /^Field "[^"]*" must be non-null\.$/,
];

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

/**
 * Coerces the variables of the operation that will run, as execution would, and reports every problem
 * without the value. Run before execution, so neither graphql-js nor graphql-jit (whose messages print
 * the whole variable) ever meets an invalid variable.
 */
export function variableProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const operation = operationOf(document, operationName);
  if (!operation) return [];
  const inputs = variables ?? {};
  const problems: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    // A type that is not an input type is a validation error, reported before execution.
    if (!type || !isInputType(type)) continue;
    if (!Object.hasOwn(inputs, name)) {
      if (!definition.defaultValue && isNonNullType(type)) problems.push(badInput(`Variable "$${name}" of required type "${String(type)}" was not provided.`, definition));
      continue;
    }
    const value = inputs[name];
    if (value === null && isNonNullType(type)) {
      problems.push(badInput(`Variable "$${name}" of non-null type "${String(type)}" must not be null.`, definition));
      continue;
    }
    coerceInputValue(
      value,
      type,
      (path, _invalid, error) => {
        const where = path.length > 0 ? ` at "${name}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}"` : '';
        const reason = STRUCTURAL_REASONS.some((r) => r.test(error.message)) ? error.message : expected(typeAt(type, path));
        problems.push(badInput(`Variable "$${name}" is not valid${where}: ${reason}`, definition));
      },
      true,
    );
  }
  return problems;
}

/**
 * A validation error about a literal prints the literal ("found {password: ...}", "non string value:
 * 123"): the printed node is replaced by its kind, so the message still says what was wrong.
 */
export function withoutLiteral(error: GraphQLError): GraphQLError {
  let message = error.message;
  for (const node of error.nodes ?? []) {
    const kind = VALUE_KINDS[node.kind];
    if (!kind) continue;
    const printed = print(node);
    message = message.split(`found ${printed}`).join(`found ${kind}`).split(`: ${printed}`).join(`: ${kind}`);
  }
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: error.extensions });
}

/** graphql-jit's own coercion message, should one get past variableProblems: its text repeats the value. */
const ECHOED_VARIABLE = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;

/** Keeps the request's values out of every error about them. */
export function useQuietInputErrors(): Plugin {
  return {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((e) => (e instanceof GraphQLError ? withoutLiteral(e) : e)));
      },
    onExecute: ({ args, setResultAndStopExecution }) => {
      const problems = variableProblems(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown>);
      if (problems.length > 0) {
        setResultAndStopExecution({ errors: problems });
        return;
      }
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (!('errors' in result) || !result.errors?.some((e) => ECHOED_VARIABLE.test(e.message))) return;
          setResult({
            ...result,
            errors: result.errors.map((e) => {
              const echoed = ECHOED_VARIABLE.exec(e.message);
              return echoed ? badInput(`Variable "$${echoed[1]}" is not valid.`, e.nodes) : e;
            }),
          });
        },
      };
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const problems = variableProblems(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown>);
      if (problems.length > 0) setResultAndStopExecution({ errors: problems });
    },
  };
}
