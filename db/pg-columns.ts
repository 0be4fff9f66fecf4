// Column types of the PostgreSQL schemas that keep the SQLite schemas' values: an instant is stored as
// milliseconds since 1970 in a bigint (as SQLite stores it in an integer) and read as a Date, so the
// same comparisons and arithmetic on times work in both databases' SQL.
import { customType } from 'drizzle-orm/pg-core';

export const epochMs = customType<{ data: Date; driverData: number | string }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});
