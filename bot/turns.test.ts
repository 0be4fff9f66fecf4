import { describe, expect, it } from 'vitest';
import { nextTurn } from './turns.ts';

describe('turns after an acknowledgement', () => {
  it('lets every waiter go, first come first served', async () => {
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await nextTurn();
        order.push(i);
      }),
    );
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
