// What can be a row's id: the product's tables number their rows with 32-bit integers (PostgreSQL's
// integer columns hold no other, and it refuses a larger number in a query rather than finding
// nothing), so a number outside this range is no row's id on either database and is not looked up.

export const ROW_ID_RANGE = { min: -2_147_483_648, max: 2_147_483_647 } as const;

export function isRowNumber(id: number): boolean {
  return Number.isInteger(id) && id >= ROW_ID_RANGE.min && id <= ROW_ID_RANGE.max;
}
