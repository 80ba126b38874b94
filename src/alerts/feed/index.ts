export { capAtomFeed, statusLabel, type AtomFeedEntry, type AtomFeedOptions } from './atom.ts';
