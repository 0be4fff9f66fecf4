// JSON that a test reads off the wire: GraphQL answers, Slack Web API bodies, Block Kit views. Tests
// assert on its shape field by field, which is the check a type would make; a type per answer would
// restate the schema and Slack's documentation in every test. Product code never uses it.
// biome-ignore lint/suspicious/noExplicitAny: the one deliberate escape hatch for JSON read in tests (above)
export type WireJson = any;
