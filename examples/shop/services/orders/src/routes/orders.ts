import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { Router } from 'express';
import { carrier } from '../clients/carrier.js';
import { getAvailability, reserveStock } from '../clients/inventory.js';
import { chargeOrder } from '../clients/payments.js';
import { config } from '../config.js';
import { pool } from '../db.js';
import { publishOrderPlaced } from '../events.js';

interface LineItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

interface Address {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

interface Basket {
  customerId: string;
  currency: string;
  items: LineItem[];
  address: Address;
}

const subtotal = (items: LineItem[]) => items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);

export const orders = Router();

orders.post('/orders/quote', async (req, res) => {
  const basket = req.body as Basket;
  const [stock, shipping, tax] = await Promise.all([
    Promise.all(basket.items.map((item) => getAvailability(item.sku))),
    carrier.post<{ amountCents: number; estimatedDays: number }>('/rates', { destination: basket.address, parcels: 1 }),
    axios.get<{ rate: number }>(`${config.tax.url}/v1/rates`, {
      params: { country: basket.address.country, postalCode: basket.address.postalCode },
      headers: { authorization: `Bearer ${config.tax.apiKey}` },
    }),
  ]);
  const subtotalCents = subtotal(basket.items);
  res.json({
    available: stock.every((entry, i) => entry.available >= basket.items[i].quantity),
    subtotalCents,
    shippingCents: shipping.data.amountCents,
    taxCents: Math.round(subtotalCents * tax.data.rate),
    estimatedDays: shipping.data.estimatedDays,
  });
});

orders.post('/orders', async (req, res) => {
  const basket = req.body as Basket & { cardToken: string };
  const orderId = randomUUID();
  const totalCents = subtotal(basket.items);

  await reserveStock(orderId, basket.items);
  const charge = await chargeOrder({
    orderId,
    customerId: basket.customerId,
    amountCents: totalCents,
    currency: basket.currency,
    cardToken: basket.cardToken,
  });
  const status = charge.status === 'authorized' ? 'paid' : 'payment_failed';

  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      'insert into orders (id, customer_id, status, total_cents, currency, payment_id) values ($1, $2, $3, $4, $5, $6)',
      [orderId, basket.customerId, status, totalCents, basket.currency, charge.id],
    );
    for (const item of basket.items) {
      await client.query('insert into order_items (order_id, sku, quantity, unit_price_cents) values ($1, $2, $3, $4)', [
        orderId,
        item.sku,
        item.quantity,
        item.unitPriceCents,
      ]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }

  if (status === 'paid') await publishOrderPlaced({ orderId, customerId: basket.customerId });
  res.status(status === 'paid' ? 201 : 402).json({ id: orderId, status });
});

orders.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('select id, status, total_cents, currency from orders where id = $1', [req.params.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'order not found' });
  const items = await pool.query('select sku, quantity from order_items where order_id = $1', [req.params.id]);
  const [order] = rows;
  res.json({
    id: order.id,
    status: order.status,
    totalCents: order.total_cents,
    currency: order.currency,
    items: items.rows,
  });
});

orders.get('/orders/:id/tracking', async (req, res) => {
  const { rows } = await pool.query('select tracking_number from shipments where order_id = $1', [req.params.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'not shipped yet' });
  const { data } = await carrier.get(`/shipments/${rows[0].tracking_number}/events`);
  res.json(data);
});
