// Bounds on lists a client sends, and their weight in the cost of an operation. A list argument is
// one token in the query text but a statement variable per item (SQLite takes at most 32,766) and a
// resolution of the selection per item, so it is bounded before it is coerced, and each item counts
// its selection once against the cost limit.
import type { ExecutionArgs, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import { Kind } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** As many items as a connection page holds. */
export const MAX_LIST_ITEMS = 100;
/** The cost limit of the whole operation, with every list item counted. */
export const MAX_OPERATION_COST = 50_000;

function refused(message: string) {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

function tooLong(where: string, items: number, max: number) {
  return refused(`${where} holds ${items} items; a list may hold at most ${max}. Send the rest in another request.`);
}

/** Throws on the first array longer than `max` anywhere in `value` (a variable's value, as sent). */
function checkVariable(value: unknown, path: string, max: number): void {
  if (Array.isArray(value)) {
    if (value.length > max) throw tooLong(`Variable "${path}"`, value.length, max);
    for (const item of value) checkVariable(item, path, max);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkVariable(item, `${path}.${key}`, max);
  }
}

/** How many items an argument's value holds: a list literal's length, or that of the variable it names. */
function itemsOf(node: ValueNode, variables: Record<string, unknown>, where: string, max: number): number {
  switch (node.kind) {
    case Kind.LIST: {
      if (node.values.length > max) throw tooLong(where, node.values.length, max);
      for (const value of node.values) itemsOf(value, variables, where, max);
      return node.values.length;
    }
    case Kind.OBJECT:
      for (const field of node.fields) itemsOf(field.value, variables, `${where}.${field.name.value}`, max);
      return 1;
    case Kind.VARIABLE: {
      const value = variables[node.name.value];
      return Array.isArray(value) ? value.length : 1;
    }
    default:
      return 1;
  }
}

function operationOf(args: ExecutionArgs): OperationDefinitionNode | undefined {
  const operations = args.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return args.operationName ? operations.find((o) => o.name?.value === args.operationName) : operations.length === 1 ? operations[0] : undefined;
}

/** Fields of the selection, each multiplied by the items of its longest list argument. */
function costOf(
  selections: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  max: number,
  seen: ReadonlySet<string> = new Set(),
): number {
  let cost = 0;
  for (const selection of selections?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const items = Math.max(1, ...(selection.arguments ?? []).map((a) => itemsOf(a.value, variables, `${name}(${a.name.value}:)`, max)));
      cost += items * (1 + costOf(selection.selectionSet, fragments, variables, max, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(selection.selectionSet, fragments, variables, max, seen);
    } else {
      const name = selection.name.value;
      // Validation refuses fragment cycles first; this only keeps a cycle from looping here.
      if (seen.has(name)) continue;
      cost += costOf(fragments.get(name)?.selectionSet, fragments, variables, max, new Set([...seen, name]));
    }
  }
  return cost;
}

/** Refuses, before execution, a list past `items` in the variables or the query, and an operation over `cost`. */
export function useListLimits(limits: { items: number; cost: number } = { items: MAX_LIST_ITEMS, cost: MAX_OPERATION_COST }): Plugin {
  const check = (args: ExecutionArgs) => {
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(variables)) checkVariable(value, `$${name}`, limits.items);
    const operation = operationOf(args);
    if (!operation) return;
    const fragments = new Map(args.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    const cost = costOf(operation.selectionSet, fragments, variables, limits.items);
    if (cost > limits.cost) {
      throw refused(`This operation costs ${cost}, over the limit of ${limits.cost}: each field counts once per item of the lists it is given. Ask for fewer items or fewer fields.`);
    }
  };
  return {
    onExecute: ({ args }) => check(args),
    onSubscribe: ({ args }) => check(args),
  };
}
