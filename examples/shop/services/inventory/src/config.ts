const env = process.env;

export const config = {
  port: Number(env.PORT ?? 3000),
  mongoUrl: env.INVENTORY_MONGO_URL ?? 'mongodb://inventory-db:27017',
  redisUrl: env.REDIS_URL ?? 'redis://redis:6379',
  supplier: {
    url: env.SUPPLIER_API_URL ?? 'https://api.acme-supply.example/v1',
    feedUrl: env.SUPPLIER_FEED_URL ?? 'https://feeds.acme-supply.example/stock.ndjson',
    apiKey: env.SUPPLIER_API_KEY ?? '',
  },
  wms: { url: env.WMS_URL ?? 'http://wms.warehouse.internal:8080' },
  reservationTtlMs: 15 * 60_000,
};
