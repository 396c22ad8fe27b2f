import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { runWithRequestId } from '@shop/common';
import { config } from './config.js';
import { onOrderPlaced } from './handlers/order-placed.js';

const kafka = new Kafka({ clientId: 'notifications', brokers: config.kafka.brokers, logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId: 'notifications' });
const producer = kafka.producer();

export async function startConsumer(): Promise<void> {
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: 'orders.placed' });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const requestId = message.headers?.['x-request-id']?.toString() ?? randomUUID();
      try {
        await runWithRequestId(requestId, () => onOrderPlaced(JSON.parse(message.value!.toString())));
      } catch (error) {
        // Park it for a human rather than block the partition.
        await producer.send({
          topic: 'orders.placed.dlq',
          messages: [{ key: message.key, value: message.value, headers: { ...message.headers, error: String(error) } }],
        });
      }
    },
  });
}

export async function stopConsumer(): Promise<void> {
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
}
