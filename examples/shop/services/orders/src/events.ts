import { Kafka } from 'kafkajs';
import { correlationHeaders } from '@shop/common';
import { config } from './config.js';

const kafka = new Kafka({ clientId: 'orders', brokers: config.kafka.brokers });
const producer = kafka.producer();
let connecting: Promise<void> | undefined;

export interface OrderPlaced {
  orderId: string;
  customerId: string;
}

export async function publishOrderPlaced(event: OrderPlaced): Promise<void> {
  connecting ??= producer.connect();
  await connecting;
  await producer.send({
    topic: 'orders.placed',
    messages: [{ key: event.orderId, value: JSON.stringify(event), headers: correlationHeaders() }],
  });
}
