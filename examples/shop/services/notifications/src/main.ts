import { startConsumer, stopConsumer } from './kafka.js';

await startConsumer();
console.log('notifications: consuming orders.placed');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopConsumer().finally(() => process.exit(0));
  });
}
