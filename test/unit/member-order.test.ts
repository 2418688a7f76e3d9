import { describe, expect, it } from 'vitest';
import { createMemberOrder } from '../../src/discord/intake/member-order.js';

/** Resolves after pending promise callbacks (and one timer turn) have run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createMemberOrder', () => {
  it('lets a member’s request submit only after every earlier one of theirs is done', async () => {
    const order = createMemberOrder();
    const tickets = [order.take('alice'), order.take('alice'), order.take('alice')];
    const turns: number[] = [];
    tickets.forEach((ticket, index) => {
      void ticket.turn().then(() => turns.push(index));
    });
    await flush();
    expect(turns).toEqual([0]);

    // The third one's answers came back first: it still waits for the second.
    tickets[2]?.done();
    await flush();
    expect(turns).toEqual([0]);
    tickets[0]?.done();
    await flush();
    expect(turns).toEqual([0, 1]);
    tickets[1]?.done();
    await flush();
    expect(turns).toEqual([0, 1, 2]);
  });

  it('keeps members apart: one member’s slow request holds up nobody else', async () => {
    const order = createMemberOrder();
    order.take('alice');
    const aliceSecond = order.take('alice');
    const bob = order.take('bob');
    const ready: string[] = [];
    void aliceSecond.turn().then(() => ready.push('alice'));
    void bob.turn().then(() => ready.push('bob'));
    await flush();
    expect(ready).toEqual(['bob']);
  });

  it('lets the next request go when an earlier one gave up, and ignores a second done', async () => {
    const order = createMemberOrder();
    const first = order.take('alice');
    const second = order.take('alice');
    first.done();
    first.done();
    await expect(second.turn()).resolves.toBeUndefined();
    second.done();
    // With nothing pending, a new request goes at once.
    const later = order.take('alice');
    let went = false;
    void later.turn().then(() => {
      went = true;
    });
    await flush();
    expect(went).toBe(true);
  });
});
