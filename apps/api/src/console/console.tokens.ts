/** The console's bundled files (console-assets.ts), read once at start. */
export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');
