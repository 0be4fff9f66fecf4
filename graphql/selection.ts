// What a query asks for beneath a field, read from its selection sets: lets a list resolver read only
// the columns its rows will be asked for, in one statement for the whole page.
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * The fields of some selection sets by name (not alias), through fragment spreads and inline
 * fragments. Directives are not looked at: a field under @skip counts as asked for, which costs a
 * column, no more.
 */
export function fieldsOf(info: GraphQLResolveInfo, sets: ReadonlyArray<SelectionSetNode | undefined>): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const named = fields.get(selection.name.value);
        if (named) named.push(selection);
        else fields.set(selection.name.value, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return fields;
}

/** The fields of the sub-selections of some fields (the fields asked of what they return). */
export function subfieldsOf(info: GraphQLResolveInfo, nodes: readonly FieldNode[] | undefined): Map<string, FieldNode[]> {
  return fieldsOf(
    info,
    (nodes ?? []).map((node) => node.selectionSet),
  );
}

/** The fields asked of a connection's nodes, through `nodes { … }` and `edges { node { … } }`. */
export function nodeFieldsOf(info: GraphQLResolveInfo): Map<string, FieldNode[]> {
  const connection = subfieldsOf(info, info.fieldNodes);
  const edges = subfieldsOf(info, connection.get('edges'));
  return subfieldsOf(info, [...(connection.get('nodes') ?? []), ...(edges.get('node') ?? [])]);
}

/**
 * The columns some fields read: a field listed in `needs` reads what it lists there, a field named
 * like a column reads that column, and any other field makes every column read (the safe answer for
 * a field added without a line in `needs`).
 */
export function columnsFor<C extends string>(fields: Iterable<string>, columns: readonly C[], needs: Partial<Record<string, readonly C[]>>): C[] {
  const read = new Set<C>();
  for (const field of fields) {
    const listed = needs[field];
    if (listed) for (const column of listed) read.add(column);
    else if ((columns as readonly string[]).includes(field)) read.add(field as C);
    else return [...columns];
  }
  return [...read].sort();
}
