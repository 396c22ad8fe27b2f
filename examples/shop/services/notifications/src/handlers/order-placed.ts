import { rpc } from '@shop/common';
import { pool as ordersDb } from '../../../orders/src/db.js';
import { sendEmail } from '../channels/email.js';
import { sendPush } from '../channels/push.js';
import { sendSms } from '../channels/sms.js';
import { deliverWebhook } from '../channels/webhook.js';
import { config } from '../config.js';
import { publishReceipt, type Receipt } from '../rabbit.js';

export interface OrderPlaced {
  orderId: string;
  customerId: string;
}

interface Order {
  id: string;
  totalCents: number;
  currency: string;
  items: Array<{ sku: string; quantity: number }>;
}

interface Contact {
  email: string;
  phone: string | null;
  push_token: string | null;
}

const money = (cents: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);

export async function onOrderPlaced(event: OrderPlaced): Promise<void> {
  const order = await rpc<Order>(`${config.orders.url}/orders/${event.orderId}`);
  // The orders API has no contact details, so read them from its database.
  const { rows } = await ordersDb.query<Contact>('select email, phone, push_token from customers where id = $1', [
    event.customerId,
  ]);
  const [contact] = rows;
  const total = money(order.totalCents, order.currency);
  const sent = (channel: Receipt['channel']) => publishReceipt({ orderId: order.id, channel, sentAt: new Date().toISOString() });

  await sendEmail({ to: contact.email, template: 'order-confirmation', data: { orderId: order.id, total, items: order.items } });
  await sent('email');
  if (contact.phone) {
    await sendSms(contact.phone, `Your order ${order.id} is confirmed: ${total}.`);
    await sent('sms');
  }
  if (contact.push_token) {
    await sendPush(contact.push_token, 'Order confirmed', `We are packing your order (${total}).`);
    await sent('push');
  }
  if (config.partnerWebhook) {
    await deliverWebhook(config.partnerWebhook, 'order.placed', order);
    await sent('webhook');
  }
}
