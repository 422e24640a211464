/**
 * The `typescript` module of test files (jest's moduleNameMapper), loaded on first use. @pulumi/pulumi
 * requires TypeScript as it loads (the parser of its closure serialization,
 * `runtime/closure/parseFunction.js`) and uses it only when a program serializes a function; jest evaluates
 * every module again per test file, so each of the test files that import Pulumi paid for evaluating
 * TypeScript's 9 MB (a quarter of a second at best), and almost none of them ever used it. Every property
 * access goes to the real module, loaded on the first one.
 */
import * as path from "node:path";

/** The real module, by path (the mapper matches the bare name only). */
const REAL = path.join(path.dirname(require.resolve("typescript/package.json")), "lib", "typescript.js");

/** Answers whether the real module has been loaded, without loading it (for the tests of this module). */
const LOADED = Symbol.for("tradai.lazyTypescript.loaded");

let real: object | undefined;
const load = (): object => {
  real ??= require(REAL) as object;
  return real;
};

module.exports = new Proxy(
  {},
  {
    get: (_target, key) => (key === LOADED ? real !== undefined : Reflect.get(load(), key)),
    has: (_target, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      // The target is an empty object: a proxy may only report properties it could add to it.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
    set: (_target, key, value) => Reflect.set(load(), key, value),
  },
);
