import { Pool } from 'pg';
import { cache, stockKey } from '../cache';
import { reservations, stock } from '../mongo';

// Which reservations were paid for is only known to orders.
const ordersDb = new Pool({
  connectionString: process.env.ORDERS_DATABASE_URL,
  max: 2,
  statement_timeout: 10_000,
});

/** Expired reservations become sales when their order was paid, and go back on the shelf otherwise. */
export async function settleExpiredReservations(): Promise<number> {
  const expired = await reservations.find({ expiresAt: { $lt: new Date() } }).toArray();
  if (expired.length === 0) return 0;

  const { rows } = await ordersDb.query<{ id: string }>("select id from orders where id = any($1) and status = 'paid'", [
    expired.map((reservation) => reservation._id),
  ]);
  const paid = new Set(rows.map((row) => row.id));

  for (const reservation of expired) {
    const sold = paid.has(reservation._id);
    for (const { sku, quantity } of reservation.items) {
      await stock.updateOne({ _id: sku }, { $inc: sold ? { available: -quantity, reserved: -quantity } : { reserved: -quantity } });
      await cache.del(stockKey(sku));
    }
    await reservations.deleteOne({ _id: reservation._id });
  }
  return expired.length;
}
