/**
 * Child process of test/unit/tiering.test.ts (run with --allow-natives-syntax). With `on`, it calls
 * `compileOnFirstCall` first. Prints whether a function called once runs as baseline code.
 */
const on = process.argv[2] === 'on';
if (on) {
  const { compileOnFirstCall } = await import('../../src/runtime/tiering.js');
  compileOnFirstCall();
}
const once = new Function('value', 'return value + 1') as (value: number) => number;
once(1);
// V8's own test hook, in a function made from text: the natives syntax stays out of the TypeScript.
const tierOf = new Function('fn', 'return %ActiveTierIsSparkplug(fn)') as (fn: unknown) => unknown;
const isBaseline = tierOf(once);
process.stdout.write(String(isBaseline));
