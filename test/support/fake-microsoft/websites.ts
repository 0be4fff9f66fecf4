// The fake Power Pages websites API (api-version 2024-10-01). Filled in below the skeleton.
import type { FakeContext, Route } from './server.ts';

export function websitesRoutes(_ctx: FakeContext): Route[] {
  return [];
}
