import { expectTypeOf, test } from 'vitest';
import { createPersianHubClient } from './createPersianHubClient.js';
import type { EventSourceConstructorLike } from './types.js';

test("the browser's EventSource and fetch fit the client options", () => {
  expectTypeOf(EventSource).toExtend<EventSourceConstructorLike>();
  createPersianHubClient({ EventSource, fetch: window.fetch });
});
