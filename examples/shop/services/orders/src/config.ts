const env = process.env;

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export const config = {
  port: Number(env.PORT ?? 3000),
  database: {
    url: required('ORDERS_DATABASE_URL'),
    statementTimeoutMs: Number(env.DB_STATEMENT_TIMEOUT_MS ?? 5_000),
  },
  http: {
    timeoutMs: Number(env.HTTP_TIMEOUT_MS ?? 2_500),
  },
  inventory: { url: env.INVENTORY_URL ?? 'http://inventory:3000' },
  payments: { url: env.PAYMENTS_URL ?? 'http://payments:3000' },
  carrier: {
    url: env.CARRIER_API_URL ?? 'https://api.parcelpost.example/v2',
    apiKey: env.CARRIER_API_KEY ?? '',
  },
  tax: {
    url: env.TAX_API_URL ?? 'https://api.taxrates.example',
    apiKey: env.TAX_API_KEY ?? '',
  },
  kafka: { brokers: (env.KAFKA_BROKERS ?? 'kafka:9092').split(',') },
};
