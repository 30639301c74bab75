// node:fs and node:path in the browser bundle: libs/integrity's key-file helpers import them, and the
// console never calls those helpers (the bundler drops them); anything that still did would fail here loudly.


const unavailable = (): never => {
  throw new Error('no file system in the browser');
};
export const readFileSync = unavailable;
export const writeFileSync = unavailable;
export const mkdirSync = unavailable;
export const dirname = unavailable;
