/**
 * Child process of test/unit/start-up-heap.test.ts. With `held`, it loads the start-up heap setting
 * first, as src/index.ts does; then a burst of allocations like module loading's; prints the young
 * generation's size (bytes), then releases the hold (`held` only), bursts again and prints it again.
 */
import { getHeapSpaceStatistics } from 'node:v8';

const held = process.argv[2] === 'held';
const heap = held ? await import('../../src/runtime/start-up-heap.js') : undefined;

const newSpace = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

/** Allocations that survive a few scavenges, as module loading's do: what makes V8 grow new space. */
function burst(): number {
  let kept: { index: number; text: string }[][] = [];
  let total = 0;
  for (let round = 0; round < 200; round += 1) {
    kept.push(Array.from({ length: 2000 }, (_, index) => ({ index, text: `item ${round} ${index}` })));
    if (kept.length > 20) kept = kept.slice(10);
    total += kept.length;
  }
  return total;
}

burst();
const during = newSpace();
heap?.releaseStartUpHeap();
burst();
process.stdout.write(`${during} ${newSpace()}\n`);
