// Public face of the alerts capability.
export * from './model.ts';
// CAP in and out (src/alerts/cap), signatures (src/alerts/signing), Atom index (src/alerts/feed).
export * from './cap/index.ts';
export * from './signing/index.ts';
export * from './feed/index.ts';
