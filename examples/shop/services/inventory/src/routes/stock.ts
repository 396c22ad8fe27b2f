import type { FastifyInstance } from 'fastify';
import { cache, stockKey } from '../cache';
import { config } from '../config';
import { reservations, stock, type Reservation } from '../mongo';
import { supplierOffer } from '../supplier';
import { binLocation } from '../wms';

interface SkuParams {
  sku: string;
}

interface ReservationBody {
  orderId: string;
  items: Reservation['items'];
}

export async function stockRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: SkuParams }>('/stock/:sku', async (request, reply) => {
    const { sku } = request.params;
    const cached = await cache.get(stockKey(sku));
    if (cached) return JSON.parse(cached);

    const item = await stock.findOne({ _id: sku });
    if (!item) return reply.code(404).send({ error: 'unknown sku' });
    const availability = { sku, available: item.available - item.reserved };
    await cache.set(stockKey(sku), JSON.stringify(availability), 'EX', 30);
    return availability;
  });

  app.post<{ Body: ReservationBody }>('/reservations', async (request, reply) => {
    const { orderId, items } = request.body;
    const reserved: Reservation['items'] = [];
    for (const item of items) {
      const result = await stock.updateOne(
        { _id: item.sku, $expr: { $gte: [{ $subtract: ['$available', '$reserved'] }, item.quantity] } },
        { $inc: { reserved: item.quantity } },
      );
      if (result.modifiedCount === 0) {
        await Promise.all(reserved.map((done) => stock.updateOne({ _id: done.sku }, { $inc: { reserved: -done.quantity } })));
        return reply.code(409).send({ error: 'out of stock', sku: item.sku });
      }
      reserved.push(item);
    }
    const expiresAt = new Date(Date.now() + config.reservationTtlMs);
    await reservations.insertOne({ _id: orderId, items, expiresAt });
    await cache.del(...items.map((item) => stockKey(item.sku)));
    return reply.code(201).send({ id: orderId, expiresAt });
  });

  app.get<{ Params: SkuParams }>('/stock/:sku/offer', async (request) => supplierOffer(request.params.sku));

  app.get<{ Params: SkuParams }>('/stock/:sku/location', async (request) => binLocation(request.params.sku));
}
