export { createBullmqJobStore, type BullmqJobStoreOptions } from './createBullmqJobStore.js';
