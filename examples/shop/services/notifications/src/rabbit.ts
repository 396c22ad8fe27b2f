import amqp, { type ConfirmChannel } from 'amqplib';
import { config } from './config.js';

export interface Receipt {
  orderId: string;
  channel: 'email' | 'sms' | 'push' | 'webhook';
  sentAt: string;
}

let channel: Promise<ConfirmChannel> | undefined;

async function openChannel(): Promise<ConfirmChannel> {
  const connection = await amqp.connect(config.rabbitmqUrl);
  connection.on('close', () => {
    channel = undefined;
  });
  const confirmChannel = await connection.createConfirmChannel();
  await confirmChannel.assertExchange('crm.receipts', 'topic', { durable: true });
  return confirmChannel;
}

/** Delivery receipts for the CRM, which consumes them from RabbitMQ. */
export async function publishReceipt(receipt: Receipt): Promise<void> {
  channel ??= openChannel();
  const open = await channel;
  open.publish('crm.receipts', `receipt.${receipt.channel}`, Buffer.from(JSON.stringify(receipt)), {
    persistent: true,
    contentType: 'application/json',
  });
}
