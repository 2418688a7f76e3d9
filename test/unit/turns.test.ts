import { describe, expect, it } from 'vitest';
import { createTurns } from '../../src/discord/intake/turns.js';

describe('createTurns', () => {
  it('lets urgent work through before the rest, each kind in arrival order', async () => {
    const turns = createTurns(1_000);
    const order: string[] = [];
    const tasks = [
      turns.next().then(() => order.push('submit 1')),
      turns.next(true).then(() => order.push('ack 1')),
      turns.next().then(() => order.push('submit 2')),
      turns.next(true).then(() => order.push('ack 2')),
    ];
    await Promise.all(tasks);
    expect(order).toEqual(['ack 1', 'ack 2', 'submit 1', 'submit 2']);
  });

  it('spreads work over turns of the event loop once a turn has used its budget', async () => {
    // A fake clock that advances 3 ms per reading: a 7 ms budget lets two tasks through per turn.
    let time = 0;
    const turns = createTurns(7, () => {
      time += 3;
      return time;
    });
    let turn = 0;
    let stop = false;
    const tick = () => {
      turn++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => turns.next().then(() => seen.push(turn))));
    stop = true;
    const perTurn = [...new Set(seen)].map((value) => seen.filter((other) => other === value).length);
    expect(perTurn).toEqual([2, 2, 2]);
  });
});
