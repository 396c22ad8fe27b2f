import Redis from 'ioredis';
import { config } from './config';

export const cache = new Redis(config.redisUrl, {
  maxRetriesPerRequest: 3,
  connectTimeout: 2_000,
  enableAutoPipelining: true,
});

export const stockKey = (sku: string) => `stock:${sku}`;
